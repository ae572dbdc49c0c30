// TraceId and SpanId: fixed-size byte ids, all-zero meaning "invalid" (W3C Trace Context §3.2.2).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "base/hex.h"

namespace tracewire::trace {

template <size_t N>
class ByteId {
 public:
  static constexpr size_t kSize = N;
  static constexpr size_t kHexSize = 2 * N;

  constexpr ByteId() = default;  // all zero: invalid
  explicit ByteId(std::span<const uint8_t, N> bytes) {
    std::memcpy(bytes_.data(), bytes.data(), N);
  }

  // Parses exactly kHexSize lower-case hex digits; returns the invalid (all-zero) id on any
  // error. NOTE: a well-formed all-zero string also yields an invalid id.
  static ByteId FromHex(std::string_view hex) {
    ByteId id;
    if (!DecodeHexTo(hex, id.bytes_.data(), N)) return ByteId();
    return id;
  }

  bool IsValid() const {
    uint64_t acc = 0;
    for (size_t i = 0; i < N; i += 8) {
      uint64_t w;
      std::memcpy(&w, bytes_.data() + i, 8);
      acc |= w;
    }
    return acc != 0;
  }

  const uint8_t* data() const { return bytes_.data(); }
  uint8_t* mutable_data() { return bytes_.data(); }
  std::span<const uint8_t, N> bytes() const { return bytes_; }

  // Writes kHexSize lower-case hex digits to out.
  void ToHex(char* out) const { EncodeHexTo(bytes_.data(), N, out); }
  std::string ToHex() const { return EncodeHex(bytes_.data(), N); }

  friend bool operator==(const ByteId& a, const ByteId& b) = default;
  friend auto operator<=>(const ByteId& a, const ByteId& b) = default;

 private:
  std::array<uint8_t, N> bytes_{};
};

using TraceId = ByteId<16>;
using SpanId = ByteId<8>;

}  // namespace tracewire::trace
