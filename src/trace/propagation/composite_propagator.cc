#include "trace/propagation/composite_propagator.h"

#include <algorithm>

namespace tracewire::trace::propagation {

CompositePropagator::CompositePropagator(
    std::vector<std::unique_ptr<TextMapPropagator>> propagators)
    : propagators_(std::move(propagators)) {
  for (const auto& p : propagators_) {
    for (std::string_view f : p->Fields()) {
      if (std::find(fields_.begin(), fields_.end(), f) == fields_.end()) fields_.push_back(f);
    }
  }
}

void CompositePropagator::Inject(const Context& ctx, TextMapCarrier& carrier) const {
  for (const auto& p : propagators_) p->Inject(ctx, carrier);
}

Context CompositePropagator::Extract(const TextMapCarrier& carrier, const Context& ctx) const {
  // Each member extracts into a context without a span, carrying the baggage merged so far.
  Context acc = Context().WithBaggage(ctx.baggage());
  const SpanContext* found = nullptr;
  SpanContext chosen;
  for (const auto& p : propagators_) {
    Context out = p->Extract(carrier, acc);
    if (found == nullptr && out.span_context().IsValid()) {
      chosen = out.span_context();
      found = &chosen;
    }
    acc = Context().WithBaggage(out.baggage());
  }
  Context result = ctx.WithBaggage(acc.baggage());
  return found != nullptr ? result.WithSpanContext(std::move(chosen)) : result;
}

}  // namespace tracewire::trace::propagation
