#include "trace/trace_state.h"
