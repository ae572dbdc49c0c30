#include "trace/propagation/traceparent.h"

#include <cstring>

namespace tracewire::trace::propagation {
namespace {

// Hot path: hex coding 8 chars at a time in a 64-bit word (SWAR), inlined into parse/format.
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHigh = 0x8080808080808080ULL;

inline uint64_t Load64(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// High bit of each byte set when that byte (< 0x80) is in [lo, hi].
[[gnu::always_inline]] inline uint64_t InRange(uint64_t w, uint8_t lo, uint8_t hi) {
  const uint64_t ge_lo = w + kOnes * (0x80 - lo);
  const uint64_t gt_hi = w + kOnes * (0x7f - hi);
  return ge_lo & ~gt_hi & kHigh;
}

// Decodes 8 lower-case hex chars at p into 4 bytes at out. Returns false on a bad char.
[[gnu::always_inline]] inline bool DecodeHex8(const char* p, uint8_t* out) {
  const uint64_t w = Load64(p);
  const uint64_t ok = (InRange(w, '0', '9') | InRange(w, 'a', 'f')) & ~(w & kHigh);
  // '0'-'9' -> 0-9, 'a'-'f' -> 10-15: low nibble, plus 9 for letters (bit 6 set).
  const uint64_t v = (w & (kOnes * 0x0f)) + ((w >> 6) & kOnes) * 9;
  uint64_t t = ((v << 4) | (v >> 8)) & 0x00ff00ff00ff00ffULL;  // bytes 2k: v[2k] << 4 | v[2k+1]
  t = (t | (t >> 8)) & 0x0000ffff0000ffffULL;
  t = (t | (t >> 16)) & 0x00000000ffffffffULL;
  const auto packed = static_cast<uint32_t>(t);
  std::memcpy(out, &packed, 4);
  return ok == kHigh;
}

// Decodes exactly 2 lower-case hex chars.
inline bool DecodeHex2(const char* p, uint8_t* out) {
  auto nibble = [](char c, bool* ok) -> uint8_t {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    *ok = false;
    return 0;
  };
  bool ok = true;
  *out = static_cast<uint8_t>((nibble(p[0], &ok) << 4) | nibble(p[1], &ok));
  return ok;
}

// Encodes 4 bytes as 8 lower-case hex chars.
[[gnu::always_inline]] inline void EncodeHex8(const uint8_t* in, char* out) {
  uint32_t x;
  std::memcpy(&x, in, 4);
  uint64_t t = x;
  t = (t | (t << 16)) & 0x0000ffff0000ffffULL;
  t = (t | (t << 8)) & 0x00ff00ff00ff00ffULL;
  // Byte 2k = high nibble of in[k], byte 2k+1 = low nibble.
  const uint64_t v = ((t >> 4) & (kOnes * 0x0f)) | ((t & (kOnes * 0x0f)) << 8);
  // Nibbles > 9 get 'a' - '0' - 10 = 39 more.
  const uint64_t letters = ((v + kOnes * 6) >> 4) & kOnes;
  const uint64_t chars = v + kOnes * '0' + letters * 39;
  std::memcpy(out, &chars, 8);
}

}  // namespace

StatusOr<Traceparent> ParseTraceparent(std::string_view value) {
  if (value.size() < kTraceparentSize) return InvalidArgumentError("traceparent: too short");
  const char* p = value.data();
  uint8_t version = 0;
  if (!DecodeHex2(p, &version)) {
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
  uint8_t* trace = tp.trace_id.mutable_data();
  uint8_t* span = tp.span_id.mutable_data();
  const bool ok = DecodeHex8(p + 3, trace) && DecodeHex8(p + 11, trace + 4) &&
                  DecodeHex8(p + 19, trace + 8) && DecodeHex8(p + 27, trace + 12) &&
                  DecodeHex8(p + 36, span) && DecodeHex8(p + 44, span + 4) &&
                  DecodeHex2(p + 53, &flags);
  if (!ok) {
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
  for (size_t i = 0; i < TraceId::kSize; i += 4) EncodeHex8(trace_id.data() + i, out + 3 + 2 * i);
  out[35] = '-';
  for (size_t i = 0; i < SpanId::kSize; i += 4) EncodeHex8(span_id.data() + i, out + 36 + 2 * i);
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
