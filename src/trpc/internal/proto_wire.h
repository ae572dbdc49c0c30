// Protobuf wire-format primitives for the hand-written tRPC header codec
// (https://protobuf.dev/programming-guides/encoding/). Hot path: inline, no allocation.
// Every field number of trpc.proto is below 16, so each tag is one byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace tracewire::trpc::internal {

enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLen = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5
};

constexpr char Tag(uint32_t field, WireType type) {
  return static_cast<char>((field << 3) | static_cast<uint32_t>(type));
}

// Bytes taken by the base-128 varint coding of `v` (1..10).
inline size_t VarintSize(uint64_t v) {
  const int bits = 64 - __builtin_clzll(v | 1);
  return static_cast<size_t>((bits + 6) / 7);
}

// protobuf writes a negative int32 sign-extended to 64 bits, so it always takes 10 bytes.
inline uint64_t Int32AsVarint(int32_t v) { return static_cast<uint64_t>(static_cast<int64_t>(v)); }

// Writes `v` as a varint at `p`; returns the position after it.
inline char* WriteVarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

// Size of a varint field (tag + value), 0 when the value is zero (proto3 omits it).
inline size_t VarintFieldSize(uint64_t v) { return v == 0 ? 0 : 1 + VarintSize(v); }
// Size of a bytes field whose payload is `n` bytes, 0 when empty (proto3 omits it).
inline size_t BytesFieldSize(size_t n) { return n == 0 ? 0 : 1 + VarintSize(n) + n; }
// Size of a length-delimited field that is always written (map entries, present messages).
inline size_t LenFieldSize(size_t n) { return 1 + VarintSize(n) + n; }

inline char* WriteVarintField(char* p, uint32_t field, uint64_t v) {
  if (v == 0) return p;
  *p++ = Tag(field, WireType::kVarint);
  return WriteVarint(p, v);
}

inline char* WriteBytes(char* p, std::string_view bytes) {
  if (bytes.empty()) return p;  // data() may be null, which memcpy must not see
  std::memcpy(p, bytes.data(), bytes.size());
  return p + bytes.size();
}

inline char* WriteLenField(char* p, uint32_t field, std::string_view bytes) {
  *p++ = Tag(field, WireType::kLen);
  p = WriteVarint(p, bytes.size());
  return WriteBytes(p, bytes);
}

inline char* WriteBytesField(char* p, uint32_t field, std::string_view bytes) {
  return bytes.empty() ? p : WriteLenField(p, field, bytes);
}

// A bounds-checked reader over untrusted bytes. Read* return false on truncation or malformed
// input, after which the reader's position is unspecified (but safe). The limits follow what
// libprotobuf accepts: varints of at most 10 bytes, tags and lengths of at most 5 bytes, field
// numbers >= 1, no groups.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : p_(data.data()), end_(data.data() + data.size()) {}

  bool done() const { return p_ == end_; }

  bool ReadVarint(uint64_t* v) { return ReadVarintLimited(10, v); }

  bool ReadTag(uint32_t* field, WireType* type) {
    uint64_t tag = 0;
    if (!ReadVarintLimited(5, &tag) || tag > 0xffffffffu) return false;
    *field = static_cast<uint32_t>(tag >> 3);
    *type = static_cast<WireType>(tag & 7);
    return *field != 0;
  }

  bool ReadLengthDelimited(std::string_view* out) {
    uint64_t n = 0;
    if (!ReadVarintLimited(5, &n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    *out = std::string_view(p_, static_cast<size_t>(n));
    p_ += n;
    return true;
  }

  // Skips one value of an unknown field; groups and wire types 6/7 fail.
  bool Skip(WireType type) {
    uint64_t ignored = 0;
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
  bool ReadVarintLimited(int max_bytes, uint64_t* v) {
    uint64_t result = 0;
    for (int i = 0; i < max_bytes; ++i) {
      if (p_ == end_) return false;
      const auto byte = static_cast<uint8_t>(*p_++);
      result |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
      if ((byte & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return false;
  }

  bool Advance(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    p_ += n;
    return true;
  }

  const char* p_;
  const char* end_;
};

}  // namespace tracewire::trpc::internal
