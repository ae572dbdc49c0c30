// UTF-8 checks for encoders: proto3 `string` fields and JSON text must be valid UTF-8, and
// one bad attribute must not make a collector reject the whole batch. Invalid bytes are each
// replaced by U+FFFD. Hot path: valid (and especially ASCII) input costs one scan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tracewire::otlp::internal {

// The replacement character U+FFFD in UTF-8.
inline constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

// Length (1..4) of the well-formed UTF-8 sequence starting at p[0] (RFC 3629: no overlong
// forms, no surrogates, at most U+10FFFF), or 0 when the bytes there are not one.
// REQUIRES: remaining >= 1.
size_t Utf8SequenceLength(const uint8_t* p, size_t remaining);

// True when `s` is entirely well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// Size in bytes of `s` after every invalid byte is replaced by U+FFFD; equals s.size()
// exactly when `s` is valid (a replacement always grows the text).
size_t SanitizedUtf8SizeSlow(std::string_view s);

// Bitwise OR of the bytes of `s`, folded into a word: bit 7 of some byte of the result is set
// exactly when `s` has a non-ASCII byte (test with kNonAsciiBits). ORing the results of several
// strings checks them all at once. Reads only inside `s`; a handful of loads for short strings.
inline constexpr uint64_t kNonAsciiBits = 0x8080808080808080ull;
uint64_t OrOfLongBytes(const char* p, size_t n);  // OrOfBytes for n > 32
inline uint64_t OrOfBytes(std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  if (n > 32) return OrOfLongBytes(p, n);
  if (n > 16) {
    uint64_t a, b, c, d;  // first and last 16 bytes
    __builtin_memcpy(&a, p, 8);
    __builtin_memcpy(&b, p + 8, 8);
    __builtin_memcpy(&c, p + n - 16, 8);
    __builtin_memcpy(&d, p + n - 8, 8);
    return a | b | c | d;
  }
  if (n >= 8) {
    uint64_t a, b;  // first and last 8 bytes (overlapping is harmless)
    __builtin_memcpy(&a, p, 8);
    __builtin_memcpy(&b, p + n - 8, 8);
    return a | b;
  }
  if (n >= 4) {
    uint32_t a, b;
    __builtin_memcpy(&a, p, 4);
    __builtin_memcpy(&b, p + n - 4, 4);
    return a | b;
  }
  if (n >= 2) {
    uint16_t a, b;
    __builtin_memcpy(&a, p, 2);
    __builtin_memcpy(&b, p + n - 2, 2);
    return a | b;
  }
  return n == 1 ? static_cast<uint8_t>(p[0]) : 0;
}

// Copies `s` to `out` (room for s.size() bytes) and ORs its bytes into `bits` as OrOfBytes
// would: the check for ASCII rides on the loads of the copy. Returns out + s.size().
char* CopyAndOrLongBytes(char* out, std::string_view s, uint64_t& bits);  // for size > 32
inline char* CopyAndOrBytes(char* out, std::string_view s, uint64_t& bits) {
  const char* p = s.data();
  const size_t n = s.size();
  if (n > 32) return CopyAndOrLongBytes(out, s, bits);
  if (n > 16) {  // four words: 0..16 and n-16..n
    uint64_t a, b, c, d;
    __builtin_memcpy(&a, p, 8);
    __builtin_memcpy(&b, p + 8, 8);
    __builtin_memcpy(&c, p + n - 16, 8);
    __builtin_memcpy(&d, p + n - 8, 8);
    __builtin_memcpy(out, &a, 8);
    __builtin_memcpy(out + 8, &b, 8);
    __builtin_memcpy(out + n - 16, &c, 8);
    __builtin_memcpy(out + n - 8, &d, 8);
    bits |= a | b | c | d;
    return out + n;
  }
  if (n >= 8) {  // the first and the last 8 bytes
    uint64_t a, b;
    __builtin_memcpy(&a, p, 8);
    __builtin_memcpy(&b, p + n - 8, 8);
    __builtin_memcpy(out, &a, 8);
    __builtin_memcpy(out + n - 8, &b, 8);
    bits |= a | b;
    return out + n;
  }
  if (n >= 4) {
    uint32_t a, b;
    __builtin_memcpy(&a, p, 4);
    __builtin_memcpy(&b, p + n - 4, 4);
    __builtin_memcpy(out, &a, 4);
    __builtin_memcpy(out + n - 4, &b, 4);
    bits |= a | b;
    return out + n;
  }
  for (size_t i = 0; i < n; ++i) {
    out[i] = p[i];
    bits |= static_cast<uint8_t>(p[i]);
  }
  return out + n;
}

// True when every byte of `s` is ASCII. Inline: the encoders' hot path.
inline bool IsAscii(std::string_view s) { return (OrOfBytes(s) & kNonAsciiBits) == 0; }

// True when the bytes p[0..n) are all ASCII. Inline at every size (with SSE2, two or four
// 16-byte loads up to 64 bytes): the decoders' hot path, where keys and values are mostly 10-60
// bytes.
[[gnu::always_inline]] inline bool IsAsciiBytes(const char* p, size_t n) {
#if defined(__SSE2__)
  if (n >= 16) {
    auto load = [](const char* at) {
      return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    };
    __m128i acc = _mm_or_si128(load(p), load(p + n - 16));
    if (n > 32) {
      acc = _mm_or_si128(acc, _mm_or_si128(load(p + 16), load(p + n - 32)));
      for (size_t i = 32; i + 32 < n; i += 16) acc = _mm_or_si128(acc, load(p + i));
    }
    return _mm_movemask_epi8(acc) == 0;
  }
#endif
  return (OrOfBytes(std::string_view(p, n)) & kNonAsciiBits) == 0;
}

inline size_t SanitizedUtf8Size(std::string_view s) {
  return IsAscii(s) ? s.size() : SanitizedUtf8SizeSlow(s);
}

// Writes `s` with invalid bytes replaced by U+FFFD; returns the position after the last byte
// written. REQUIRES: `out` has room for SanitizedUtf8Size(s) bytes.
char* WriteSanitizedUtf8(std::string_view s, char* out);

}  // namespace tracewire::otlp::internal
