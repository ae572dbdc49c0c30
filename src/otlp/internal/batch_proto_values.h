// Sizing and writing the common.v1 / resource.v1 messages of a batch (AnyValue, KeyValue,
// InstrumentationScope, Resource) in protobuf wire format, for proto_batch_encoder.cc. Every
// *Size function returns the exact body size that the matching Write* emits, so the encoder can
// write length prefixes first into a buffer sized once. Every field here has a number below 16,
// so each tag is one byte. Text is copied as is: the batch holds UTF-8 (the decoders check it).
// HOT PATH: inline, no allocation.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "model/span_batch.h"
#include "otlp/internal/proto_wire.h"

namespace tracewire::otlp::internal::batch_pb {

inline size_t TextFieldSize(std::string_view s) { return s.empty() ? 0 : LenFieldSize(s.size()); }
inline size_t Uint32FieldSize(uint32_t v) { return v == 0 ? 0 : 1 + VarintSize(v); }

inline char* Tag(char* p, uint32_t field, WireType type) {
  *p = static_cast<char>(MakeTag(field, type));
  return p + 1;
}
inline char* LenHeader(char* p, uint32_t field, size_t n) {
  return WriteVarint(Tag(p, field, WireType::kLen), n);
}
inline char* LenField(char* p, uint32_t field, std::string_view s) {
  return WriteBytes(LenHeader(p, field, s.size()), s.data(), s.size());
}
inline char* TextField(char* p, uint32_t field, std::string_view s) {
  return s.empty() ? p : LenField(p, field, s);
}
inline char* Uint32Field(char* p, uint32_t field, uint32_t v) {
  return v == 0 ? p : WriteVarint(Tag(p, field, WireType::kVarint), v);
}
inline char* Fixed64Field(char* p, uint32_t field, uint64_t v) {
  return v == 0 ? p : WriteFixed64(Tag(p, field, WireType::kFixed64), v);
}
inline char* Fixed32Field(char* p, uint32_t field, uint32_t v) {
  return v == 0 ? p : WriteFixed32(Tag(p, field, WireType::kFixed32), v);
}

// Bodies of ArrayValue / KeyValueList (out of line: nested values are rare).
size_t ArrayBodySize(std::span<const model::AnyValue> values);
size_t KvListBodySize(std::span<const model::KeyValue> values);
// AnyValue field 5 / 6 (tag, length, body).
char* WriteArrayField(char* p, std::span<const model::AnyValue> values);
char* WriteKvListField(char* p, std::span<const model::KeyValue> values);

// AnyValue body: one oneof member, written even when zero or empty (0 bytes for kEmpty).
inline size_t AnyValueSize(const model::AnyValue& v) {
  switch (v.type()) {
    case model::ValueType::kEmpty: return 0;
    case model::ValueType::kString:
    case model::ValueType::kBytes: return LenFieldSize(v.string_value().size());
    case model::ValueType::kBool: return 2;
    case model::ValueType::kInt: return 1 + VarintSize(static_cast<uint64_t>(v.int_value()));
    case model::ValueType::kDouble: return 9;
    case model::ValueType::kArray: return LenFieldSize(ArrayBodySize(v.array_value()));
    case model::ValueType::kKvList: return LenFieldSize(KvListBodySize(v.kvlist_value()));
  }
  return 0;
}
inline char* WriteAnyValue(char* p, const model::AnyValue& v) {
  switch (v.type()) {
    case model::ValueType::kEmpty: return p;
    case model::ValueType::kString: return LenField(p, 1, v.string_value());
    case model::ValueType::kBool:
      p = Tag(p, 2, WireType::kVarint);
      *p = v.bool_value() ? 1 : 0;
      return p + 1;
    case model::ValueType::kInt:
      return WriteVarint(Tag(p, 3, WireType::kVarint), static_cast<uint64_t>(v.int_value()));
    case model::ValueType::kDouble:
      return WriteFixed64(Tag(p, 4, WireType::kFixed64), std::bit_cast<uint64_t>(v.double_value()));
    case model::ValueType::kBytes: return LenField(p, 7, v.string_value());
    case model::ValueType::kArray: return WriteArrayField(p, v.array_value());
    case model::ValueType::kKvList: return WriteKvListField(p, v.kvlist_value());
  }
  return p;
}

// KeyValue body: the key (omitted when empty) and the value, always present (an AnyValue with
// no member set for kEmpty).
inline size_t KeyValueSize(const model::KeyValue& kv) {
  return TextFieldSize(kv.key) + LenFieldSize(AnyValueSize(kv.value));
}
inline char* WriteKeyValue(char* p, const model::KeyValue& kv) {
  p = TextField(p, 1, kv.key);
  p = LenHeader(p, 2, AnyValueSize(kv.value));
  return WriteAnyValue(p, kv.value);
}

// The common attribute: a string value with a key, short enough that every length prefix is one
// byte. Its KeyValue body is then 0a <k> key 12 <v+2> 0a <v> value: k + v + 6 bytes.
inline bool IsShortStringAttribute(const model::KeyValue& kv) {
  return kv.value.type() == model::ValueType::kString && !kv.key.empty() &&
         kv.key.size() + kv.value.string_value().size() + 6 < 0x80;
}

// A repeated KeyValue field. HOT PATH: the short string form costs no dispatch.
inline size_t AttributesSize(std::span<const model::KeyValue> attributes) {
  size_t n = 0;
  for (const model::KeyValue& kv : attributes) {
    n += IsShortStringAttribute(kv) ? 2 + kv.key.size() + kv.value.string_value().size() + 6
                                    : LenFieldSize(KeyValueSize(kv));
  }
  return n;
}
inline char* WriteAttributes(char* p, uint32_t field, std::span<const model::KeyValue> attributes) {
  for (const model::KeyValue& kv : attributes) {
    if (IsShortStringAttribute(kv)) {
      const std::string_view value = kv.value.string_value();
      p = Tag(p, field, WireType::kLen);
      *p++ = static_cast<char>(kv.key.size() + value.size() + 6);
      p = LenField(p, 1, kv.key);
      p = Tag(p, 2, WireType::kLen);
      *p++ = static_cast<char>(value.size() + 2);
      p = LenField(p, 1, value);
      continue;
    }
    p = LenHeader(p, field, KeyValueSize(kv));
    p = WriteKeyValue(p, kv);
  }
  return p;
}

// InstrumentationScope body (0 when every field is default: the message is then left out).
inline size_t ScopeSize(const model::Scope& s) {
  return TextFieldSize(s.name) + TextFieldSize(s.version) + AttributesSize(s.attributes) +
         Uint32FieldSize(s.dropped_attributes_count);
}
inline char* WriteScope(char* p, const model::Scope& s) {
  p = TextField(p, 1, s.name);
  p = TextField(p, 2, s.version);
  p = WriteAttributes(p, 3, s.attributes);
  return Uint32Field(p, 4, s.dropped_attributes_count);
}

// Resource body (0 when empty: left out).
inline size_t ResourceSize(const model::Resource& r) {
  return AttributesSize(r.attributes) + Uint32FieldSize(r.dropped_attributes_count);
}
inline char* WriteResource(char* p, const model::Resource& r) {
  p = WriteAttributes(p, 1, r.attributes);
  return Uint32Field(p, 2, r.dropped_attributes_count);
}

}  // namespace tracewire::otlp::internal::batch_pb
