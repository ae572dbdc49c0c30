// Reading protobuf bytes in the OTLP decoders: the bounds-checked WireReader of
// base/proto_wire.h for the generic field loops, short-form helpers for the in-order fast paths,
// and the DecodeFailure that names the field at fault, so the hot loops return a plain bool.
// Views point into the input. HOT PATH: inline, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/proto_wire.h"
#include "otlp/internal/utf8.h"

namespace tracewire::otlp::internal {

using ProtoReader = proto_wire::WireReader;
using proto_wire::WireType;

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
[[gnu::always_inline]] inline bool IsUtf8Text(std::string_view s) {
  return IsAsciiBytes(s.data(), s.size()) || IsValidUtf8(s);
}

// One-byte tags of the fast paths (field numbers below 16).
constexpr uint8_t Tag1(uint32_t field, WireType type) {
  return static_cast<uint8_t>(proto_wire::MakeTag(field, type));
}

// ---- short forms, for the fast paths that take fields in their usual shape and leave anything
// else to the generic loop (which then reports errors exactly). None reads outside [p, end).

// A length prefix of one or two bytes at p whose payload fits before `end`: returns the
// payload's start and sets *n.
[[gnu::always_inline]] inline const char* ShortLen(const char* p, const char* end, size_t* n) {
  if (end - p < 1) return nullptr;
  const auto b0 = static_cast<uint8_t>(p[0]);
  if (b0 < 0x80) [[likely]] {
    *n = b0;
    ++p;
  } else {
    if (end - p < 2 || static_cast<uint8_t>(p[1]) >= 0x80) return nullptr;
    *n = (b0 & 0x7fu) | (static_cast<size_t>(static_cast<uint8_t>(p[1])) << 7);
    p += 2;
  }
  if (*n > static_cast<size_t>(end - p)) return nullptr;
  return p;
}

// A length-delimited field with one-byte tag `tag` at p, its length prefix in short form: sets
// *payload and *n. The one-byte prefix (most fields) is tested first.
[[gnu::always_inline]] inline bool ShortLenField(const char* p, const char* end, uint8_t tag,
                                                 const char** payload, size_t* n) {
  if (end - p < 2 || static_cast<uint8_t>(p[0]) != tag) return false;
  const auto len = static_cast<uint8_t>(p[1]);
  if (len < 0x80) [[likely]] {
    if (len > end - p - 2) return false;
    *payload = p + 2;
    *n = len;
    return true;
  }
  *payload = ShortLen(p + 1, end, n);
  return *payload != nullptr;
}

// The in-order fast paths of the span and log record decoders walk a message with this: each
// Take* takes the next field when it has the one-byte tag given (fields below 16) and the short
// form (one- or two-byte lengths, one-byte varints, valid UTF-8 text), and otherwise takes
// nothing and returns false. Fields are tried in ascending order, as encoders write them, so
// once a field is left (out of order, long form, bad text) no later Take matches it and
// position() is where the generic loop goes on (and reports any error). HOT PATH: inline.
class InOrderFields {
 public:
  InOrderFields(const char* p, const char* end) : p_(p), end_(end) {}

  const char* position() const { return p_; }

  [[gnu::always_inline]] bool TakeLen(uint8_t tag, std::string_view* out) {
    const char* payload = nullptr;
    size_t n = 0;
    if (!ShortLenField(p_, end_, tag, &payload, &n)) return false;
    *out = std::string_view(payload, n);
    p_ = payload + n;
    return true;
  }
  // A `string` field: taken only when it is valid UTF-8.
  [[gnu::always_inline]] bool TakeText(uint8_t tag, std::string_view* out) {
    const char* payload = nullptr;
    size_t n = 0;
    if (!ShortLenField(p_, end_, tag, &payload, &n)) return false;
    const std::string_view text(payload, n);
    if (!IsUtf8Text(text)) [[unlikely]]
      return false;
    *out = text;
    p_ = payload + n;
    return true;
  }
  [[gnu::always_inline]] bool TakeVarint(uint8_t tag, uint64_t* out) {
    if (end_ - p_ < 2 || static_cast<uint8_t>(p_[0]) != tag ||
        static_cast<uint8_t>(p_[1]) >= 0x80) {
      return false;
    }
    *out = static_cast<uint8_t>(p_[1]);
    p_ += 2;
    return true;
  }
  [[gnu::always_inline]] bool TakeFixed64(uint8_t tag, uint64_t* out) {
    if (end_ - p_ < 9 || static_cast<uint8_t>(p_[0]) != tag) return false;
    *out = proto_wire::LoadFixed64(p_ + 1);
    p_ += 9;
    return true;
  }
  // A fixed32 field with a tag of `tag_size` (1 or 2) bytes, given little-endian in `tag`.
  [[gnu::always_inline]] bool TakeFixed32(uint16_t tag, size_t tag_size, uint32_t* out) {
    if (static_cast<size_t>(end_ - p_) < tag_size + 4) return false;
    if (static_cast<uint8_t>(p_[0]) != (tag & 0xff)) return false;
    if (tag_size == 2 && static_cast<uint8_t>(p_[1]) != (tag >> 8)) return false;
    *out = proto_wire::LoadFixed32(p_ + tag_size);
    p_ += tag_size + 4;
    return true;
  }

 private:
  const char* p_;
  const char* end_;
};

}  // namespace tracewire::otlp::internal
