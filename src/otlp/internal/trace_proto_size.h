// Sizing phase of the OTLP/protobuf trace encoder (trace_proto_encoder.cc): the encoded size of
// each message body, so the writing phase can emit length prefixes up front. Field numbers and
// nesting: src/otlp/proto/opentelemetry/proto/{common,trace}/v1/*.proto. Hot path: header-only
// templates, no allocation. Private to the encoder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "otlp/internal/proto_wire.h"
#include "otlp/internal/utf8.h"
#include "trace/span_data.h"

namespace tracewire::otlp::internal {

// Text policies: how the encoded size of a `string` field is found. Those with kPlain report
// the byte length unchanged (text taken to be ASCII); Sanitizing reports the length after each
// invalid UTF-8 byte becomes U+FFFD.
struct AssumeAscii {  // trust the text (checked later while writing)
  static constexpr bool kPlain = true;
  size_t operator()(std::string_view s) const { return s.size(); }
};
struct AsciiProbe {  // ORs every byte into `bits`; the lengths hold if no bit 7 ends up set
  static constexpr bool kPlain = true;
  uint64_t bits = 0;
  size_t operator()(std::string_view s) {
    bits |= OrOfBytes(s);
    return s.size();
  }
};
struct Sanitizing {
  static constexpr bool kPlain = false;
  size_t operator()(std::string_view s) const { return SanitizedUtf8Size(s); }
};

// Length-delimited fields: LenFieldSize (base/proto_wire.h). A varint field (one-byte tag):
inline size_t VarintFieldSize(uint64_t v) { return 1 + VarintSize(v); }
inline size_t Uint32FieldSize(uint32_t v) { return v == 0 ? 0 : VarintFieldSize(v); }

// Longest key + string value for which every length prefix of a KeyValue is one byte: the
// KeyValue body is key + value + 6 bytes and must stay below 128.
inline constexpr size_t kMaxShortKeyValue = 121;

// AnyValue body holding one scalar (a oneof member: written even when zero or empty).
template <typename Text, typename T>
size_t ScalarSize(Text& text, const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    return LenFieldSize(text(v));  // string_value = 1
  } else if constexpr (std::is_same_v<T, bool>) {
    return 2;  // bool_value = 2
  } else if constexpr (std::is_same_v<T, int64_t>) {
    return VarintFieldSize(static_cast<uint64_t>(v));  // int_value = 3
  } else {
    static_assert(std::is_same_v<T, double>);
    return 9;  // double_value = 4
  }
}

// ArrayValue body: each element a nested AnyValue (ArrayValue.values = 1).
template <typename Text, typename T>
size_t ArraySize(Text& text, const std::vector<T>& array) {
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, double>) {
    return array.size() * LenFieldSize(ScalarSize(text, T{}));
  } else {
    size_t n = 0;
    for (const T& e : array) n += LenFieldSize(ScalarSize(text, e));
    return n;
  }
}

// ArrayValue body of an array-valued attribute. Out of line: arrays are rare, scalars hot.
template <typename Text>
[[gnu::noinline]] size_t ArrayValueSize(Text& text, const trace::AttributeValue& v) {
  switch (v.index()) {
    case 4: return ArraySize(text, *std::get_if<4>(&v));
    case 5: return ArraySize(text, *std::get_if<5>(&v));
    case 6: return ArraySize(text, *std::get_if<6>(&v));
    default: return ArraySize(text, *std::get_if<7>(&v));
  }
}

// AnyValue body. Switches on the alternative index (attribute.h fixes the order).
template <typename Text>
[[gnu::always_inline]] inline size_t AnyValueSize(Text& text, const trace::AttributeValue& v) {
  switch (v.index()) {
    case 0: return ScalarSize(text, *std::get_if<0>(&v));
    case 1: return 2;
    case 2: return ScalarSize(text, *std::get_if<2>(&v));
    case 3: return 9;
    default: return LenFieldSize(ArrayValueSize(text, v));  // array_value = 5
  }
}

// KeyValue body, given the size of its AnyValue body.
template <typename Text>
size_t KeyValueSize(Text& text, const trace::Attribute& a, size_t any) {
  return (a.key.empty() ? 0 : LenFieldSize(text(a.key))) + LenFieldSize(any);
}

