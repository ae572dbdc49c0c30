// The fast path of attribute decoding: a KeyValue in its common shape, read with a few fixed
// checks instead of the generic field loop (proto_decode.h). HOT PATH: inline, no allocation.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "model/any_value.h"
#include "otlp/internal/utf8.h"

namespace tracewire::otlp::internal {

// The common shape of an attribute, decoded without the generic loop: key (field 1) then value
// (field 2) holding one string, int, bool or double member, all lengths one byte, ASCII text.
// Returns false when the bytes have any other shape (the caller then takes the generic path,
// which gives the same result for these bytes).
[[gnu::always_inline]] inline bool ParseShortKeyValue(std::string_view bytes,
                                                      model::KeyValue* out) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto* end = p + bytes.size();
  if (end - p < 4 || p[0] != 0x0a || p[1] >= 0x80 || p[1] > end - p - 4) return false;
  const std::string_view key(reinterpret_cast<const char*>(p + 2), p[1]);
  p += 2 + p[1];
  if (p[0] != 0x12 || p[1] >= 0x80 || p[1] != end - p - 2) return false;  // value: the rest
  p += 2;
  if (end - p < 2) return false;
  switch (p[0]) {
    case 0x0a: {  // string_value
      if (p[1] >= 0x80 || p[1] != end - p - 2) return false;
      const std::string_view value(reinterpret_cast<const char*>(p + 2), p[1]);
      if (((OrOfBytes(key) | OrOfBytes(value)) & kNonAsciiBits) != 0) return false;
      out->key = key;
      out->value = model::AnyValue::String(value);
      return true;
    }
    case 0x18: {  // int_value: a varint of at most 9 bytes ending the value
      uint64_t v = 0;
      const uint8_t* q = p + 1;
      for (int shift = 0; q < end && shift <= 56; shift += 7) {
        const uint8_t b = *q++;
        v |= static_cast<uint64_t>(b & 0x7f) << shift;
        if ((b & 0x80) != 0) continue;
        if (q != end || !IsAscii(key)) return false;
        out->key = key;
        out->value = model::AnyValue::Int(static_cast<int64_t>(v));
        return true;
      }
      return false;
    }
    case 0x10:  // bool_value
      if (end - p != 2 || p[1] >= 0x80 || !IsAscii(key)) return false;
      out->key = key;
      out->value = model::AnyValue::Bool(p[1] != 0);
      return true;
    case 0x21: {  // double_value
      if (end - p != 9 || !IsAscii(key)) return false;
      uint64_t bits;
      std::memcpy(&bits, p + 1, 8);
      out->key = key;
      out->value = model::AnyValue::Double(std::bit_cast<double>(bits));
      return true;
    }
    default: return false;
  }
}

}  // namespace tracewire::otlp::internal
