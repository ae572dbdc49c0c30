// DecodeTracesProto: ExportTraceServiceRequest bytes into a SpanBatch, zero-copy. Field numbers:
// src/otlp/proto/opentelemetry/proto/{collector/trace,trace}/v1/*.proto.
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "otlp/internal/proto_decode.h"
#include "otlp/internal/proto_envelope.h"
#include "otlp/otlp_decoder.h"

namespace tracewire::otlp {

namespace {

using internal::InOrderFields;
using internal::kBadTag;
using internal::ProtoDecodeContext;
using internal::ProtoReader;
using internal::Tag1;
using internal::WireType;

// Why a well-formed span is left out; nullptr when it is kept.
struct SpanVerdict {
  const char* reject = nullptr;
  void Reject(const char* why) {
    if (reject == nullptr) reject = why;
  }
};

// Copies an id of exactly N bytes; any other length is a rejection.
template <typename Id>
void TakeId(std::string_view bytes, Id* id, SpanVerdict& verdict, const char* why) {
  if (bytes.size() != Id::kSize) {
    verdict.Reject(why);
    return;
  }
  std::memcpy(id->mutable_data(), bytes.data(), Id::kSize);
}

bool ParseStatus(ProtoDecodeContext& c, std::string_view bytes, model::Span* s,
                 SpanVerdict& verdict) {
  ProtoReader r(bytes);
  uint32_t field;
  WireType wire;
  while (!r.done()) {
    if (!r.ReadTag(&field, &wire)) return c.failure.Fail("Status", kBadTag);
    if (field == 2) {
      if (!ReadStringField(c, r, wire, &s->status_message, "Status.message")) return false;
    } else if (field == 3) {
      uint64_t code = 0;
      if (!ReadVarintField(c, r, wire, &code, "Status.code")) return false;
      if (code > 2) verdict.Reject("span status code out of range");
      s->status_code = static_cast<model::StatusCode>(code & 3);
    } else if (!SkipField(c, r, wire, "Status")) {
      return false;
    }
  }
  return true;
}

bool ParseEvent(ProtoDecodeContext& c, std::string_view bytes, model::Event* e) {
  const size_t attributes = c.kv_stack.size();
  ProtoReader r(bytes);
  uint32_t field;
  WireType wire;
  while (!r.done()) {
    if (!r.ReadTag(&field, &wire)) return c.failure.Fail("Span.Event", kBadTag);
    bool ok = true;
    switch (field) {
      case 1:
        ok = ReadFixed64Field(c, r, wire, &e->time_unix_nano, "Span.Event.time_unix_nano");
        break;
      case 2: ok = ReadStringField(c, r, wire, &e->name, "Span.Event.name"); break;
      case 3: ok = PushKeyValue(c, r, wire, "Span.Event.attributes"); break;
      case 4:
        ok = ReadUint32Field(c, r, wire, &e->dropped_attributes_count,
                             "Span.Event.dropped_attributes_count");
        break;
      default: ok = SkipField(c, r, wire, "Span.Event");
    }
    if (!ok) return false;
  }
  e->attributes = c.Pop(c.kv_stack, attributes);
  return true;
}

bool ParseLink(ProtoDecodeContext& c, std::string_view bytes, model::Link* l,
               SpanVerdict& verdict) {
  const size_t attributes = c.kv_stack.size();
  std::string_view trace_id;
  std::string_view span_id;
  ProtoReader r(bytes);
  uint32_t field;
  WireType wire;
  while (!r.done()) {
    if (!r.ReadTag(&field, &wire)) return c.failure.Fail("Span.Link", kBadTag);
    bool ok = true;
    switch (field) {
      case 1: ok = ReadBytesField(c, r, wire, &trace_id, "Span.Link.trace_id"); break;
      case 2: ok = ReadBytesField(c, r, wire, &span_id, "Span.Link.span_id"); break;
      case 3: ok = ReadStringField(c, r, wire, &l->trace_state, "Span.Link.trace_state"); break;
      case 4: ok = PushKeyValue(c, r, wire, "Span.Link.attributes"); break;
      case 5:
        ok = ReadUint32Field(c, r, wire, &l->dropped_attributes_count,
                             "Span.Link.dropped_attributes_count");
        break;
      case 6: ok = ReadFixed32Field(c, r, wire, &l->flags, "Span.Link.flags"); break;
      default: ok = SkipField(c, r, wire, "Span.Link");
    }
    if (!ok) return false;
  }
  TakeId(trace_id, &l->trace_id, verdict, "link trace_id is not 16 bytes");
  TakeId(span_id, &l->span_id, verdict, "link span_id is not 8 bytes");
  l->attributes = c.Pop(c.kv_stack, attributes);
  return true;
}

// A span's fields that are checked once the whole span is read.
struct SpanParts {
  std::string_view trace_id;
  std::string_view span_id;
  std::string_view parent_span_id;
  std::string_view status;
  bool has_status = false;
};

// Span.flags: field 16, fixed32, a two-byte tag (0x85 0x01) given little-endian.
constexpr uint16_t kFlagsTag = 0x0185;

// The kind (field 6) into the span; out of range is a rejection.
void SetKind(uint64_t n, model::Span* s, SpanVerdict& verdict) {
  if (n > 5) verdict.Reject("span kind out of range");
  s->kind = static_cast<model::SpanKind>(n & 7);
}

// Any span field, in any order and shape: the generic loop over [p, end). Repeated fields gather
// on the context's stacks.
bool ParseSpanFields(ProtoDecodeContext& c, const char* p, const char* end, model::Span* s,
                     SpanParts& parts, SpanVerdict& verdict) {
  ProtoReader r(p, end);
  uint32_t field;
  WireType wire;
  std::string_view v;
  uint64_t n = 0;
  while (!r.done()) {
    if (!r.ReadTag(&field, &wire)) [[unlikely]]
      return c.failure.Fail("Span", kBadTag);
    bool ok = true;
    switch (field) {
      case 1: ok = ReadBytesField(c, r, wire, &parts.trace_id, "Span.trace_id"); break;
      case 2: ok = ReadBytesField(c, r, wire, &parts.span_id, "Span.span_id"); break;
      case 3: ok = ReadStringField(c, r, wire, &s->trace_state, "Span.trace_state"); break;
      case 4: ok = ReadBytesField(c, r, wire, &parts.parent_span_id, "Span.parent_span_id"); break;
      case 5: ok = ReadStringField(c, r, wire, &s->name, "Span.name"); break;
      case 6:
        ok = ReadVarintField(c, r, wire, &n, "Span.kind");
        SetKind(ok ? n : 0, s, verdict);
        break;
      case 7:
        ok = ReadFixed64Field(c, r, wire, &s->start_time_unix_nano, "Span.start_time_unix_nano");
        break;
      case 8:
        ok = ReadFixed64Field(c, r, wire, &s->end_time_unix_nano, "Span.end_time_unix_nano");
        break;
      case 9: ok = PushKeyValue(c, r, wire, "Span.attributes"); break;
      case 10:
        ok = ReadUint32Field(c, r, wire, &s->dropped_attributes_count,
                             "Span.dropped_attributes_count");
        break;
      case 11:
        // The event's attributes go on kv_stack above the span's, and leave it before the
        // span's next attribute comes.
        ok = ReadBytesField(c, r, wire, &v, "Span.events") &&
             ParseEvent(c, v, &c.event_stack.PushDefault());
        break;
      case 12:
        ok = ReadUint32Field(c, r, wire, &s->dropped_events_count, "Span.dropped_events_count");
        break;
      case 13:
        ok = ReadBytesField(c, r, wire, &v, "Span.links") &&
             ParseLink(c, v, &c.link_stack.PushDefault(), verdict);
        break;
      case 14:
        ok = ReadUint32Field(c, r, wire, &s->dropped_links_count, "Span.dropped_links_count");
        break;
      case 15:
        ok = ReadBytesField(c, r, wire, &parts.status, "Span.status");
        parts.has_status = true;
        break;
      case 16: ok = ReadFixed32Field(c, r, wire, &s->flags, "Span.flags"); break;
      default: ok = SkipField(c, r, wire, "Span");
    }
    if (!ok) [[unlikely]]
      return c.failure.Fail("Span", kBadTag);  // keeps the first, more precise failure
  }
  return true;
}

// HOT PATH. The fast path: takes the span's fields in ascending field order (as every known
// encoder writes them) and in their usual shape (one- or two-byte lengths and values, valid
// UTF-8), with a predictable test per field instead of a dispatch. Returns where it stopped:
// `end`, or the first field it did not take, from which the generic loop goes on (it also
// reports any error there). nullptr when an attribute, event or link failed (c.failure says
// why).
const char* ParseSpanInOrder(ProtoDecodeContext& c, const char* p, const char* end, model::Span* s,
                             SpanParts& parts, SpanVerdict& verdict) {
  constexpr auto kLen = WireType::kLen;
  constexpr auto kVarint = WireType::kVarint;
  InOrderFields in(p, end);
  std::string_view v;
  uint64_t x = 0;
  in.TakeLen(Tag1(1, kLen), &parts.trace_id);
  in.TakeLen(Tag1(2, kLen), &parts.span_id);
  in.TakeText(Tag1(3, kLen), &s->trace_state);
  in.TakeLen(Tag1(4, kLen), &parts.parent_span_id);
  in.TakeText(Tag1(5, kLen), &s->name);
  if (in.TakeVarint(Tag1(6, kVarint), &x)) SetKind(x, s, verdict);
  in.TakeFixed64(Tag1(7, WireType::kFixed64), &s->start_time_unix_nano);
  in.TakeFixed64(Tag1(8, WireType::kFixed64), &s->end_time_unix_nano);
  if (!internal::TakeAttributes(c, in, Tag1(9, kLen))) return nullptr;
  if (in.TakeVarint(Tag1(10, kVarint), &x)) s->dropped_attributes_count = static_cast<uint32_t>(x);
  while (in.TakeLen(Tag1(11, kLen), &v)) {
    if (!ParseEvent(c, v, &c.event_stack.PushDefault())) return nullptr;
  }
  if (in.TakeVarint(Tag1(12, kVarint), &x)) s->dropped_events_count = static_cast<uint32_t>(x);
  while (in.TakeLen(Tag1(13, kLen), &v)) {
    if (!ParseLink(c, v, &c.link_stack.PushDefault(), verdict)) return nullptr;
  }
  if (in.TakeVarint(Tag1(14, kVarint), &x)) s->dropped_links_count = static_cast<uint32_t>(x);
  parts.has_status = in.TakeLen(Tag1(15, kLen), &parts.status);
  in.TakeFixed32(kFlagsTag, 2, &s->flags);
  return in.position();
}

// HOT PATH: one call per span. Repeated fields gather on the context's stacks, then move to
// the arena at their exact size.
bool ParseSpan(ProtoDecodeContext& c, std::string_view bytes, model::Span* s,
               SpanVerdict& verdict) {
  const size_t attributes = c.kv_stack.size();
  const size_t events = c.event_stack.size();
  const size_t links = c.link_stack.size();
  SpanParts parts;
  const char* end = bytes.data() + bytes.size();
  const char* rest = ParseSpanInOrder(c, bytes.data(), end, s, parts, verdict);
  if (rest == nullptr) [[unlikely]]
    return c.failure.Fail("Span", kBadTag);
  if (rest != end && !ParseSpanFields(c, rest, end, s, parts, verdict)) return false;
  if (parts.has_status && !ParseStatus(c, parts.status, s, verdict)) return false;
  TakeId(parts.trace_id, &s->trace_id, verdict, "span trace_id is not 16 bytes");
  TakeId(parts.span_id, &s->span_id, verdict, "span span_id is not 8 bytes");
  if (!parts.parent_span_id.empty()) {
    TakeId(parts.parent_span_id, &s->parent_span_id, verdict, "span parent_span_id is not 8 bytes");
  }
  if (!s->trace_id.IsValid()) verdict.Reject("span trace_id is all zero");
  if (!s->span_id.IsValid()) verdict.Reject("span span_id is all zero");
  s->attributes = c.Pop(c.kv_stack, attributes);
  s->events = c.Pop(c.event_stack, events);
  s->links = c.Pop(c.link_stack, links);
  return true;
}

struct SpanTraits {
  using Batch = model::SpanBatch;
  using Item = model::Span;
  static constexpr const char* kRequest = "ExportTraceServiceRequest";
  static constexpr const char* kRequestResources = "ExportTraceServiceRequest.resource_spans";
  static constexpr const char* kResource = "ResourceSpans";
  static constexpr const char* kResourceResource = "ResourceSpans.resource";
  static constexpr const char* kResourceScopes = "ResourceSpans.scope_spans";
  static constexpr const char* kResourceSchemaUrl = "ResourceSpans.schema_url";
  static constexpr const char* kScope = "ScopeSpans";
  static constexpr const char* kScopeScope = "ScopeSpans.scope";
  static constexpr const char* kScopeItems = "ScopeSpans.spans";
  static constexpr const char* kScopeSchemaUrl = "ScopeSpans.schema_url";
  static std::vector<Item>& Items(Batch& b) { return b.spans; }
  static bool Parse(ProtoDecodeContext& c, std::string_view bytes, Item* item,
                    const char** reject) {
    SpanVerdict verdict;
    if (!ParseSpan(c, bytes, item, verdict)) return false;
    *reject = verdict.reject;
    return true;
  }
};

}  // namespace

StatusOr<Decoded<model::SpanBatch>> DecodeTracesProto(std::string body,
                                                      const DecodeOptions& options) {
  return internal::DecodeEnvelopes<SpanTraits>(std::move(body), options);
}

}  // namespace tracewire::otlp
