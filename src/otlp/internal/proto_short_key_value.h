// The fast path of attribute decoding: a KeyValue in its common shape, read with a few fixed
// checks instead of the generic field loop (proto_decode.h). HOT PATH: inline, no allocation.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "base/proto_wire.h"
#include "model/any_value.h"
#include "otlp/internal/proto_reader.h"

namespace tracewire::otlp::internal {

static_assert(std::endian::native == std::endian::little, "the header word test assumes it");

// A length prefix of one or two bytes at u (REQUIRES: two readable bytes): returns the
// payload's start and sets *n, or nullptr for a longer prefix. Bounds are the caller's.
[[gnu::always_inline]] inline const uint8_t* ShortPrefix(const uint8_t* u, size_t* n) {
  if (u[0] < 0x80) [[likely]] {
    *n = u[0];
    return u + 1;
  }
  if (u[1] >= 0x80) return nullptr;
  *n = (u[0] & 0x7fu) | (static_cast<size_t>(u[1]) << 7);
  return u + 2;
}

// The KeyValue bytes [p, end) in their common shape: key (field 1, a one-byte length) then value
// (field 2, ending the message) holding exactly one string, int, bool, double or bytes member,
// text valid UTF-8. Returns false for any other shape, leaving *out unspecified; the caller then
// takes the generic path, which decodes these bytes the same way or reports what is wrong.
[[gnu::always_inline]] inline bool ParseShortKeyValue(const char* p, const char* end,
                                                      model::KeyValue* out) {
  constexpr uint8_t kKeyTag = Tag1(1, WireType::kLen);
  constexpr uint8_t kValueTag = Tag1(2, WireType::kLen);
  const auto* u = reinterpret_cast<const uint8_t*>(p);
  const auto* u_end = reinterpret_cast<const uint8_t*>(end);
  const auto size = static_cast<size_t>(end - p);
  // The shortest value is 0a k <key> 12 02 <member tag> <byte>: key + 6 bytes.
  if (size < 6 || u[0] != kKeyTag || u[1] >= 0x80 || u[1] + size_t{6} > size) return false;
  const std::string_view key(p + 2, u[1]);
  const uint8_t* value_field = u + 2 + u[1];
  // The most common attribute first, with its four header bytes tested at once:
  // 12 <n + 2> 0a <n> <n text bytes> ending the message, every prefix below 0x80.
  uint32_t header;
  std::memcpy(&header, value_field, 4);  // in bounds: key + 6 <= size
  if ((header & 0x80ff80ffu) == 0x000a0012u) {
    const size_t n = value_field[3];
    if (value_field[1] != n + 2 || value_field + 4 + n != u_end) return false;
    const std::string_view text(reinterpret_cast<const char*>(value_field + 4), n);
    // Every prefix byte is below 0x80, so one scan of the whole message checks key and text.
    if (!IsAsciiBytes(p, size) && (!IsUtf8Text(key) || !IsUtf8Text(text))) return false;
    out->key = key;
    out->value = model::AnyValue::String(text);
    return true;
  }
  if (value_field[0] != kValueTag) return false;
  size_t n = 0;
  const uint8_t* v = ShortPrefix(value_field + 1, &n);
  if (v == nullptr || v + n != u_end || n < 2) return false;  // the value must end the KeyValue
  const auto text_at = [](const uint8_t* at, size_t len) {
    return std::string_view(reinterpret_cast<const char*>(at), len);
  };
  if (v[0] == Tag1(1, WireType::kLen)) {  // string_value
    const uint8_t* s = ShortPrefix(v + 1, &n);
    if (s == nullptr || s + n != u_end) return false;
    const std::string_view text = text_at(s, n);
    // With one-byte lengths every prefix byte is below 0x80, so one scan of the whole message
    // checks the key and the value; otherwise (or for non-ASCII text) check each.
    if (!IsAsciiBytes(p, size) && (!IsUtf8Text(key) || !IsUtf8Text(text))) return false;
    out->key = key;
    out->value = model::AnyValue::String(text);
    return true;
  }
  if (!IsUtf8Text(key)) return false;
  uint64_t x = 0;
  const char* member_end = end;
  switch (v[0]) {
    case Tag1(3, WireType::kVarint):  // int_value
      member_end = proto_wire::ParseVarint(reinterpret_cast<const char*>(v + 1), end, &x);
      out->value = model::AnyValue::Int(static_cast<int64_t>(x));
      break;
    case Tag1(2, WireType::kVarint):  // bool_value
      member_end = proto_wire::ParseVarint(reinterpret_cast<const char*>(v + 1), end, &x);
      out->value = model::AnyValue::Bool(x != 0);
      break;
    case Tag1(4, WireType::kFixed64):  // double_value
      if (u_end - v != 9) return false;
      x = proto_wire::LoadFixed64(reinterpret_cast<const char*>(v + 1));
      out->value = model::AnyValue::Double(std::bit_cast<double>(x));
      break;
    case Tag1(7, WireType::kLen): {  // bytes_value
      const uint8_t* b = ShortPrefix(v + 1, &n);
      if (b == nullptr || b + n != u_end) return false;
      out->value = model::AnyValue::Bytes(text_at(b, n));
      break;
    }
    default: return false;
  }
  if (member_end != end) return false;
  out->key = key;
  return true;
}

}  // namespace tracewire::otlp::internal
