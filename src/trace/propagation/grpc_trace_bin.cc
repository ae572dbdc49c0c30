#include "trace/propagation/grpc_trace_bin.h"

#include <array>
#include <cstring>
#include <vector>

#include "trace/propagation/base64.h"

namespace tracewire::trace::propagation {
namespace {

constexpr uint8_t kVersion = 0;
constexpr uint8_t kTraceIdField = 0;
constexpr uint8_t kSpanIdField = 1;
constexpr uint8_t kOptionsField = 2;
// Base64 values up to this many chars are decoded on the stack.
constexpr size_t kStackBase64Size = 256;

}  // namespace

StatusOr<BinaryTraceContext> DecodeGrpcTraceBin(std::span<const uint8_t> bytes) {
  if (bytes.empty()) return InvalidArgumentError("grpc-trace-bin: empty");
  if (bytes[0] != kVersion) return InvalidArgumentError("grpc-trace-bin: unsupported version");
  BinaryTraceContext out;
  size_t pos = 1;
  while (pos < bytes.size()) {
    const uint8_t field = bytes[pos++];
    size_t size = 0;
    uint8_t* dest = nullptr;
    uint8_t options = 0;
    if (field == kTraceIdField) {
      size = TraceId::kSize;
      dest = out.trace_id.mutable_data();
    } else if (field == kSpanIdField) {
      size = SpanId::kSize;
      dest = out.span_id.mutable_data();
    } else if (field == kOptionsField) {
      size = 1;
      dest = &options;
    } else {
      break;  // unknown field: stop, the rest belongs to a newer format
    }
    if (bytes.size() - pos < size) return InvalidArgumentError("grpc-trace-bin: field cut short");
    std::memcpy(dest, bytes.data() + pos, size);
    pos += size;
    if (field == kOptionsField) out.flags = TraceFlags(options);
  }
  if (!out.trace_id.IsValid()) return InvalidArgumentError("grpc-trace-bin: no valid trace id");
  if (!out.span_id.IsValid()) return InvalidArgumentError("grpc-trace-bin: no valid span id");
  return out;
}

StatusOr<BinaryTraceContext> DecodeGrpcTraceBinValue(std::string_view value) {
  if (!value.empty() && value[0] == '\0') {
    return DecodeGrpcTraceBin(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(value.data()), value.size()));
  }
  size_t n = 0;
  if (value.size() <= kStackBase64Size) {
    std::array<uint8_t, Base64MaxDecodedSize(kStackBase64Size)> buf;
    if (!DecodeBase64To(value, buf.data(), &n)) {
      return InvalidArgumentError("grpc-trace-bin: neither raw nor base64");
    }
    return DecodeGrpcTraceBin(std::span<const uint8_t>(buf.data(), n));
  }
  std::vector<uint8_t> buf(Base64MaxDecodedSize(value.size()));
  if (!DecodeBase64To(value, buf.data(), &n)) {
    return InvalidArgumentError("grpc-trace-bin: neither raw nor base64");
  }
  return DecodeGrpcTraceBin(std::span<const uint8_t>(buf.data(), n));
}

void EncodeGrpcTraceBinTo(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags,
                          uint8_t* out) {
  out[0] = kVersion;
  out[1] = kTraceIdField;
  std::memcpy(out + 2, trace_id.data(), TraceId::kSize);
  out[18] = kSpanIdField;
  std::memcpy(out + 19, span_id.data(), SpanId::kSize);
  out[27] = kOptionsField;
  out[28] = flags.sampled() ? 1 : 0;
}

std::string EncodeGrpcTraceBin(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags,
                               bool base64) {
  std::array<uint8_t, kGrpcTraceBinSize> raw;
  EncodeGrpcTraceBinTo(trace_id, span_id, flags, raw.data());
  std::string_view bytes(reinterpret_cast<const char*>(raw.data()), raw.size());
  return base64 ? EncodeBase64(bytes, /*pad=*/false) : std::string(bytes);
}

}  // namespace tracewire::trace::propagation
