// SpanPipeline: what every span of a TracerProvider shares (internal to the SDK).
// Owned by the TracerProvider; spans keep a raw pointer, so the provider must outlive them.
#pragma once

#include "trace/sdk/clock.h"
#include "trace/sdk/span_limits.h"
#include "trace/sdk/span_processor.h"

namespace tracewire::trace {

struct SpanPipeline {
  SpanProcessor* processor = nullptr;  // not owned; never null for recording spans
  SpanLimits limits;
  ClockFn clock = &FastNowUnixNano;
};

}  // namespace tracewire::trace
