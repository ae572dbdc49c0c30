// B3 propagator (Zipkin, Envoy): single `b3` header or multi X-B3-* headers.
#pragma once

#include <span>
#include <string_view>

#include "trace/propagation/text_map.h"

namespace tracewire::trace::propagation {

enum class B3InjectFormat { kSingle, kMulti };

// Extract reads both forms, the single header first (it wins when it yields ids; when it is
// invalid or sampling-only the multi headers are tried). Debug implies sampled. A
// sampling-only header ("b3: 0") carries no trace and leaves the context unchanged: our
// SpanContext cannot hold a decision without ids. Inject writes the chosen form with the
// 128-bit trace id and the sampled decision (1/0); the parent span id and debug are not
// written (as in the OpenTelemetry B3 propagator). Stateless and thread-safe.
class B3Propagator final : public TextMapPropagator {
 public:
  explicit B3Propagator(B3InjectFormat format = B3InjectFormat::kSingle) : format_(format) {}

  void Inject(const Context& ctx, TextMapCarrier& carrier) const override;
  Context Extract(const TextMapCarrier& carrier, const Context& ctx) const override;
  // The keys of the inject format (extract also reads the others).
  std::span<const std::string_view> Fields() const override;

 private:
  B3InjectFormat format_;
};

}  // namespace tracewire::trace::propagation
