// The OpenCensus binary trace context under `grpc-trace-bin` (opencensus-specs
// encodings/BinaryEncoding.md), pure functions over bytes. Layout written by us (29 bytes):
//   [0]      version = 0
//   [1]      field id 0, [2..18)  trace id (16 bytes)
//   [18]     field id 1, [19..27) span id (8 bytes)
//   [27]     field id 2, [28]     trace options (bit 0 = sampled)
// Reading follows the spec's rules: only version 0 is known; fields are optional, may come in
// any order and may repeat (the last wins); reading stops at the end or at the first unknown
// field id, which is not an error (the rest is ignored).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "trace/ids.h"
#include "trace/span_context.h"

namespace tracewire::trace::propagation {

inline constexpr std::string_view kGrpcTraceBinKey = "grpc-trace-bin";
inline constexpr size_t kGrpcTraceBinSize = 29;

struct BinaryTraceContext {
  TraceId trace_id;
  SpanId span_id;
  TraceFlags flags;  // the options byte as received; 0 when the field is absent
};

// Decodes raw bytes. INVALID_ARGUMENT when empty, the version is not 0, a known field is cut
// short, or the trace id or span id is missing or all zeros.
// Hot path: no allocation on success.
StatusOr<BinaryTraceContext> DecodeGrpcTraceBin(std::span<const uint8_t> bytes);

// Decodes a carrier value: raw bytes when it starts with the version byte 0x00, otherwise
// base64 (standard alphabet, padding optional) of those bytes.
StatusOr<BinaryTraceContext> DecodeGrpcTraceBinValue(std::string_view value);

// Writes the 29-byte layout; the options byte carries only the sampled bit.
void EncodeGrpcTraceBinTo(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags,
                          uint8_t* out);
// The 29 raw bytes, or their unpadded base64 (39 chars, as gRPC emits `-bin` values).
std::string EncodeGrpcTraceBin(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags,
                               bool base64);

}  // namespace tracewire::trace::propagation
