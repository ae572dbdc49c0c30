// Shared pieces of the OTLP/JSON decoders (json_traces_decoder.cc, json_logs_decoder.cc): the
// proto3 JSON forms of scalar fields, hex ids, enums, and the common.v1 / resource.v1 messages,
// per the OTLP spec's "JSON Protobuf Encoding" (lowerCamelCase keys, hex trace/span ids, integer
// enums, 64-bit integers as strings or numbers, unknown keys ignored). Also accepted, as the
// proto3 JSON mapping allows: enum names, numbers given as strings, and null for "absent".
// A key given twice takes its last value. Arrays of key-values are gathered on a scratch stack
// that lives for the request, then copied to the arena at their exact size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/arena.h"
#include "model/span_batch.h"
#include "otlp/internal/json_reader.h"

namespace tracewire::otlp::internal {

struct JsonDecodeContext {
  JsonDecodeContext(std::string_view text, model::Arena& a, size_t max_value_depth);

  JsonReader r;
  model::Arena& arena;
  size_t max_value_depth;
  std::vector<model::KeyValue> kv_stack;     // scratch, per request
  std::vector<model::AnyValue> value_stack;  // scratch, per request

  bool Fail(const char* field, const char* problem) { return r.Fail(field, problem); }
  // Copies stack[from..) to the arena and pops it.
  template <typename T>
  std::span<const T> Pop(std::vector<T>& stack, size_t from) {
    auto out = arena.AllocateArray<T>(stack.size() - from);
    for (size_t i = 0; i < out.size(); ++i) out[i] = stack[from + i];
    stack.resize(from);
    return out;
  }
};

// True (leaving the value consumed) when the next value is null: the field keeps its default.
inline bool TakeNull(JsonDecodeContext& c) {
  return c.r.Peek() == JsonReader::Token::kNull && c.r.ReadNull();
}

// Scalars: each reads one value for the field `name` (a literal used in errors).
bool ReadText(JsonDecodeContext& c, std::string_view* out, const char* name);
bool ReadUint64(JsonDecodeContext& c, uint64_t* out, const char* name);
bool ReadUint32(JsonDecodeContext& c, uint32_t* out, const char* name);
// An enum: an integer, or one of `names` (names[i] is value i).
bool ReadEnum(JsonDecodeContext& c, std::span<const std::string_view> names, int32_t* out,
              const char* name);
// A hex id (either case). *size is its length in bytes; the id is written to out[0..want) only
// when *size == want. Text that is not hex is an error.
bool ReadHexId(JsonDecodeContext& c, uint8_t* out, size_t want, size_t* size, const char* name);

// An array of KeyValue objects, values at nesting 1.
bool ReadAttributes(JsonDecodeContext& c, std::span<const model::KeyValue>* out, const char* name);
bool ReadAnyValue(JsonDecodeContext& c, model::AnyValue* out, size_t depth);

bool ReadResource(JsonDecodeContext& c, model::Resource* out);
bool ReadScope(JsonDecodeContext& c, model::Scope* out);

// The failure of c.r as INVALID_ARGUMENT naming the request, the field and the byte offset.
Status JsonFailureStatus(const JsonReader& r, std::string_view request);

}  // namespace tracewire::otlp::internal
