// Shared pieces of the OTLP protobuf decoders (proto_traces_decoder.cc, proto_logs_decoder.cc):
// typed field readers that record a DecodeFailure naming the field, and the common.v1 /
// resource.v1 messages (AnyValue, KeyValue, InstrumentationScope, Resource). Field numbers:
// src/otlp/proto/opentelemetry/proto/{common,resource}/v1/*.proto.
//
// Repeated fields of spans, events, links and log records gather on the context's scratch stacks
// (per request) and move to the arena at their exact size; the rarer ones (resource and scope
// attributes, arrays and maps inside values) are counted in a first pass over the parent's
// bytes, then filled into an exact arena array. A singular message field that occurs
// more than once is taken from its last occurrence (protobuf would merge the occurrences; no
// OTLP sender writes that).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/status.h"
#include "model/arena.h"
#include "model/span_batch.h"
#include "otlp/internal/proto_reader.h"
#include "otlp/internal/proto_short_key_value.h"

namespace tracewire::otlp::internal {

static_assert(std::endian::native == std::endian::little, "fixed-width reads assume it");

// A stack of trivially copyable items, reused for a whole request. Push() hands out a slot with
// stale contents, which the caller overwrites; MoveToArena(from) moves the items above `from` to
// the arena at their exact count and pops them. References from Push() stay valid until the next
// Push() on the same stack.
template <typename T>
class ScratchStack {
 public:
  static_assert(std::is_trivially_copyable_v<T>);
  explicit ScratchStack(size_t capacity) : items_(capacity) {
    top_ = items_.data();
    limit_ = top_ + items_.size();
  }
  ScratchStack(const ScratchStack&) = delete;
  ScratchStack& operator=(const ScratchStack&) = delete;

  size_t size() const { return static_cast<size_t>(top_ - items_.data()); }
  [[gnu::always_inline]] T& Push() {
    if (top_ == limit_) [[unlikely]]
      Grow();
    return *top_++;
  }
  // Push() with the slot value-initialized.
  T& PushDefault() {
    T& item = Push();
    item = T();
    return item;
  }

  std::span<const T> MoveToArena(model::Arena& arena, size_t from) {
    const size_t n = size() - from;
    if (n == 0) return {};
    T* out = static_cast<T*>(arena.Allocate(n * sizeof(T), alignof(T)));
    std::memcpy(static_cast<void*>(out), items_.data() + from, n * sizeof(T));
    top_ = items_.data() + from;
    return {out, n};
  }

 private:
  [[gnu::noinline]] void Grow() {
    const size_t n = size();
    items_.resize(2 * items_.size() + 16);
    top_ = items_.data() + n;
    limit_ = items_.data() + items_.size();
  }

  std::vector<T> items_;
  T* top_;
  T* limit_;
};

struct ProtoDecodeContext {
  ProtoDecodeContext(model::Arena& a, size_t depth)
      : arena(a), max_value_depth(depth), kv_stack(64), event_stack(4), link_stack(4) {}

  model::Arena& arena;
  size_t max_value_depth;
  DecodeFailure failure;
  // Scratch stacks (per request) for the repeated fields of spans and log records: items are
  // gathered here, then copied to the arena at their exact count.
  ScratchStack<model::KeyValue> kv_stack;
  ScratchStack<model::Event> event_stack;
  ScratchStack<model::Link> link_stack;