// A repeated KeyValue field.
template <typename Text>
size_t AttributesSize(Text& text, const trace::Attributes& attributes) {
  size_t n = 0;
  for (const trace::Attribute& a : attributes) {
    if constexpr (Text::kPlain) {  // the common short attributes, in one step
      if (const auto* value = std::get_if<std::string>(&a.value)) {
        if (!a.key.empty() && a.key.size() + value->size() <= kMaxShortKeyValue) {
          n += text(a.key) + text(*value) + 8;  // tag, length, key field, value field
          continue;
        }
      } else if (const auto* number = std::get_if<int64_t>(&a.value)) {
        if (!a.key.empty() && a.key.size() <= kMaxShortKeyValue - 11) {
          n += text(a.key) + 7 + VarintSize(static_cast<uint64_t>(*number));
          continue;
        }
      }
    }
    n += LenFieldSize(KeyValueSize(text, a, AnyValueSize(text, a.value)));
  }
  return n;
}

// A TraceState as its header value "k1=v1,k2=v2" (written as is, never sanitized).
inline size_t NonEmptyTraceStateSize(const trace::TraceState& state) {
  size_t n = state.size() - 1;  // commas
  for (const auto& [k, v] : state.members()) n += k.size() + 1 + v.size();
  return n;
}
inline size_t TraceStateSize(const trace::TraceState& state) {
  return state.empty() ? 0 : NonEmptyTraceStateSize(state);
}

template <typename Text>
size_t EventSize(Text& text, const trace::SpanEvent& e) {
  return (e.time_unix_nano != 0 ? 9 : 0) + (e.name.empty() ? 0 : LenFieldSize(text(e.name))) +
         AttributesSize(text, e.attributes) + Uint32FieldSize(e.dropped_attributes_count);
}

template <typename Text>
size_t LinkSize(Text& text, const trace::SpanLink& l) {
  const size_t state = TraceStateSize(l.context.trace_state());
  return 18 + 10 + (state == 0 ? 0 : LenFieldSize(state)) + AttributesSize(text, l.attributes) +
         Uint32FieldSize(l.dropped_attributes_count) + 5;  // ids, ..., flags (fixed32)
}

inline bool HasStatus(const trace::SpanStatus& s) {
  return s.code != trace::SpanStatusCode::kUnset || !s.message.empty();
}

template <typename Text>
size_t StatusSize(Text& text, const trace::SpanStatus& s) {
  return (s.message.empty() ? 0 : LenFieldSize(text(s.message))) +
         (s.code == trace::SpanStatusCode::kUnset ? 0
                                                  : VarintFieldSize(static_cast<uint64_t>(s.code)));
}

// Span body.
template <typename Text>
size_t SpanSize(Text& text, const trace::SpanData& s) {
  const size_t state = TraceStateSize(s.trace_state);
  size_t n = 18 + 10;  // trace_id, span_id
  if (state != 0) n += LenFieldSize(state);
  if (s.parent_span_id.IsValid()) n += 10;
  if (!s.name.empty()) n += LenFieldSize(text(s.name));
  if (s.kind != trace::SpanKind::kUnspecified) n += VarintFieldSize(static_cast<uint64_t>(s.kind));
  if (s.start_unix_nano != 0) n += 9;
  if (s.end_unix_nano != 0) n += 9;
  n += AttributesSize(text, s.attributes) + Uint32FieldSize(s.dropped_attributes_count);
  for (const trace::SpanEvent& e : s.events) n += LenFieldSize(EventSize(text, e));
  n += Uint32FieldSize(s.dropped_events_count);
  for (const trace::SpanLink& l : s.links) n += LenFieldSize(LinkSize(text, l));
  n += Uint32FieldSize(s.dropped_links_count);
  if (HasStatus(s.status)) n += LenFieldSize(StatusSize(text, s.status));
  return n + 6;  // flags: two-byte tag (field 16) + fixed32
}

// InstrumentationScope body.
template <typename Text>
size_t ScopeSize(Text& text, const trace::InstrumentationScope& scope) {
  return (scope.name.empty() ? 0 : LenFieldSize(text(scope.name))) +
         (scope.version.empty() ? 0 : LenFieldSize(text(scope.version))) +
         AttributesSize(text, scope.attributes);
}

}  // namespace tracewire::otlp::internal
