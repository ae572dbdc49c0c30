#include "trace/propagation/baggage_propagator.h"

#include <array>

namespace tracewire::trace::propagation {

void BaggagePropagator::Inject(const Context& ctx, TextMapCarrier& carrier) const {
  if (ctx.baggage().empty()) return;
  const std::string header = ctx.baggage().ToHeader();
  if (!header.empty()) carrier.Set(kBaggageKey, header);
}

Context BaggagePropagator::Extract(const TextMapCarrier& carrier, const Context& ctx) const {
  std::optional<std::string_view> value = carrier.Get(kBaggageKey);
  if (!value) return ctx;
  Baggage extracted = Baggage::FromHeader(*value);
  if (extracted.empty()) return ctx;
  if (ctx.baggage().empty()) return ctx.WithBaggage(std::move(extracted));
  Baggage merged = ctx.baggage();
  for (const Baggage::Entry& e : extracted.entries()) {
    merged = merged.Set(e.key, e.value, e.metadata);
  }
  return ctx.WithBaggage(std::move(merged));
}

std::span<const std::string_view> BaggagePropagator::Fields() const {
  static constexpr std::array<std::string_view, 1> kFields = {kBaggageKey};
  return kFields;
}

}  // namespace tracewire::trace::propagation
