// AnyValue and KeyValue as views: the OTLP common.v1 value model without owning anything.
// Strings and bytes point into a batch's buffers or arena; arrays and maps into its arena.
// Trivially copyable, 24 bytes (a value) and 40 bytes (a key-value).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace tracewire::model {

// The OTLP AnyValue oneof. kEmpty is a KeyValue whose value is absent or unset.
enum class ValueType : uint8_t {
  kEmpty = 0,
  kString,
  kBool,
  kInt,
  kDouble,
  kBytes,
  kArray,
  kKvList,
};

struct KeyValue;

class AnyValue {
 public:
  AnyValue() = default;
  static AnyValue String(std::string_view s) {
    AnyValue v(ValueType::kString);
    v.u_.str = s;
    return v;
  }
  static AnyValue Bytes(std::string_view b) {
    AnyValue v(ValueType::kBytes);
    v.u_.str = b;
    return v;
  }
  static AnyValue Bool(bool b) {
    AnyValue v(ValueType::kBool);
    v.u_.b = b;
    return v;
  }
  static AnyValue Int(int64_t i) {
    AnyValue v(ValueType::kInt);
    v.u_.i = i;
    return v;
  }
  static AnyValue Double(double d) {
    AnyValue v(ValueType::kDouble);
    v.u_.d = d;
    return v;
  }
  static AnyValue Array(std::span<const AnyValue> a) {
    AnyValue v(ValueType::kArray);
    v.u_.array = a;
    return v;
  }
  static AnyValue KvList(std::span<const KeyValue> kv) {
    AnyValue v(ValueType::kKvList);
    v.u_.kvlist = kv;
    return v;
  }

  ValueType type() const { return type_; }
  // REQUIRES: the matching type(); anything else is undefined.
  std::string_view string_value() const { return u_.str; }  // kString and kBytes
  bool bool_value() const { return u_.b; }
  int64_t int_value() const { return u_.i; }
  double double_value() const { return u_.d; }
  std::span<const AnyValue> array_value() const { return u_.array; }
  std::span<const KeyValue> kvlist_value() const { return u_.kvlist; }

 private:
  explicit AnyValue(ValueType t) : type_(t) {}

  ValueType type_ = ValueType::kEmpty;
  union U {
    bool b;
    int64_t i;
    double d;
    std::string_view str;
    std::span<const AnyValue> array;
    std::span<const KeyValue> kvlist;
    U() : i(0) {}
  } u_;
};

struct KeyValue {
  std::string_view key;
  AnyValue value;
};

// Deep equality (arrays and maps compared element by element, in order; doubles bitwise).
bool operator==(const AnyValue& a, const AnyValue& b);
inline bool operator==(const KeyValue& a, const KeyValue& b) {
  return a.key == b.key && a.value == b.value;
}

// The first value under `key`, or nullptr. Linear: attribute lists are short.
const AnyValue* FindAttribute(std::span<const KeyValue> attributes, std::string_view key);

}  // namespace tracewire::model
