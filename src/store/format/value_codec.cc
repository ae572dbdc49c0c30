#include "store/format/value_codec.h"

#include <charconv>
#include <cstring>

#include "base/hex.h"

namespace tracewire::store::format {

using model::AnyValue;
using model::KeyValue;
using model::ValueType;

void ValueEncoder::Value(const AnyValue& v) const {
  values->push_back(static_cast<char>(v.type()));
  switch (v.type()) {
    case ValueType::kEmpty: break;
    case ValueType::kString:
    case ValueType::kBytes: {
      const std::string_view s = v.string_value();
      if (inline_new_strings && dict != nullptr) {
        const uint32_t id = dict->Find(s);
        if (id == StringViewIds::kAbsent) {
          values->back() = static_cast<char>(static_cast<uint8_t>(v.type()) | kInlineStringFlag);
          PutLengthPrefixed(values, s);
        } else {
          PutVarint(values, id);
        }
      } else {
        String(values, s);
      }
      break;
    }
    case ValueType::kBool: values->push_back(v.bool_value() ? 1 : 0); break;
    case ValueType::kInt: PutSignedVarint(values, v.int_value()); break;
    case ValueType::kDouble: {
      uint64_t bits = 0;
      const double d = v.double_value();
      std::memcpy(&bits, &d, 8);
      PutFixed64(values, bits);
      break;
    }
    case ValueType::kArray: {
      auto a = v.array_value();
      PutVarint(values, a.size());
      for (const AnyValue& e : a) Value(e);
      break;
    }
    case ValueType::kKvList: KeyValues(v.kvlist_value()); break;
  }
}

void ValueEncoder::KeyValues(std::span<const KeyValue> kvs) const {
  PutVarint(values, kvs.size());
  for (const KeyValue& kv : kvs) {
    String(keys, kv.key);
    Value(kv.value);
  }
}

bool ValueDecoder::Value(AnyValue* v, int depth) const {
  uint8_t type = 0;
  if (!values->Byte(&type)) return false;
  const bool inlined = (type & kInlineStringFlag) != 0;
  type &= static_cast<uint8_t>(~kInlineStringFlag);
  if (inlined && type != static_cast<uint8_t>(ValueType::kString) &&
      type != static_cast<uint8_t>(ValueType::kBytes)) {
    return values->Fail();
  }
  switch (static_cast<ValueType>(type)) {
    case ValueType::kEmpty: *v = AnyValue(); return true;
    case ValueType::kString:
    case ValueType::kBytes: {
      std::string_view s;
      if (!(inlined ? values->LengthPrefixed(&s) : String(values, &s))) return false;
      *v = static_cast<ValueType>(type) == ValueType::kString ? AnyValue::String(s)
                                                              : AnyValue::Bytes(s);
      return true;
    }
    case ValueType::kBool: {
      uint8_t b = 0;
      if (!values->Byte(&b) || b > 1) return values->Fail();
      *v = AnyValue::Bool(b != 0);
      return true;
    }
    case ValueType::kInt: {
      int64_t i = 0;
      if (!values->SignedVarint(&i)) return false;
      *v = AnyValue::Int(i);
      return true;
    }
    case ValueType::kDouble: {
      uint64_t bits = 0;
      if (!values->Fixed64(&bits)) return false;
      double d = 0;
      std::memcpy(&d, &bits, 8);
      *v = AnyValue::Double(d);
      return true;
    }
    case ValueType::kArray: {
      uint64_t n = 0;
      if (depth >= kMaxValueDepth || !values->Varint(&n) || n > values->remaining()) {
        return values->Fail();
      }
      auto items = arena->AllocateArray<AnyValue>(static_cast<size_t>(n));
      for (AnyValue& e : items) {
        if (!Value(&e, depth + 1)) return false;
      }
      *v = AnyValue::Array(items);
      return true;
    }
    case ValueType::kKvList: {
      if (depth >= kMaxValueDepth) return values->Fail();
      std::span<const KeyValue> kvs;
      if (!KeyValues(&kvs, depth + 1)) return false;
      *v = AnyValue::KvList(kvs);
      return true;
    }
  }
  return values->Fail();
}

bool ValueDecoder::KeyValues(std::span<const KeyValue>* kvs, int depth) const {
  uint64_t n = 0;
  if (!values->Varint(&n) || n > values->remaining()) return values->Fail();
  auto items = arena->AllocateArray<KeyValue>(static_cast<size_t>(n));
  for (KeyValue& kv : items) {
    if (!String(keys, &kv.key) || !Value(&kv.value, depth)) return false;
  }
  *kvs = items;
  return true;
}

void AppendValueText(const AnyValue& v, std::string* out) {
  char buf[32];
  switch (v.type()) {
    case ValueType::kEmpty: break;
    case ValueType::kString: out->append(v.string_value()); break;
    case ValueType::kBytes: {
      auto s = v.string_value();
      out->append(EncodeHex(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
      break;
    }
    case ValueType::kBool: out->append(v.bool_value() ? "true" : "false"); break;
    case ValueType::kInt: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.int_value());
      out->append(buf, r.ptr);
      break;
    }
    case ValueType::kDouble: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.double_value());
      out->append(buf, r.ptr);
      break;
    }
    case ValueType::kArray: {
      out->push_back('[');
      bool first = true;
      for (const AnyValue& e : v.array_value()) {
        if (!first) out->push_back(',');
        first = false;
        AppendValueText(e, out);
      }
      out->push_back(']');
      break;
    }
    case ValueType::kKvList: {
      out->push_back('{');
      bool first = true;
      for (const KeyValue& kv : v.kvlist_value()) {
        if (!first) out->push_back(',');
        first = false;
        out->append(kv.key);
        out->push_back(':');
        AppendValueText(kv.value, out);
      }
      out->push_back('}');
      break;
    }
  }
}

}  // namespace tracewire::store::format
