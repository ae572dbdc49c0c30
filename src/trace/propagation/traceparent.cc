#include "trace/propagation/traceparent.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tracewire::trace::propagation {
namespace {

// Hot path: hex coding 16 chars at a time in SSE2 registers, or 8 at a time in a 64-bit word
// (SWAR) where SSE2 is missing; inlined into parse/format.
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
[[maybe_unused, gnu::always_inline]] inline bool DecodeHex8(const char* p, uint8_t* out) {
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

// Decodes 16 lower-case hex chars at p into 8 bytes at out. Returns false on a bad char.
[[gnu::always_inline]] inline bool DecodeHex16(const char* p, uint8_t* out) {
#if defined(__SSE2__)
  const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Signed byte compares: bytes >= 0x80 are negative and fall in neither range.
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(c, _mm_set1_epi8('9' + 1)));
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(c, _mm_set1_epi8('f' + 1)));
  const __m128i nibbles =
      _mm_add_epi8(_mm_and_si128(c, _mm_set1_epi8(0x0f)), _mm_and_si128(letter, _mm_set1_epi8(9)));
  // 16-bit lane k holds chars 2k (low byte) and 2k+1 (high byte): byte k = c[2k] << 4 | c[2k+1].
  const __m128i pairs = _mm_or_si128(
      _mm_slli_epi16(_mm_and_si128(nibbles, _mm_set1_epi16(0xff)), 4), _mm_srli_epi16(nibbles, 8));
  _mm_storel_epi64(reinterpret_cast<__m128i*>(out), _mm_packus_epi16(pairs, pairs));
  return _mm_movemask_epi8(_mm_or_si128(digit, letter)) == 0xffff;
#else
  return DecodeHex8(p, out) && DecodeHex8(p + 8, out + 4);
#endif
}

// Decodes exactly 2 lower-case hex chars.
[[gnu::always_inline]] inline bool DecodeHex2(const char* p, uint8_t* out) {
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
[[maybe_unused, gnu::always_inline]] inline void EncodeHex8(const uint8_t* in, char* out) {
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

// Encodes 8 bytes as 16 lower-case hex chars.
[[gnu::always_inline]] inline void EncodeHex16(const uint8_t* in, char* out) {
#if defined(__SSE2__)
  const __m128i b = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in));
  const __m128i low4 = _mm_set1_epi8(0x0f);
  // Byte 2k = high nibble of in[k], byte 2k+1 = low nibble.
  const __m128i n =
      _mm_unpacklo_epi8(_mm_and_si128(_mm_srli_epi16(b, 4), low4), _mm_and_si128(b, low4));
  // Nibbles > 9 get 'a' - '0' - 10 = 39 more.
  const __m128i letters =
      _mm_and_si128(_mm_cmpgt_epi8(n, _mm_set1_epi8(9)), _mm_set1_epi8('a' - '0' - 10));
  const __m128i chars = _mm_add_epi8(_mm_add_epi8(n, _mm_set1_epi8('0')), letters);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out), chars);
#else
  EncodeHex8(in, out);
  EncodeHex8(in + 4, out + 8);
#endif
}

// The one parser behind ParseTraceparent and ParseTraceparentTo: fills *tp and returns nullptr,
// or returns the reason (a static string) the value is invalid. No Status is built here, so the
// success path costs only the byte checks.
[[gnu::always_inline]] inline const char* ParseTraceparentImpl(std::string_view value,
                                                               Traceparent* tp) {
  if (value.size() < kTraceparentSize) return "traceparent: too short";
  const char* p = value.data();
  uint8_t version = 0;
  if (!DecodeHex2(p, &version)) return "traceparent: version is not lower-case hex";
  if (version == 0xff) return "traceparent: version ff is forbidden";
  if ((p[2] != '-') | (p[35] != '-') | (p[52] != '-')) {
    return "traceparent: bad field delimiters";
  }
  if (version == 0 && value.size() != kTraceparentSize) {
    return "traceparent: version 00 must be exactly 55 chars";
  }
  if (value.size() > kTraceparentSize && p[kTraceparentSize] != '-') {
    return "traceparent: flags not followed by '-'";
  }
  uint8_t flags = 0;
  uint8_t* trace = tp->trace_id.mutable_data();
  uint8_t* span = tp->span_id.mutable_data();
  // Non-short-circuit '&': every decode runs, with one branch on the combined result.
  const int ok = int{DecodeHex16(p + 3, trace)} & int{DecodeHex16(p + 19, trace + 8)} &
                 int{DecodeHex16(p + 36, span)} & int{DecodeHex2(p + 53, &flags)};
  if (!ok) return "traceparent: ids and flags must be lower-case hex";
  if (!tp->trace_id.IsValid()) return "traceparent: trace-id is all zeros";
  if (!tp->span_id.IsValid()) return "traceparent: parent-id is all zeros";
  tp->flags = TraceFlags(flags);
  return nullptr;
}

}  // namespace

StatusOr<Traceparent> ParseTraceparent(std::string_view value) {
  Traceparent tp;
  if (const char* error = ParseTraceparentImpl(value, &tp)) return InvalidArgumentError(error);
  return tp;
}

bool ParseTraceparentTo(std::string_view value, Traceparent* out) noexcept {
  return ParseTraceparentImpl(value, out) == nullptr;
}

void FormatTraceparentTo(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags,
                         char* out) {
  out[0] = '0';
  out[1] = '0';
  out[2] = '-';
  EncodeHex16(trace_id.data(), out + 3);
  EncodeHex16(trace_id.data() + 8, out + 19);
  out[35] = '-';
  EncodeHex16(span_id.data(), out + 36);
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
