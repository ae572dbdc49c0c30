// Encoding of OTLP values (AnyValue, key-value lists) shared by the WAL row format and the
// block pages. A value is a type byte (model::ValueType) then its payload: strings and bytes
// inline (varint length + bytes) or as a varint id into a string dictionary, ints as zigzag
// varints, doubles as 8 bytes, bools as one byte, arrays and maps as a count then elements.
// Keys go to their own stream so a columnar page can keep them apart from the values.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/any_value.h"
#include "model/arena.h"
#include "store/format/coding.h"
#include "store/format/string_ids.h"

namespace tracewire::store::format {

inline constexpr int kMaxValueDepth = 16;  // nesting of arrays/maps accepted on decode
// Set on a string/bytes value's type byte when its text follows inline although the encoder
// uses a dictionary (ValueEncoder::inline_new_strings).
inline constexpr uint8_t kInlineStringFlag = 0x80;

// Interns strings to dense ids, in first-seen order. Views must outlive the dictionary.
class StringDict {
 public:
  uint32_t Intern(std::string_view s) { return ids_.Intern(s); }
  uint32_t Find(std::string_view s) const { return ids_.Find(s); }
  // A dictionary holding the same strings with the same ids (seeds each page from its block's).
  StringDict Clone() const {
    StringDict d;
    d.ids_ = ids_.Clone();
    return d;
  }
  const std::vector<std::string_view>& strings() const { return ids_.keys(); }
  void Clear() { ids_.Clear(); }

 private:
  StringViewIds ids_;
};

// Writes strings inline (dict == nullptr) or as dictionary ids. With inline_new_strings, a
// string or bytes VALUE (never a key) not yet in the dictionary is written inline (type byte |
// kInlineStringFlag, then length and bytes) instead of being added: values that recur are in
// the dictionary already (a block's shared strings), the rest compress better beside their
// key's other values than in the dictionary.
struct ValueEncoder {
  std::string* keys = nullptr;
  std::string* values = nullptr;
  StringDict* dict = nullptr;
  bool inline_new_strings = false;

  void String(std::string* out, std::string_view s) const {
    if (dict == nullptr) {
      PutLengthPrefixed(out, s);
    } else {
      PutVarint(out, dict->Intern(s));
    }
  }
  void Value(const model::AnyValue& v) const;
  // A count on `values`, then per pair the key on `keys` and the value on `values`.
  void KeyValues(std::span<const model::KeyValue> kvs) const;
};

// Reads what ValueEncoder wrote; arrays land in `arena`, strings are views into the input (or
// the dictionary). Every getter returns false on malformed input.
struct ValueDecoder {
  Reader* keys = nullptr;
  Reader* values = nullptr;
  const std::vector<std::string_view>* dict = nullptr;
  model::Arena* arena = nullptr;

  bool String(Reader* in, std::string_view* s) const {
    if (dict == nullptr) return in->LengthPrefixed(s);
    uint32_t id = 0;
    if (!in->Varint32(&id)) return false;
    if (id >= dict->size()) return in->Fail();
    *s = (*dict)[id];
    return true;
  }
  bool Value(model::AnyValue* v, int depth = 0) const;
  bool KeyValues(std::span<const model::KeyValue>* kvs, int depth = 0) const;
};

// Appends `v` rendered as query text: strings as-is, ints in decimal, bools true/false,
// doubles shortest round-trip, bytes as lower-case hex, arrays/maps as compact JSON-like text.
void AppendValueText(const model::AnyValue& v, std::string* out);

}  // namespace tracewire::store::format
