// SimpleSpanProcessor: exports each ended, sampled span synchronously from the thread that
// ends it (serialised by a mutex). For tests and debugging; use BatchSpanProcessor in
// production, which never blocks the caller.
#pragma once

#include <memory>

#include "trace/sdk/span_processor.h"
#include "trace/span_exporter.h"

namespace tracewire::trace {

// REQUIRES: exporter != nullptr.
std::unique_ptr<SpanProcessor> MakeSimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter);

}  // namespace tracewire::trace
