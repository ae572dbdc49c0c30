#include "trace/propagation/base64.h"

#include <array>

namespace tracewire::trace::propagation {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<uint8_t, 256> MakeDecodeTable() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = 0xff;
  for (int i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = static_cast<uint8_t>(i);
  return t;
}
constexpr std::array<uint8_t, 256> kDecode = MakeDecodeTable();

}  // namespace

size_t Base64EncodedSize(size_t n, bool pad) {
  return pad ? (n + 2) / 3 * 4 : n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

void EncodeBase64To(const uint8_t* bytes, size_t n, bool pad, char* out) {
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const uint32_t v = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    *out++ = kAlphabet[(v >> 18) & 63];
    *out++ = kAlphabet[(v >> 12) & 63];
    *out++ = kAlphabet[(v >> 6) & 63];
    *out++ = kAlphabet[v & 63];
  }
  if (i == n) return;
  const uint32_t v = (uint32_t{bytes[i]} << 16) | (i + 1 < n ? uint32_t{bytes[i + 1]} << 8 : 0);
  *out++ = kAlphabet[(v >> 18) & 63];
  *out++ = kAlphabet[(v >> 12) & 63];
  if (i + 1 < n) *out++ = kAlphabet[(v >> 6) & 63];
  if (pad) {
    *out++ = '=';
    if (i + 1 == n) *out++ = '=';
  }
}

std::string EncodeBase64(std::string_view bytes, bool pad) {
  std::string out(Base64EncodedSize(bytes.size(), pad), '\0');
  EncodeBase64To(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), pad, out.data());
  return out;
}

bool DecodeBase64To(std::string_view in, uint8_t* out, size_t* out_size) {
  if (in.size() % 4 == 0 && !in.empty()) {
    if (in.back() == '=') in.remove_suffix(1);
    if (in.back() == '=') in.remove_suffix(1);
  }
  if (in.size() % 4 == 1) return false;
  size_t n = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const uint8_t d = kDecode[static_cast<uint8_t>(c)];
    if (d == 0xff) return false;
    acc = (acc << 6) | d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = static_cast<uint8_t>(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  *out_size = n;
  return true;
}

}  // namespace tracewire::trace::propagation
