#include "otlp/internal/batch_proto_values.h"

namespace tracewire::otlp::internal::batch_pb {

size_t ArrayBodySize(std::span<const model::AnyValue> values) {
  size_t n = 0;
  for (const model::AnyValue& v : values) n += LenFieldSize(AnyValueSize(v));
  return n;
}

size_t KvListBodySize(std::span<const model::KeyValue> values) { return AttributesSize(values); }

char* WriteArrayField(char* p, std::span<const model::AnyValue> values) {
  p = LenHeader(p, 5, ArrayBodySize(values));
  for (const model::AnyValue& v : values) {
    p = LenHeader(p, 1, AnyValueSize(v));
    p = WriteAnyValue(p, v);
  }
  return p;
}

char* WriteKvListField(char* p, std::span<const model::KeyValue> values) {
  p = LenHeader(p, 6, KvListBodySize(values));
  return WriteAttributes(p, 1, values);
}

}  // namespace tracewire::otlp::internal::batch_pb
