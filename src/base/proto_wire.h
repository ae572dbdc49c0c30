// Protobuf wire-format primitives (https://protobuf.dev/programming-guides/encoding/) for the
// hand-written codecs: base-128 varints, tags, little-endian fixed-width values and a
// bounds-checked reader over untrusted bytes. Header-only. HOT PATH: inline, no allocation.
//
// Limits, as libprotobuf applies them: a varint takes at most 10 bytes and carries no bits past
// 64; a tag fits in 32 bits and its field number is at least 1; groups are not supported.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tracewire::proto_wire {

enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLen = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

// The tag of `field` with wire type `type` (a varint of 1 byte for fields 1..15).
constexpr uint32_t MakeTag(uint32_t field, WireType type) {
  return (field << 3) | static_cast<uint32_t>(type);
}

// ---- writing

// Bytes taken by the varint coding of `v` (1..10).
inline size_t VarintSize(uint64_t v) {
  if (v < 0x80) [[likely]]
    return 1;  // tags, and the lengths of most strings and messages
  // Each 7 bits past the first take one more byte; |1 makes the zero case one byte.
  const int bits = 64 - __builtin_clzll(v | 1);
  return static_cast<size_t>((bits + 6) / 7);
}

// Bytes of a length-delimited field with a one-byte tag and an `n`-byte payload.
inline size_t LenFieldSize(size_t n) { return 1 + VarintSize(n) + n; }

// Writes `v` as a varint at `p` (room for VarintSize(v) bytes); returns the position after it.
inline char* WriteVarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

// Little-endian fixed-width stores (fixed32, fixed64, double); return the position after.
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

// ---- reading

// Little-endian fixed-width loads. REQUIRES: 4 / 8 readable bytes at p.
inline uint32_t LoadFixed32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap32(v);
  return v;
}
inline uint64_t LoadFixed64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

// The varint at p (p < end may not hold: then it fails). Returns the position after it, or
// nullptr when it is truncated, longer than 10 bytes or carries bits past 64.
[[gnu::noinline]] inline const char* ParseVarintSlow(const char* p, const char* end, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p >= end) return nullptr;
    const auto byte = static_cast<uint8_t>(*p++);
    if (shift == 63 && byte > 1) return nullptr;  // bits past 64
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return p;
    }
  }
  return nullptr;  // more than 10 bytes
}
// As ParseVarintSlow, with the one- and two-byte forms (tags, most lengths) inline.
[[gnu::always_inline]] inline const char* ParseVarint(const char* p, const char* end, uint64_t* v) {
  if (p < end) [[likely]] {
    const auto b0 = static_cast<uint8_t>(p[0]);
    if (b0 < 0x80) [[likely]] {
      *v = b0;
      return p + 1;
    }
    if (end - p >= 2) {
      const auto b1 = static_cast<uint8_t>(p[1]);
      if (b1 < 0x80) {
        *v = (b0 & 0x7fu) | (uint64_t{b1} << 7);
        return p + 2;
      }
    }
  }
  return ParseVarintSlow(p, end, v);
}

// A bounds-checked reader over untrusted bytes; views it returns point into them. Every Read*
// returns false on truncation or malformed input, leaving the position unspecified (but inside
// the bytes).
class WireReader {
 public:
  explicit WireReader(std::string_view bytes)
      : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}
  WireReader(const char* begin, const char* end) : p_(begin), end_(end) {}

  bool done() const { return p_ >= end_; }
  const char* position() const { return p_; }
  const char* end() const { return end_; }

  bool ReadVarint(uint64_t* v) {
    const char* next = ParseVarint(p_, end_, v);
    if (next == nullptr) [[unlikely]]
      return false;
    p_ = next;
    return true;
  }

  // Reads a tag: field numbers must be in [1, 2^29) and the tag must fit in 32 bits. The wire
  // type is returned as read (groups and the undefined types 6 and 7 included).
  bool ReadTag(uint32_t* field, WireType* type) {
    uint64_t tag;
    if (!ReadVarint(&tag) || tag > 0xffffffffu) [[unlikely]]
      return false;
    *field = static_cast<uint32_t>(tag >> 3);
    *type = static_cast<WireType>(tag & 7);
    return *field != 0;
  }

  bool ReadFixed32(uint32_t* v) {
    if (end_ - p_ < 4) [[unlikely]]
      return false;
    *v = LoadFixed32(p_);
    p_ += 4;
    return true;
  }
  bool ReadFixed64(uint64_t* v) {
    if (end_ - p_ < 8) [[unlikely]]
      return false;
    *v = LoadFixed64(p_);
    p_ += 8;
    return true;
  }

  // A length-delimited value; false when its length runs past the end.
  bool ReadLengthDelimited(std::string_view* out) {
    uint64_t n;
    if (!ReadVarint(&n) || n > static_cast<uint64_t>(end_ - p_)) [[unlikely]]
      return false;
    *out = std::string_view(p_, static_cast<size_t>(n));
    p_ += n;
    return true;
  }

  // Skips one value of an unknown field. Groups (3, 4) and the undefined types 6 and 7 fail.
  bool Skip(WireType type) {
    uint64_t ignored;
    std::string_view ignored_bytes;
    switch (type) {
      case WireType::kVarint: return ReadVarint(&ignored);
      case WireType::kFixed64: return Advance(8);
      case WireType::kFixed32: return Advance(4);
      case WireType::kLen: return ReadLengthDelimited(&ignored_bytes);
      default: return false;
    }
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

}  // namespace tracewire::proto_wire
