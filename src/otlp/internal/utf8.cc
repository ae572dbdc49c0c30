#include "otlp/internal/utf8.h"

#include <cstring>

namespace tracewire::otlp::internal {

size_t Utf8SequenceLength(const uint8_t* p, size_t remaining) {
  const uint8_t b0 = p[0];
  if (b0 < 0x80) return 1;
  auto cont = [&](size_t i) { return i < remaining && (p[i] & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (b0 == 0xE0 && p[1] < 0xA0) return 0;   // overlong
    if (b0 == 0xED && p[1] >= 0xA0) return 0;  // UTF-16 surrogates
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (b0 == 0xF0 && p[1] < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && p[1] >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

namespace {

// Index of the first non-ASCII byte of s, or s.size().
size_t AsciiPrefix(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if ((w & 0x8080808080808080ull) != 0) break;
  }
  while (i < s.size() && static_cast<uint8_t>(s[i]) < 0x80) ++i;
  return i;
}

}  // namespace

uint64_t OrOfLongBytes(const char* p, size_t n) {
  uint64_t acc = 0;
  uint64_t w;
  for (size_t i = 0; i + 8 < n; i += 8) {
    std::memcpy(&w, p + i, 8);
    acc |= w;
  }
  std::memcpy(&w, p + n - 8, 8);  // the last 1..8 bytes (overlapping is harmless)
  return acc | w;
}

char* CopyAndOrLongBytes(char* out, std::string_view s, uint64_t& bits) {
  const size_t n = s.size();
  uint64_t acc = 0;
  uint64_t w;
  for (size_t i = 0; i + 8 < n; i += 8) {
    std::memcpy(&w, s.data() + i, 8);
    std::memcpy(out + i, &w, 8);
    acc |= w;
  }
  std::memcpy(&w, s.data() + n - 8, 8);  // the last 1..8 bytes
  std::memcpy(out + n - 8, &w, 8);
  bits |= acc | w;
  return out + n;
}

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t i = AsciiPrefix(s);
  while (i < s.size()) {
    const size_t n = Utf8SequenceLength(p + i, s.size() - i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

size_t SanitizedUtf8SizeSlow(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t i = AsciiPrefix(s);
  size_t size = i;
  while (i < s.size()) {
    const size_t n = Utf8SequenceLength(p + i, s.size() - i);
    if (n == 0) {
      size += kReplacementChar.size();
      ++i;
    } else {
      size += n;
      i += n;
    }
  }
  return size;
}

char* WriteSanitizedUtf8(std::string_view s, char* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t i = AsciiPrefix(s);
  if (i != 0) std::memcpy(out, s.data(), i);
  out += i;
  while (i < s.size()) {
    const size_t n = Utf8SequenceLength(p + i, s.size() - i);
    if (n == 0) {
      std::memcpy(out, kReplacementChar.data(), kReplacementChar.size());
      out += kReplacementChar.size();
      ++i;
    } else {
      std::memcpy(out, s.data() + i, n);
      out += n;
      i += n;
    }
  }
  return out;
}

}  // namespace tracewire::otlp::internal
