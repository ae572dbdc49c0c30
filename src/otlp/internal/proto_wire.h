// Protobuf wire-format primitives for the hand-written OTLP encoder and response parser
// (https://protobuf.dev/programming-guides/encoding/). Hot path: inline, no allocation.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tracewire::otlp::internal {

enum class WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

constexpr uint32_t MakeTag(uint32_t field, WireType type) {
  return (field << 3) | static_cast<uint32_t>(type);
}

// Bytes taken by the base-128 varint coding of `v` (1..10).
inline size_t VarintSize(uint64_t v) {
  if (v < 0x80) [[likely]]
    return 1;  // tags, and the lengths of most strings and messages
  // Each 7 bits past the first take one more byte; |1 makes the zero case one byte.
  const int bits = 64 - __builtin_clzll(v | 1);
  return static_cast<size_t>((bits + 6) / 7);
}

// Writes `v` as a varint at `p`; returns the position after it.
inline char* WriteVarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

// Copies n bytes, kChunk <= n <= 2 * kChunk, as a first and a last chunk that may overlap.
template <size_t kChunk>
inline void CopyOverlapping(char* p, const char* s, size_t n) {
  char head[kChunk];
  char tail[kChunk];
  std::memcpy(head, s, kChunk);
  std::memcpy(tail, s + n - kChunk, kChunk);
  std::memcpy(p, head, kChunk);
  std::memcpy(p + n - kChunk, tail, kChunk);
}

// Copies n bytes to `p`; returns p + n. Short copies (names, keys, attribute values) are done
// inline with two overlapping loads and stores instead of a call to memcpy.
inline char* WriteBytes(char* p, const void* src, size_t n) {
  const auto* s = static_cast<const char*>(src);
  if (n > 32) {
    std::memcpy(p, s, n);
  } else if (n >= 16) {
    CopyOverlapping<16>(p, s, n);
  } else if (n >= 8) {
    CopyOverlapping<8>(p, s, n);
  } else if (n >= 4) {
    CopyOverlapping<4>(p, s, n);
  } else if (n != 0) {
    p[0] = s[0];
    p[n / 2] = s[n / 2];
    p[n - 1] = s[n - 1];
  }
  return p + n;
}

// Little-endian fixed-width stores (protobuf fixed32/fixed64/double).
inline char* WriteFixed32(char* p, uint32_t v) {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(p, &v, 4);
  } else {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * i));
  }
  return p + 4;
}
inline char* WriteFixed64(char* p, uint64_t v) {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(p, &v, 8);
  } else {
    for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (8 * i));
  }
  return p + 8;
}

// A bounds-checked reader over untrusted bytes. Every Read* returns false on truncation or
// malformed input and leaves the reader in an unspecified (but safe) position.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : p_(data.data()), end_(data.data() + data.size()) {}

  bool done() const { return p_ == end_; }

  bool ReadVarint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return false;
      const auto byte = static_cast<uint8_t>(*p_++);
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return false;  // more than 10 bytes
  }

  // Reads a tag; field numbers must be in [1, 2^29).
  bool ReadTag(uint32_t* field, WireType* type) {
    uint64_t tag = 0;
    if (!ReadVarint(&tag) || tag > 0xffffffffu) return false;
    *field = static_cast<uint32_t>(tag >> 3);
    *type = static_cast<WireType>(tag & 7);
    return *field != 0;
  }

  bool ReadLengthDelimited(std::string_view* out) {
    uint64_t n = 0;
    if (!ReadVarint(&n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    *out = std::string_view(p_, static_cast<size_t>(n));
    p_ += n;
    return true;
  }

  // Skips one value of `type` (groups are not supported: they fail).
  bool Skip(WireType type) {
    uint64_t ignored = 0;
    std::string_view ignored_bytes;
    switch (type) {
      case WireType::kVarint: return ReadVarint(&ignored);
      case WireType::kFixed64: return Advance(8);
      case WireType::kFixed32: return Advance(4);
      case WireType::kLen: return ReadLengthDelimited(&ignored_bytes);
    }
    return false;
  }

 private:
  bool Advance(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    p_ += n;
    return true;
  }

  const char* p_;
  const char* end_;
};

}  // namespace tracewire::otlp::internal
