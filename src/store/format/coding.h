// Byte coding helpers of the store's formats (LevelDB's util/coding idea): little-endian fixed
// ints, LEB128 varints, zigzag, and a bounds-checked reader over untrusted bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tracewire::store::format {

inline void PutFixed32(std::string* out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);  // little-endian hosts only (x86-64, arm64)
  out->append(b, 4);
}
inline void PutFixed64(std::string* out, uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out->append(b, 8);
}
inline void PutVarint(std::string* out, uint64_t v) {
  char b[10];
  size_t n = 0;
  while (v >= 0x80) {
    b[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  b[n++] = static_cast<char>(v);
  out->append(b, n);
}
inline uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}
inline void PutSignedVarint(std::string* out, int64_t v) { PutVarint(out, ZigZag(v)); }
// A varint length, then the bytes.
inline void PutLengthPrefixed(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}

// Reads from a byte range; every getter returns false (and poisons the reader) on truncation
// or a malformed varint, so callers check once at the end or per step.
class Reader {
 public:
  Reader() = default;
  explicit Reader(std::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool ok() const { return ok_; }
  bool empty() const { return p_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  bool Fail() {
    ok_ = false;
    p_ = end_;
    return false;
  }

  bool Fixed32(uint32_t* v) {
    if (remaining() < 4) return Fail();
    std::memcpy(v, p_, 4);
    p_ += 4;
    return true;
  }
  bool Fixed64(uint64_t* v) {
    if (remaining() < 8) return Fail();
    std::memcpy(v, p_, 8);
    p_ += 8;
    return true;
  }
  bool Varint(uint64_t* v) {
    uint64_t r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) return Fail();
      const auto b = static_cast<uint8_t>(*p_++);
      r |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        *v = r;
        return true;
      }
    }
    return Fail();
  }
  bool Varint32(uint32_t* v) {
    uint64_t x = 0;
    if (!Varint(&x) || x > UINT32_MAX) return Fail();
    *v = static_cast<uint32_t>(x);
    return true;
  }
  bool SignedVarint(int64_t* v) {
    uint64_t x = 0;
    if (!Varint(&x)) return false;
    *v = UnZigZag(x);
    return true;
  }
  bool Byte(uint8_t* v) {
    if (p_ == end_) return Fail();
    *v = static_cast<uint8_t>(*p_++);
    return true;
  }
  bool Bytes(size_t n, std::string_view* out) {
    if (remaining() < n) return Fail();
    *out = std::string_view(p_, n);
    p_ += n;
    return true;
  }
  bool LengthPrefixed(std::string_view* out) {
    uint64_t n = 0;
    if (!Varint(&n)) return false;
    if (n > remaining()) return Fail();
    return Bytes(static_cast<size_t>(n), out);
  }

 private:
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  bool ok_ = true;
};

}  // namespace tracewire::store::format