  template <typename T>
  std::span<const T> Pop(ScratchStack<T>& stack, size_t from) {
    return stack.MoveToArena(arena, from);
  }
};

// --- typed field readers: check the wire type, read, and record a failure naming `name`.
[[gnu::always_inline]] inline bool ReadBytesField(ProtoDecodeContext& c, ProtoReader& r,
                                                  WireType wire, std::string_view* out,
                                                  const char* name) {
  if (wire != WireType::kLen) [[unlikely]]
    return c.failure.Fail(name, kWrongWireType);
  if (!r.ReadLengthDelimited(out)) [[unlikely]]
    return c.failure.Fail(name, kPastEnd);
  return true;
}
// A proto3 `string`: bytes that must be UTF-8.
[[gnu::always_inline]] inline bool ReadStringField(ProtoDecodeContext& c, ProtoReader& r,
                                                   WireType wire, std::string_view* out,
                                                   const char* name) {
  if (!ReadBytesField(c, r, wire, out, name)) return false;
  if (!IsUtf8Text(*out)) [[unlikely]]
    return c.failure.Fail(name, kBadUtf8);
  return true;
}
[[gnu::always_inline]] inline bool ReadVarintField(ProtoDecodeContext& c, ProtoReader& r,
                                                   WireType wire, uint64_t* out, const char* name) {
  if (wire != WireType::kVarint) [[unlikely]]
    return c.failure.Fail(name, kWrongWireType);
  if (!r.ReadVarint(out)) [[unlikely]]
    return c.failure.Fail(name, kBadVarint);
  return true;
}
// uint32 fields keep the low 32 bits of the varint, as protobuf does.
[[gnu::always_inline]] inline bool ReadUint32Field(ProtoDecodeContext& c, ProtoReader& r,
                                                   WireType wire, uint32_t* out, const char* name) {
  uint64_t v = 0;
  if (!ReadVarintField(c, r, wire, &v, name)) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}
[[gnu::always_inline]] inline bool ReadFixed64Field(ProtoDecodeContext& c, ProtoReader& r,
                                                    WireType wire, uint64_t* out,
                                                    const char* name) {
  if (wire != WireType::kFixed64) [[unlikely]]
    return c.failure.Fail(name, kWrongWireType);
  if (!r.ReadFixed64(out)) [[unlikely]]
    return c.failure.Fail(name, kTruncated);
  return true;
}
[[gnu::always_inline]] inline bool ReadFixed32Field(ProtoDecodeContext& c, ProtoReader& r,
                                                    WireType wire, uint32_t* out,
                                                    const char* name) {
  if (wire != WireType::kFixed32) [[unlikely]]
    return c.failure.Fail(name, kWrongWireType);
  if (!r.ReadFixed32(out)) [[unlikely]]
    return c.failure.Fail(name, kTruncated);
  return true;
}
[[gnu::always_inline]] inline bool SkipField(ProtoDecodeContext& c, ProtoReader& r, WireType wire,
                                             const char* message) {
  if (!r.Skip(wire)) [[unlikely]]
    return c.failure.Fail(message, kBadTag);
  return true;
}

// Counts the length-delimited occurrences of up to three field numbers (0 = unused) in a
// message's bytes. Stops quietly at malformed bytes: the filling pass, which reads the same
// tags in the same order, reports the error at the same place, so it never fills more.
struct FieldCounts {
  uint32_t n[3] = {0, 0, 0};
};
inline FieldCounts CountLenFields(std::string_view message, uint32_t f0, uint32_t f1 = 0,
                                  uint32_t f2 = 0) {
  FieldCounts counts;
  ProtoReader r(message);
  uint32_t field;
  WireType wire;
  while (!r.done() && r.ReadTag(&field, &wire)) {
    if (wire == WireType::kLen) {
      counts.n[0] += field == f0;
      counts.n[1] += field == f1;
      counts.n[2] += field == f2;
      std::string_view ignored;
      if (!r.ReadLengthDelimited(&ignored)) break;
    } else if (!r.Skip(wire)) {
      break;
    }
  }
  return counts;
}

// A KeyValue message; its value sits at nesting `depth` (1 for an attribute). REQUIRES: *out
// value-initialized.
bool ParseKeyValue(ProtoDecodeContext& c, std::string_view bytes, model::KeyValue* out,
                   size_t depth);
// An AnyValue message at nesting `depth`; deeper than max_value_depth fails.
bool ParseAnyValue(ProtoDecodeContext& c, std::string_view bytes, model::AnyValue* out,
                   size_t depth);

// Decodes the KeyValue bytes [p, end) into *kv (stale contents allowed): the short form inline,
// anything else through ParseKeyValue. REQUIRES: c.max_value_depth >= 1 (the short form's value
// is at depth 1). HOT PATH: one call per attribute.
[[gnu::always_inline]] inline bool DecodeKeyValue(ProtoDecodeContext& c, const char* p,
                                                  const char* end, model::KeyValue* kv) {
  if (ParseShortKeyValue(p, end, kv)) [[likely]]
    return true;
  *kv = model::KeyValue();
  return ParseKeyValue(c, std::string_view(p, static_cast<size_t>(end - p)), kv, 1);
}

// DecodeKeyValue for any max_value_depth.
inline bool DecodeKeyValueAtAnyDepth(ProtoDecodeContext& c, std::string_view bytes,
                                     model::KeyValue* kv) {
  if (c.max_value_depth == 0) [[unlikely]] {
    *kv = model::KeyValue();
    return ParseKeyValue(c, bytes, kv, 1);
  }
  return DecodeKeyValue(c, bytes.data(), bytes.data() + bytes.size(), kv);
}

// The in-order fast paths' attributes: every next field with one-byte `tag`, decoded onto
// c.kv_stack. False when one failed (c.failure says why). With max_value_depth 0 it takes none,
// so that the generic loop reports the values as too deep.
[[gnu::always_inline]] inline bool TakeAttributes(ProtoDecodeContext& c, InOrderFields& in,
                                                  uint8_t tag) {
  if (c.max_value_depth == 0) [[unlikely]]
    return true;
  std::string_view v;
  while (in.TakeLen(tag, &v)) {
    if (!DecodeKeyValue(c, v.data(), v.data() + v.size(), &c.kv_stack.Push())) [[unlikely]]
      return false;
  }
  return true;
}

// Decodes a length-delimited KeyValue onto c.kv_stack (nested values go to the arena).
inline bool PushKeyValue(ProtoDecodeContext& c, ProtoReader& r, WireType wire, const char* name) {
  std::string_view bytes;
  if (!ReadBytesField(c, r, wire, &bytes, name)) return false;
  return DecodeKeyValueAtAnyDepth(c, bytes, &c.kv_stack.Push());
}

// Fills the next element of a counted KeyValue array from a length-delimited field.
inline bool AddKeyValue(ProtoDecodeContext& c, ProtoReader& r, WireType wire,
                        std::span<model::KeyValue> kvs, uint32_t& next, const char* name) {
  std::string_view bytes;
  if (!ReadBytesField(c, r, wire, &bytes, name)) return false;
  if (next >= kvs.size()) [[unlikely]]
    return c.failure.Fail(name, kBadTag);  // cannot happen: counted from the same bytes
  return DecodeKeyValueAtAnyDepth(c, bytes, &kvs[next++]);
}

// InstrumentationScope (name, version, attributes, dropped count) into *scope.
bool ParseScope(ProtoDecodeContext& c, std::string_view bytes, model::Scope* scope);
// Resource (attributes, dropped count) into *resource; also finds service_name.
bool ParseResource(ProtoDecodeContext& c, std::string_view bytes, model::Resource* resource);

// "invalid <request>: <field>: <problem>" as INVALID_ARGUMENT.
Status DecodeFailureStatus(const DecodeFailure& failure, std::string_view request);

}  // namespace tracewire::otlp::internal
