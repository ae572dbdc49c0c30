#include "trace/propagation/binary_propagator.h"

#include <array>

#include "trace/propagation/base64.h"
#include "trace/propagation/grpc_trace_bin.h"

namespace tracewire::trace::propagation {

void BinaryPropagator::Inject(const Context& ctx, TextMapCarrier& carrier) const {
  const SpanContext& sc = ctx.span_context();
  if (!sc.IsValid()) return;
  std::array<uint8_t, kGrpcTraceBinSize> raw;
  EncodeGrpcTraceBinTo(sc.trace_id(), sc.span_id(), sc.trace_flags(), raw.data());
  if (encoding_ == BinaryValueEncoding::kRaw) {
    carrier.Set(kGrpcTraceBinKey,
                std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
    return;
  }
  std::array<char, 40> text;  // Base64EncodedSize(29, false) == 39
  const size_t n = Base64EncodedSize(raw.size(), /*pad=*/false);
  EncodeBase64To(raw.data(), raw.size(), /*pad=*/false, text.data());
  carrier.Set(kGrpcTraceBinKey, std::string_view(text.data(), n));
}

Context BinaryPropagator::Extract(const TextMapCarrier& carrier, const Context& ctx) const {
  std::optional<std::string_view> value = carrier.Get(kGrpcTraceBinKey);
  if (!value) return ctx;
  StatusOr<BinaryTraceContext> bin = DecodeGrpcTraceBinValue(*value);
  if (!bin.ok()) return ctx;
  return ctx.WithSpanContext(SpanContext(bin->trace_id, bin->span_id, bin->flags, true));
}

std::span<const std::string_view> BinaryPropagator::Fields() const {
  static constexpr std::array<std::string_view, 1> kFields = {kGrpcTraceBinKey};
  return kFields;
}

}  // namespace tracewire::trace::propagation
