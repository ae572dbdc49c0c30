// UTF-8 checks for encoders: proto3 `string` fields and JSON text must be valid UTF-8, and
// one bad attribute must not make a collector reject the whole batch. Invalid bytes are each
// replaced by U+FFFD. Hot path: valid (and especially ASCII) input costs one scan.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

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

// True when every byte of `s` is ASCII. Inline: the encoders' hot path.
inline bool IsAscii(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t acc = 0;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    __builtin_memcpy(&w, p, 8);
    acc |= w;
  }
  for (; n > 0; ++p, --n) acc |= static_cast<uint8_t>(*p);
  return (acc & 0x8080808080808080ull) == 0;
}

inline size_t SanitizedUtf8Size(std::string_view s) {
  return IsAscii(s) ? s.size() : SanitizedUtf8SizeSlow(s);
}

// Writes `s` with invalid bytes replaced by U+FFFD; returns the position after the last byte
// written. REQUIRES: `out` has room for SanitizedUtf8Size(s) bytes.
char* WriteSanitizedUtf8(std::string_view s, char* out);

}  // namespace tracewire::otlp::internal
