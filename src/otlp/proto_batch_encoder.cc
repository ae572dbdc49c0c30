// EncodeTracesProto / EncodeLogsProto: a batch as ExportTraceServiceRequest /
// ExportLogsServiceRequest bytes. Two phases: every message body is sized first (item sizes
// cached per call), then the output is resized once and written front to back.
// Field numbers: src/otlp/proto/opentelemetry/proto/{trace,logs}/v1/*.proto.
#include <cassert>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "otlp/batch_encoder.h"
#include "otlp/internal/batch_grouping.h"
#include "otlp/internal/batch_proto_values.h"

namespace tracewire::otlp {

namespace {

using namespace internal::batch_pb;  // NOLINT(google-build-using-namespace): the wire vocabulary
using internal::LenFieldSize;
using internal::VarintSize;
using internal::WireType;
using internal::WriteBytes;
using internal::WriteFixed32;
using internal::WriteVarint;

// Per-thread scratch, so encoding allocates nothing once warmed up.
struct Scratch {
  internal::BatchGrouping grouping;
  std::vector<uint32_t> item_sizes;      // per grouped position
  std::vector<uint32_t> scope_sizes;     // per run
  std::vector<uint32_t> resource_sizes;  // per resource group (consecutive runs, same resource)
};
thread_local Scratch scratch;

const model::Resource& ResourceAt(const std::vector<model::Resource>& v, uint32_t i) {
  static const model::Resource kNone;
  return i < v.size() ? v[i] : kNone;
}
const model::Scope& ScopeAt(const std::vector<model::Scope>& v, uint32_t i) {
  static const model::Scope kNone;
  return i < v.size() ? v[i] : kNone;
}

// ---- trace.v1
size_t EventSize(const model::Event& e) {
  return (e.time_unix_nano != 0 ? 9 : 0) + TextFieldSize(e.name) + AttributesSize(e.attributes) +
         Uint32FieldSize(e.dropped_attributes_count);
}
size_t LinkSize(const model::Link& l) {
  return 18 + 10 + TextFieldSize(l.trace_state) + AttributesSize(l.attributes) +
         Uint32FieldSize(l.dropped_attributes_count) + (l.flags != 0 ? 5 : 0);
}
size_t StatusSize(const model::Span& s) {
  return TextFieldSize(s.status_message) + Uint32FieldSize(static_cast<uint32_t>(s.status_code));
}

// HOT PATH: Span body size.
size_t SpanSize(const model::Span& s) {
  size_t n = 18 + 10 + TextFieldSize(s.trace_state) + (s.parent_span_id.IsValid() ? 10 : 0) +
             TextFieldSize(s.name) + Uint32FieldSize(static_cast<uint32_t>(s.kind)) +
             (s.start_time_unix_nano != 0 ? 9 : 0) + (s.end_time_unix_nano != 0 ? 9 : 0) +
             AttributesSize(s.attributes) + Uint32FieldSize(s.dropped_attributes_count) +
             Uint32FieldSize(s.dropped_events_count) + Uint32FieldSize(s.dropped_links_count) +
             (s.flags != 0 ? 6 : 0);
  for (const model::Event& e : s.events) n += LenFieldSize(EventSize(e));
  for (const model::Link& l : s.links) n += LenFieldSize(LinkSize(l));
  const size_t status = StatusSize(s);
  if (status != 0) n += LenFieldSize(status);
  return n;
}

template <typename Id>
char* IdField(char* p, uint32_t field, const Id& id) {
  p = LenHeader(p, field, Id::kSize);
  return WriteBytes(p, id.data(), Id::kSize);
}

// HOT PATH: Span body.
char* WriteSpan(char* p, const model::Span& s) {
  p = IdField(p, 1, s.trace_id);
  p = IdField(p, 2, s.span_id);
  p = TextField(p, 3, s.trace_state);
  if (s.parent_span_id.IsValid()) p = IdField(p, 4, s.parent_span_id);
  p = TextField(p, 5, s.name);
  p = Uint32Field(p, 6, static_cast<uint32_t>(s.kind));
  p = Fixed64Field(p, 7, s.start_time_unix_nano);
  p = Fixed64Field(p, 8, s.end_time_unix_nano);
  p = WriteAttributes(p, 9, s.attributes);
  p = Uint32Field(p, 10, s.dropped_attributes_count);
  for (const model::Event& e : s.events) {
    p = LenHeader(p, 11, EventSize(e));
    p = Fixed64Field(p, 1, e.time_unix_nano);
    p = TextField(p, 2, e.name);
    p = WriteAttributes(p, 3, e.attributes);
    p = Uint32Field(p, 4, e.dropped_attributes_count);
  }
  p = Uint32Field(p, 12, s.dropped_events_count);
  for (const model::Link& l : s.links) {
    p = LenHeader(p, 13, LinkSize(l));
    p = IdField(p, 1, l.trace_id);
    p = IdField(p, 2, l.span_id);
    p = TextField(p, 3, l.trace_state);
    p = WriteAttributes(p, 4, l.attributes);
    p = Uint32Field(p, 5, l.dropped_attributes_count);
    p = Fixed32Field(p, 6, l.flags);
  }
  p = Uint32Field(p, 14, s.dropped_links_count);
  const size_t status = StatusSize(s);
  if (status != 0) {
    p = LenHeader(p, 15, status);
    p = TextField(p, 2, s.status_message);
    p = Uint32Field(p, 3, static_cast<uint32_t>(s.status_code));
  }
  if (s.flags != 0) {
    *p++ = static_cast<char>(0x85);  // field 16, fixed32: a two-byte tag
    *p++ = 0x01;
    p = WriteFixed32(p, s.flags);
  }
  return p;
}

// ---- logs.v1
uint64_t SeverityVarint(int32_t v) { return static_cast<uint64_t>(static_cast<int64_t>(v)); }

size_t LogRecordSize(const model::LogRecord& l) {
  const size_t body = AnyValueSize(l.body);
  return (l.time_unix_nano != 0 ? 9 : 0) +
         (l.severity_number != 0 ? 1 + VarintSize(SeverityVarint(l.severity_number)) : 0) +
         TextFieldSize(l.severity_text) +
         (l.body.type() != model::ValueType::kEmpty ? LenFieldSize(body) : 0) +
         AttributesSize(l.attributes) + Uint32FieldSize(l.dropped_attributes_count) +
         (l.flags != 0 ? 5 : 0) + (l.trace_id.IsValid() ? 18 : 0) + (l.span_id.IsValid() ? 10 : 0) +
         (l.observed_time_unix_nano != 0 ? 9 : 0) + TextFieldSize(l.event_name);
}

char* WriteLogRecord(char* p, const model::LogRecord& l) {
  p = Fixed64Field(p, 1, l.time_unix_nano);
  if (l.severity_number != 0) {
    p = WriteVarint(Tag(p, 2, WireType::kVarint), SeverityVarint(l.severity_number));
  }
  p = TextField(p, 3, l.severity_text);
  if (l.body.type() != model::ValueType::kEmpty) {
    p = LenHeader(p, 5, AnyValueSize(l.body));
    p = WriteAnyValue(p, l.body);
  }
  p = WriteAttributes(p, 6, l.attributes);
  p = Uint32Field(p, 7, l.dropped_attributes_count);
  p = Fixed32Field(p, 8, l.flags);
  if (l.trace_id.IsValid()) p = IdField(p, 9, l.trace_id);
  if (l.span_id.IsValid()) p = IdField(p, 10, l.span_id);
  p = Fixed64Field(p, 11, l.observed_time_unix_nano);
  return TextField(p, 12, l.event_name);
}

// The envelope of both requests: Resource<X> = 1 of the request; in it resource = 1,
// Scope<X> = 2, schema_url = 3; in Scope<X> scope = 1, items = 2, schema_url = 3.
template <typename Batch, typename Item, typename SizeFn, typename WriteFn>
void EncodeEnvelopes(const Batch& batch, std::span<const Item> items, std::string* out,
                     SizeFn item_size, WriteFn write_item) {
  Scratch& s = scratch;
  s.grouping.Group(items);
  const auto& runs = s.grouping.runs();
  s.item_sizes.resize(items.size());
  s.scope_sizes.resize(runs.size());
  s.resource_sizes.clear();
  size_t total = 0;
  for (size_t g = 0; g < runs.size();) {
    const uint32_t resource_index = runs[g].resource_index;
    const model::Resource& resource = ResourceAt(batch.resources, resource_index);
    const size_t resource_body = ResourceSize(resource);
    size_t rs =
        (resource_body != 0 ? LenFieldSize(resource_body) : 0) + TextFieldSize(resource.schema_url);
    for (; g < runs.size() && runs[g].resource_index == resource_index; ++g) {
      const model::Scope& scope = ScopeAt(batch.scopes, runs[g].scope_index);
      const size_t scope_body = ScopeSize(scope);
      size_t ss =
          (scope_body != 0 ? LenFieldSize(scope_body) : 0) + TextFieldSize(scope.schema_url);
      for (uint32_t k = runs[g].begin; k < runs[g].end; ++k) {
        const size_t n = item_size(items[s.grouping.at(k)]);
        s.item_sizes[k] = static_cast<uint32_t>(n);
        ss += LenFieldSize(n);
      }
      s.scope_sizes[g] = static_cast<uint32_t>(ss);
      rs += LenFieldSize(ss);
    }
    s.resource_sizes.push_back(static_cast<uint32_t>(rs));
    total += LenFieldSize(rs);
  }

  // Every byte is written below, so only growth needs filling: a reused *out is not cleared
  // first (that would zero the whole request, about a fifth of the encoding time).
  out->resize(total);
  char* p = out->data();
  size_t group = 0;
  for (size_t g = 0; g < runs.size(); ++group) {
    const uint32_t resource_index = runs[g].resource_index;
    const model::Resource& resource = ResourceAt(batch.resources, resource_index);
    p = LenHeader(p, 1, s.resource_sizes[group]);
    const size_t resource_body = ResourceSize(resource);
    if (resource_body != 0) p = WriteResource(LenHeader(p, 1, resource_body), resource);
    for (; g < runs.size() && runs[g].resource_index == resource_index; ++g) {
      const model::Scope& scope = ScopeAt(batch.scopes, runs[g].scope_index);
      p = LenHeader(p, 2, s.scope_sizes[g]);
      const size_t scope_body = ScopeSize(scope);
      if (scope_body != 0) p = WriteScope(LenHeader(p, 1, scope_body), scope);
      for (uint32_t k = runs[g].begin; k < runs[g].end; ++k) {
        p = LenHeader(p, 2, s.item_sizes[k]);
        p = write_item(p, items[s.grouping.at(k)]);
      }
      p = TextField(p, 3, scope.schema_url);
    }
    p = TextField(p, 3, resource.schema_url);
  }
  assert(p == out->data() + out->size());
}

}  // namespace

void EncodeTracesProto(const model::SpanBatch& batch, std::string* out) {
  EncodeEnvelopes(batch, std::span<const model::Span>(batch.spans), out, SpanSize, WriteSpan);
}

void EncodeLogsProto(const model::LogBatch& batch, std::string* out) {
  EncodeEnvelopes(batch, std::span<const model::LogRecord>(batch.records), out, LogRecordSize,
                  WriteLogRecord);
}

}  // namespace tracewire::otlp
