#include "trace/propagation/b3_propagator.h"

#include <array>

#include "trace/propagation/b3.h"

namespace tracewire::trace::propagation {

void B3Propagator::Inject(const Context& ctx, TextMapCarrier& carrier) const {
  const SpanContext& sc = ctx.span_context();
  if (!sc.IsValid()) return;
  if (format_ == B3InjectFormat::kSingle) {
    carrier.Set(kB3SingleKey, FormatB3Single(sc.trace_id(), sc.span_id(), sc.trace_flags()));
    return;
  }
  std::array<char, TraceId::kHexSize> trace_hex;
  std::array<char, SpanId::kHexSize> span_hex;
  sc.trace_id().ToHex(trace_hex.data());
  sc.span_id().ToHex(span_hex.data());
  carrier.Set(kB3TraceIdKey, std::string_view(trace_hex.data(), trace_hex.size()));
  carrier.Set(kB3SpanIdKey, std::string_view(span_hex.data(), span_hex.size()));
  carrier.Set(kB3SampledKey, sc.IsSampled() ? "1" : "0");
}

Context B3Propagator::Extract(const TextMapCarrier& carrier, const Context& ctx) const {
  StatusOr<B3Context> b3 = NotFoundError("b3: none");
  if (std::optional<std::string_view> single = carrier.Get(kB3SingleKey)) {
    b3 = ParseB3Single(*single);
  }
  if (!b3.ok() || !b3->HasIds()) {
    B3MultiValues v;
    v.trace_id = carrier.Get(kB3TraceIdKey);
    v.span_id = carrier.Get(kB3SpanIdKey);
    v.parent_span_id = carrier.Get(kB3ParentSpanIdKey);
    v.sampled = carrier.Get(kB3SampledKey);
    v.flags = carrier.Get(kB3FlagsKey);
    b3 = ParseB3Multi(v);
  }
  if (!b3.ok() || !b3->HasIds()) return ctx;
  return ctx.WithSpanContext(SpanContext(b3->trace_id, b3->span_id, b3->Flags(), true));
}

std::span<const std::string_view> B3Propagator::Fields() const {
  static constexpr std::array<std::string_view, 1> kSingle = {kB3SingleKey};
  static constexpr std::array<std::string_view, 3> kMulti = {kB3TraceIdKey, kB3SpanIdKey,
                                                             kB3SampledKey};
  if (format_ == B3InjectFormat::kSingle) return kSingle;
  return kMulti;
}

}  // namespace tracewire::trace::propagation
