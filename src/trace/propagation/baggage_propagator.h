// W3C Baggage propagator: the `baggage` header.
#pragma once

#include <span>
#include <string_view>

#include "trace/propagation/text_map.h"

namespace tracewire::trace::propagation {

inline constexpr std::string_view kBaggageKey = "baggage";

// Extract: entries of the carrier's baggage header are merged into the context's baggage (a
// carrier entry replaces one of the same key); invalid members are dropped one by one (see
// Baggage::FromHeader). Inject: writes Baggage::ToHeader() when the baggage is not empty,
// whatever the span context. Stateless and thread-safe.
class BaggagePropagator final : public TextMapPropagator {
 public:
  void Inject(const Context& ctx, TextMapCarrier& carrier) const override;
  Context Extract(const TextMapCarrier& carrier, const Context& ctx) const override;
  std::span<const std::string_view> Fields() const override;
};

}  // namespace tracewire::trace::propagation
