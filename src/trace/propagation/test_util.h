// Helpers shared by this folder's tests.
#pragma once

#include "trace/context.h"
#include "trace/ids.h"
#include "trace/span_context.h"

namespace tracewire::trace::propagation::testing {

inline TraceId TestTraceId() { return TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736"); }
inline SpanId TestSpanId() { return SpanId::FromHex("00f067aa0ba902b7"); }

inline Context ContextWith(TraceFlags flags, TraceState ts = TraceState()) {
  return Context().WithSpanContext(
      SpanContext(TestTraceId(), TestSpanId(), flags, false, std::move(ts)));
}

}  // namespace tracewire::trace::propagation::testing
