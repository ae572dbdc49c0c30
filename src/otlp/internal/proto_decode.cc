#include "otlp/internal/proto_decode.h"

#include <bit>
#include <string>

namespace tracewire::otlp::internal {

namespace {

constexpr const char* kTooDeep = "nesting deeper than max_value_depth";

// ArrayValue / KeyValueList: `values` (field 1), each element at `depth`.
bool ParseArrayValue(ProtoDecodeContext& c, std::string_view bytes, model::AnyValue* out,
                     size_t depth) {
  const uint32_t n = CountLenFields(bytes, 1).n[0];
  auto values = c.arena.AllocateArray<model::AnyValue>(n);
  uint32_t next = 0;
  ProtoReader r(bytes);
  uint32_t field;
  WireType wire;
  while (!r.done()) {
    if (!r.ReadTag(&field, &wire)) return c.failure.Fail("ArrayValue", kBadTag);
    if (field == 1) {
      std::string_view element;
      if (!ReadBytesField(c, r, wire, &element, "ArrayValue.values")) return false;
      if (next >= n) return c.failure.Fail("ArrayValue.values", kBadTag);
      if (!ParseAnyValue(c, element, &values[next++], depth)) return false;
    } else if (!SkipField(c, r, wire, "ArrayValue")) {
      return false;
    }
  }
  *out = model::AnyValue::Array(values);
  return true;
}

bool ParseKvListValue(ProtoDecodeContext& c, std::string_view bytes, model::AnyValue* out,
                      size_t depth) {
  const uint32_t n = CountLenFields(bytes, 1).n[0];
  auto kvs = c.arena.AllocateArray<model::KeyValue>(n);
  uint32_t next = 0;
  ProtoReader r(bytes);
  uint32_t field;
  WireType wire;
  while (!r.done()) {
    if (!r.ReadTag(&field, &wire)) return c.failure.Fail("KeyValueList", kBadTag);
    if (field == 1) {
      std::string_view element;
      if (!ReadBytesField(c, r, wire, &element, "KeyValueList.values")) return false;
      if (next >= n) return c.failure.Fail("KeyValueList.values", kBadTag);
      if (!ParseKeyValue(c, element, &kvs[next++], depth)) return false;
    } else if (!SkipField(c, r, wire, "KeyValueList")) {
      return false;
    }
  }
  *out = model::AnyValue::KvList(kvs);
  return true;
}

// A repeated `attributes` KeyValue field of a Resource or InstrumentationScope.
bool ParseAttributesOf(ProtoDecodeContext& c, std::string_view bytes, uint32_t attributes_field,
                       uint32_t dropped_field, const char* message, const char* attributes_name,
                       const char* dropped_name, std::span<const model::KeyValue>* attributes,
                       uint32_t* dropped, std::string_view* name, std::string_view* version) {
  const uint32_t n = CountLenFields(bytes, attributes_field).n[0];
  auto kvs = c.arena.AllocateArray<model::KeyValue>(n);
  uint32_t next = 0;
  ProtoReader r(bytes);
  uint32_t field;
  WireType wire;
  while (!r.done()) {
    if (!r.ReadTag(&field, &wire)) return c.failure.Fail(message, kBadTag);
    if (field == attributes_field) {
      if (!AddKeyValue(c, r, wire, kvs, next, attributes_name)) return false;
    } else if (field == dropped_field) {
      if (!ReadUint32Field(c, r, wire, dropped, dropped_name)) return false;
    } else if (field == 1) {  // a Resource's fields 1 and 2 are taken above
      if (!ReadStringField(c, r, wire, name, "InstrumentationScope.name")) return false;
    } else if (field == 2) {
      if (!ReadStringField(c, r, wire, version, "InstrumentationScope.version")) {
        return false;
      }
    } else if (!SkipField(c, r, wire, message)) {
      return false;
    }
  }
  *attributes = kvs;
  return true;
}

}  // namespace

bool ParseAnyValue(ProtoDecodeContext& c, std::string_view bytes, model::AnyValue* out,
                   size_t depth) {
  if (depth > c.max_value_depth) [[unlikely]]
    return c.failure.Fail("AnyValue", kTooDeep);
  *out = model::AnyValue();
  ProtoReader r(bytes);
  uint32_t field;
  WireType wire;
  while (!r.done()) {
    if (!r.ReadTag(&field, &wire)) [[unlikely]]
      return c.failure.Fail("AnyValue", kBadTag);
    std::string_view s;
    uint64_t v = 0;
    switch (field) {
      case 1:
        if (!ReadStringField(c, r, wire, &s, "AnyValue.string_value")) return false;
        *out = model::AnyValue::String(s);
        break;
      case 2:
        if (!ReadVarintField(c, r, wire, &v, "AnyValue.bool_value")) return false;
        *out = model::AnyValue::Bool(v != 0);
        break;
      case 3:
        if (!ReadVarintField(c, r, wire, &v, "AnyValue.int_value")) return false;
        *out = model::AnyValue::Int(static_cast<int64_t>(v));
        break;
      case 4:
        if (!ReadFixed64Field(c, r, wire, &v, "AnyValue.double_value")) return false;
        *out = model::AnyValue::Double(std::bit_cast<double>(v));
        break;
      case 5:
        if (!ReadBytesField(c, r, wire, &s, "AnyValue.array_value")) return false;
        if (!ParseArrayValue(c, s, out, depth + 1)) return false;
        break;
      case 6:
        if (!ReadBytesField(c, r, wire, &s, "AnyValue.kvlist_value")) return false;
        if (!ParseKvListValue(c, s, out, depth + 1)) return false;
        break;
      case 7:
        if (!ReadBytesField(c, r, wire, &s, "AnyValue.bytes_value")) return false;
        *out = model::AnyValue::Bytes(s);
        break;
      default:
        if (!SkipField(c, r, wire, "AnyValue")) return false;
    }
  }
  return true;
}

bool ParseKeyValue(ProtoDecodeContext& c, std::string_view bytes, model::KeyValue* out,
                   size_t depth) {
  ProtoReader r(bytes);
  std::string_view value;
  bool has_value = false;
  uint32_t field;
  WireType wire;
  while (!r.done()) {
    if (!r.ReadTag(&field, &wire)) [[unlikely]]
      return c.failure.Fail("KeyValue", kBadTag);
    if (field == 1) {
      if (!ReadStringField(c, r, wire, &out->key, "KeyValue.key")) return false;
    } else if (field == 2) {
      if (!ReadBytesField(c, r, wire, &value, "KeyValue.value")) return false;
      has_value = true;
    } else if (!SkipField(c, r, wire, "KeyValue")) {
      return false;
    }
  }
  return !has_value || ParseAnyValue(c, value, &out->value, depth);
}

bool ParseScope(ProtoDecodeContext& c, std::string_view bytes, model::Scope* scope) {
  return ParseAttributesOf(c, bytes, 3, 4, "InstrumentationScope",
                           "InstrumentationScope.attributes",
                           "InstrumentationScope.dropped_attributes_count", &scope->attributes,
                           &scope->dropped_attributes_count, &scope->name, &scope->version);
}

bool ParseResource(ProtoDecodeContext& c, std::string_view bytes, model::Resource* resource) {
  std::string_view unused;
  if (!ParseAttributesOf(c, bytes, 1, 2, "Resource", "Resource.attributes",
                         "Resource.dropped_attributes_count", &resource->attributes,
                         &resource->dropped_attributes_count, &unused, &unused)) {
    return false;
  }
  const model::AnyValue* name = model::FindAttribute(resource->attributes, "service.name");
  if (name != nullptr && name->type() == model::ValueType::kString) {
    resource->service_name = name->string_value();
  }
  return true;
}

Status DecodeFailureStatus(const DecodeFailure& failure, std::string_view request) {
  std::string message = "invalid ";
  message.append(request).append(": ");
  message.append(failure.field != nullptr ? failure.field : "message");
  message.append(": ").append(failure.problem != nullptr ? failure.problem : "malformed");
  return InvalidArgumentError(std::move(message));
}

}  // namespace tracewire::otlp::internal
