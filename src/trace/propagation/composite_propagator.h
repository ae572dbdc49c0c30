// CompositePropagator: several propagators in a configured order, acting as one.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "trace/propagation/text_map.h"

namespace tracewire::trace::propagation {

// Inject: every propagator writes, in order (a later one overwrites a key an earlier one
// wrote). Extract: the span context comes from the FIRST propagator, in order, that yields a
// valid one, so the order is a priority (e.g. tracecontext, then grpc-trace-bin, then b3);
// later span-context formats are ignored even when they disagree. Baggage extracted by every
// propagator is merged, in order. When none yields a span context, the input context's span
// context is kept. Thread-safe when its members are (all of ours are stateless).
class CompositePropagator final : public TextMapPropagator {
 public:
  explicit CompositePropagator(std::vector<std::unique_ptr<TextMapPropagator>> propagators);

  void Inject(const Context& ctx, TextMapCarrier& carrier) const override;
  Context Extract(const TextMapCarrier& carrier, const Context& ctx) const override;
  // The union of the members' fields, first occurrence order.
  std::span<const std::string_view> Fields() const override { return fields_; }

  size_t size() const { return propagators_.size(); }

 private:
  std::vector<std::unique_ptr<TextMapPropagator>> propagators_;
  std::vector<std::string_view> fields_;
};

}  // namespace tracewire::trace::propagation
