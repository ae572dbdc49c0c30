#include "base/hex.h"

#include <array>

namespace tracewire {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

// 0-15 for a hex digit; 0x10 marks an upper-case letter; 0xff anything else.
constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = 0xff;
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<uint8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c) t[c] = static_cast<uint8_t>(0x10 | (c - 'A' + 10));
  return t;
}
constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

}  // namespace

void EncodeHexTo(const uint8_t* bytes, size_t n, char* out) {
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
}

std::string EncodeHex(const uint8_t* bytes, size_t n) {
  std::string out(2 * n, '\0');
  EncodeHexTo(bytes, n, out.data());
  return out;
}

bool DecodeHexTo(std::string_view hex, uint8_t* out, size_t n, bool allow_upper) {
  if (hex.size() != 2 * n) return false;
  const uint8_t mask = allow_upper ? 0x0f : 0xff;
  uint8_t bad = 0;
  for (size_t i = 0; i < n; ++i) {
    uint8_t hi = kDecode[static_cast<uint8_t>(hex[2 * i])];
    uint8_t lo = kDecode[static_cast<uint8_t>(hex[2 * i + 1])];
    bad |= (hi | lo) & 0xe0;  // 0xff for non-digits
    if (!allow_upper) bad |= (hi | lo) & 0x10;
    out[i] = static_cast<uint8_t>(((hi & mask & 0x0f) << 4) | (lo & mask & 0x0f));
  }
  return bad == 0;
}

}  // namespace tracewire
