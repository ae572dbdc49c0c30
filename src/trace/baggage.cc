#include "trace/baggage.h"
