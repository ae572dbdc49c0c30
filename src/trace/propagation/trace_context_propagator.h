// W3C Trace Context propagator: `traceparent` + `tracestate`.
#pragma once

#include <span>
#include <string_view>

#include "trace/propagation/text_map.h"

namespace tracewire::trace::propagation {

// Extract: a valid traceparent yields a remote SpanContext; tracestate is read only then, and
// an invalid tracestate is discarded whole (the span context is kept). Inject: a version-00
// traceparent with the sampled flag of the context, and the (truncated) tracestate when it is
// not empty. Stateless and thread-safe.
// Hot path: no allocation when the context has no tracestate.
class TraceContextPropagator final : public TextMapPropagator {
 public:
  void Inject(const Context& ctx, TextMapCarrier& carrier) const override;
  Context Extract(const TextMapCarrier& carrier, const Context& ctx) const override;
  std::span<const std::string_view> Fields() const override;
};

}  // namespace tracewire::trace::propagation
