// Binary propagator: the OpenCensus/gRPC context under `grpc-trace-bin` (see grpc_trace_bin.h).
#pragma once

#include <span>
#include <string_view>

#include "trace/propagation/text_map.h"

namespace tracewire::trace::propagation {

// How Inject writes the value: raw bytes for binary-safe carriers (tRPC trans_info, gRPC
// metadata handled by the transport), base64 without padding for HTTP/1 headers.
enum class BinaryValueEncoding { kRaw, kBase64 };

// Extract accepts raw and base64 values alike. Stateless and thread-safe.
// Hot path: no allocation in Extract (values up to 256 chars) or in raw Inject.
class BinaryPropagator final : public TextMapPropagator {
 public:
  explicit BinaryPropagator(BinaryValueEncoding encoding = BinaryValueEncoding::kRaw)
      : encoding_(encoding) {}

  void Inject(const Context& ctx, TextMapCarrier& carrier) const override;
  Context Extract(const TextMapCarrier& carrier, const Context& ctx) const override;
  std::span<const std::string_view> Fields() const override;

 private:
  BinaryValueEncoding encoding_;
};

}  // namespace tracewire::trace::propagation
