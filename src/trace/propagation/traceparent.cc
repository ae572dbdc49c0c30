#include "trace/propagation/traceparent.h"

#include <array>

namespace tracewire::trace::propagation {
namespace {

// Hot path: local tables so hex coding inlines into the parse and format loops.
// 0-15 for a lower-case hex digit, 0xff for anything else.
constexpr std::array<uint8_t, 256> MakeHexValues() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = 0xff;
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<uint8_t>(c - 'a' + 10);
  return t;
}
constexpr std::array<uint8_t, 256> kHexValue = MakeHexValues();
constexpr char kHexDigits[] = "0123456789abcdef";

// Decodes 2*n lower-case hex chars; returns the OR of all nibble values (> 0x0f on error).
inline uint8_t DecodeLowerHex(const char* in, uint8_t* out, size_t n) {
  uint8_t bad = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t hi = kHexValue[static_cast<uint8_t>(in[2 * i])];
    const uint8_t lo = kHexValue[static_cast<uint8_t>(in[2 * i + 1])];
    bad |= hi | lo;
    out[i] = static_cast<uint8_t>((hi << 4) | (lo & 0x0f));
  }
  return bad;
}

inline void EncodeLowerHex(const uint8_t* in, size_t n, char* out) {
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHexDigits[in[i] >> 4];
    out[2 * i + 1] = kHexDigits[in[i] & 0x0f];
  }
}

}  // namespace

StatusOr<Traceparent> ParseTraceparent(std::string_view value) {
  if (value.size() < kTraceparentSize) return InvalidArgumentError("traceparent: too short");
  const char* p = value.data();
  uint8_t version = 0;
  if (DecodeLowerHex(p, &version, 1) > 0x0f) {
    return InvalidArgumentError("traceparent: version is not lower-case hex");
  }
  if (version == 0xff) return InvalidArgumentError("traceparent: version ff is forbidden");
  if (p[2] != '-' || p[35] != '-' || p[52] != '-') {
    return InvalidArgumentError("traceparent: bad field delimiters");
  }
  if (version == 0 && value.size() != kTraceparentSize) {
    return InvalidArgumentError("traceparent: version 00 must be exactly 55 chars");
  }
  if (value.size() > kTraceparentSize && p[kTraceparentSize] != '-') {
    return InvalidArgumentError("traceparent: flags not followed by '-'");
  }
  Traceparent tp;
  uint8_t flags = 0;
  const uint8_t bad = DecodeLowerHex(p + 3, tp.trace_id.mutable_data(), TraceId::kSize) |
                      DecodeLowerHex(p + 36, tp.span_id.mutable_data(), SpanId::kSize) |
                      DecodeLowerHex(p + 53, &flags, 1);
  if (bad > 0x0f) {
    return InvalidArgumentError("traceparent: ids and flags must be lower-case hex");
  }
  if (!tp.trace_id.IsValid()) return InvalidArgumentError("traceparent: trace-id is all zeros");
  if (!tp.span_id.IsValid()) return InvalidArgumentError("traceparent: parent-id is all zeros");
  tp.flags = TraceFlags(flags);
  return tp;
}

void FormatTraceparentTo(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags,
                         char* out) {
  out[0] = '0';
  out[1] = '0';
  out[2] = '-';
  EncodeLowerHex(trace_id.data(), TraceId::kSize, out + 3);
  out[35] = '-';
  EncodeLowerHex(span_id.data(), SpanId::kSize, out + 36);
  out[52] = '-';
  out[53] = '0';
  out[54] = flags.sampled() ? '1' : '0';
}

std::string FormatTraceparent(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags) {
  std::string out(kTraceparentSize, '\0');
  FormatTraceparentTo(trace_id, span_id, flags, out.data());
  return out;
}

}  // namespace tracewire::trace::propagation
