#include "model/any_value.h"

#include <bit>
#include <cstdint>

namespace tracewire::model {

bool operator==(const AnyValue& a, const AnyValue& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case ValueType::kEmpty: return true;
    case ValueType::kString:
    case ValueType::kBytes: return a.string_value() == b.string_value();
    case ValueType::kBool: return a.bool_value() == b.bool_value();
    case ValueType::kInt: return a.int_value() == b.int_value();
    case ValueType::kDouble:
      return std::bit_cast<uint64_t>(a.double_value()) == std::bit_cast<uint64_t>(b.double_value());
    case ValueType::kArray: {
      auto x = a.array_value();
      auto y = b.array_value();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!(x[i] == y[i])) return false;
      }
      return true;
    }
    case ValueType::kKvList: {
      auto x = a.kvlist_value();
      auto y = b.kvlist_value();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!(x[i] == y[i])) return false;
      }
      return true;
    }
  }
  return false;
}

const AnyValue* FindAttribute(std::span<const KeyValue> attributes, std::string_view key) {
  for (const KeyValue& kv : attributes) {
    if (kv.key == key) return &kv.value;
  }
  return nullptr;
}

}  // namespace tracewire::model
