// A zero-copy reader over protobuf wire-format bytes for the OTLP decoders
// (https://protobuf.dev/programming-guides/encoding/). Views it returns point into the input.
// Errors are recorded once in a DecodeFailure that names the field, so the hot loops return a
// plain bool. HOT PATH: inline, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "otlp/internal/utf8.h"

namespace tracewire::otlp::internal {

inline constexpr uint32_t kWireVarint = 0;
inline constexpr uint32_t kWireFixed64 = 1;
inline constexpr uint32_t kWireLen = 2;
inline constexpr uint32_t kWireFixed32 = 5;

// The first error found while decoding: `field` names it as "Message.field" (a string literal),
// `problem` says what was wrong (a string literal).
struct DecodeFailure {
  const char* field = nullptr;
  const char* problem = nullptr;

  bool failed() const { return field != nullptr; }
  // Records the failure (the first one wins) and returns false, for `return f.Fail(...)`.
  bool Fail(const char* f, const char* p) {
    if (field == nullptr) {
      field = f;
      problem = p;
    }
    return false;
  }
};

inline constexpr const char* kBadVarint = "malformed varint";
inline constexpr const char* kPastEnd = "length past the end of the message";
inline constexpr const char* kWrongWireType = "wrong wire type";
inline constexpr const char* kBadUtf8 = "invalid UTF-8";
inline constexpr const char* kTruncated = "truncated";
inline constexpr const char* kBadTag = "malformed tag or unskippable field";

// True when `s` is well-formed UTF-8; ASCII (the common case) costs a few loads.
inline bool IsUtf8Text(std::string_view s) { return IsAscii(s) || IsValidUtf8(s); }

class ProtoReader {
 public:
  explicit ProtoReader(std::string_view bytes)
      : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool done() const { return p_ >= end_; }

  // Reads the next tag. Field numbers must be in [1, 2^29).
  bool ReadTag(uint32_t* field, uint32_t* wire) {
    uint64_t tag;
    if (p_ < end_ && static_cast<uint8_t>(*p_) < 0x80) [[likely]] {
      tag = static_cast<uint8_t>(*p_++);
    } else if (!ReadVarintSlow(&tag) || tag > 0xffffffffu) {
      return false;
    }
    *field = static_cast<uint32_t>(tag >> 3);
    *wire = static_cast<uint32_t>(tag & 7);
    return *field != 0;
  }

  bool ReadVarint(uint64_t* v) {
    if (p_ < end_ && static_cast<uint8_t>(*p_) < 0x80) [[likely]] {
      *v = static_cast<uint8_t>(*p_++);
      return true;
    }
    return ReadVarintSlow(v);
  }

  bool ReadFixed64(uint64_t* v) {
    if (end_ - p_ < 8) return false;
    std::memcpy(v, p_, 8);  // little-endian hosts only (static_assert in proto_decode.cc)
    p_ += 8;
    return true;
  }

  bool ReadFixed32(uint32_t* v) {
    if (end_ - p_ < 4) return false;
    std::memcpy(v, p_, 4);
    p_ += 4;
    return true;
  }

  // A length-delimited value; false when the length runs past the end.
  bool ReadLen(std::string_view* out) {
    uint64_t n;
    if (!ReadVarint(&n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    *out = std::string_view(p_, static_cast<size_t>(n));
    p_ += n;
    return true;
  }

  // Skips a value of an unknown field. Groups (wire types 3, 4) are not skippable: they fail.
  bool Skip(uint32_t wire) {
    uint64_t ignored;
    std::string_view ignored_bytes;
    switch (wire) {
      case kWireVarint: return ReadVarint(&ignored);
      case kWireFixed64: return Advance(8);
      case kWireFixed32: return Advance(4);
      case kWireLen: return ReadLen(&ignored_bytes);
      default: return false;
    }
  }

 private:
  bool Advance(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    p_ += n;
    return true;
  }

  bool ReadVarintSlow(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) return false;
      const auto byte = static_cast<uint8_t>(*p_++);
      if (shift == 63 && byte > 1) return false;  // bits past 64
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return false;  // more than 10 bytes
  }

  const char* p_;
  const char* end_;
};

}  // namespace tracewire::otlp::internal
