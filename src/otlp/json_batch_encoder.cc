// EncodeTracesJson / EncodeLogsJson: a batch as OTLP/JSON (lowerCamelCase keys, lower-case hex
// ids, integer enums, 64-bit integers as decimal strings, bytes as base64, defaults omitted),
// grouped like the protobuf encoder.
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "otlp/batch_encoder.h"
#include "otlp/internal/base64.h"
#include "otlp/internal/batch_grouping.h"
#include "otlp/internal/json_text.h"

namespace tracewire::otlp {

namespace {

using internal::AppendJsonDouble;
using internal::AppendJsonHex;
using internal::AppendJsonInt;
using internal::AppendJsonQuotedInt;
using internal::AppendJsonQuotedUint;
using internal::AppendJsonString;
using internal::AppendJsonUint;

thread_local internal::BatchGrouping grouping;

// Writes the members of one JSON object, placing the commas.
class Obj {
 public:
  explicit Obj(std::string& out) : out_(out) { out_.push_back('{'); }
  ~Obj() { out_.push_back('}'); }
  Obj(const Obj&) = delete;
  Obj& operator=(const Obj&) = delete;

  // Appends `"name":` (name is a JSON-safe literal); the caller appends the value.
  // One append of `,"name":` built on the stack (names are short literals).
  std::string& Key(std::string_view name) {
    char piece[64];
    if (name.size() > sizeof(piece) - 4) [[unlikely]] {
      if (!first_) out_.push_back(',');
      first_ = false;
      out_.append("\"").append(name).append("\":");
      return out_;
    }
    size_t n = 0;
    if (!first_) piece[n++] = ',';
    first_ = false;
    piece[n++] = '"';
    std::memcpy(piece + n, name.data(), name.size());
    n += name.size();
    piece[n++] = '"';
    piece[n++] = ':';
    out_.append(piece, n);
    return out_;
  }
  void Text(std::string_view name, std::string_view v) {
    if (!v.empty()) AppendJsonString(Key(name), v);
  }
  void Uint(std::string_view name, uint64_t v) {
    if (v != 0) AppendJsonUint(Key(name), v);
  }
  void Time(std::string_view name, uint64_t v) {
    if (v != 0) AppendJsonQuotedUint(Key(name), v);
  }
  template <typename Id>
  void HexId(std::string_view name, const Id& id) {
    AppendJsonHex(Key(name), id.data(), Id::kSize);
  }

 private:
  std::string& out_;
  bool first_ = true;
};

void AppendKeyValues(std::string& out, std::span<const model::KeyValue> kvs);

void AppendAnyValue(std::string& out, const model::AnyValue& v) {
  Obj any(out);
  switch (v.type()) {
    case model::ValueType::kEmpty: break;
    case model::ValueType::kString:
      AppendJsonString(any.Key("stringValue"), v.string_value());
      break;
    case model::ValueType::kBool:
      any.Key("boolValue").append(v.bool_value() ? "true" : "false");
      break;
    case model::ValueType::kInt: AppendJsonQuotedInt(any.Key("intValue"), v.int_value()); break;
    case model::ValueType::kDouble:
      AppendJsonDouble(any.Key("doubleValue"), v.double_value());
      break;
    case model::ValueType::kBytes: {
      std::string& s = any.Key("bytesValue");
      s.push_back('"');
      internal::AppendBase64(s, v.string_value());
      s.push_back('"');
      break;
    }
    case model::ValueType::kArray: {
      Obj array(any.Key("arrayValue"));
      if (v.array_value().empty()) break;
      std::string& s = array.Key("values");
      s.push_back('[');
      bool first = true;
      for (const model::AnyValue& e : v.array_value()) {
        if (!first) s.push_back(',');
        first = false;
        AppendAnyValue(s, e);
      }
      s.push_back(']');
      break;
    }
    case model::ValueType::kKvList: {
      Obj list(any.Key("kvlistValue"));
      if (!v.kvlist_value().empty()) AppendKeyValues(list.Key("values"), v.kvlist_value());
      break;
    }
  }
}

// A JSON array of KeyValue objects.
void AppendKeyValues(std::string& out, std::span<const model::KeyValue> kvs) {
  out.push_back('[');
  bool first = true;
  for (const model::KeyValue& kv : kvs) {
    if (!first) out.push_back(',');
    first = false;
    Obj o(out);
    o.Text("key", kv.key);
    AppendAnyValue(o.Key("value"), kv.value);
  }
  out.push_back(']');
}

void Attributes(Obj& o, std::span<const model::KeyValue> kvs, uint32_t dropped) {
  if (!kvs.empty()) AppendKeyValues(o.Key("attributes"), kvs);
  o.Uint("droppedAttributesCount", dropped);
}

void AppendSpan(std::string& out, const model::Span& s) {
  Obj o(out);
  o.HexId("traceId", s.trace_id);
  o.HexId("spanId", s.span_id);
  o.Text("traceState", s.trace_state);
  if (s.parent_span_id.IsValid()) o.HexId("parentSpanId", s.parent_span_id);
  o.Uint("flags", s.flags);
  o.Text("name", s.name);
  o.Uint("kind", static_cast<uint32_t>(s.kind));
  o.Time("startTimeUnixNano", s.start_time_unix_nano);
  o.Time("endTimeUnixNano", s.end_time_unix_nano);
  Attributes(o, s.attributes, s.dropped_attributes_count);
  if (!s.events.empty()) {
    std::string& a = o.Key("events");
    a.push_back('[');
    for (size_t i = 0; i < s.events.size(); ++i) {
      if (i != 0) a.push_back(',');
      const model::Event& e = s.events[i];
      Obj eo(a);
      eo.Time("timeUnixNano", e.time_unix_nano);
      eo.Text("name", e.name);
      Attributes(eo, e.attributes, e.dropped_attributes_count);
    }
    a.push_back(']');
  }
  o.Uint("droppedEventsCount", s.dropped_events_count);
  if (!s.links.empty()) {
    std::string& a = o.Key("links");
    a.push_back('[');
    for (size_t i = 0; i < s.links.size(); ++i) {
      if (i != 0) a.push_back(',');
      const model::Link& l = s.links[i];
      Obj lo(a);
      lo.HexId("traceId", l.trace_id);
      lo.HexId("spanId", l.span_id);
      lo.Text("traceState", l.trace_state);
      Attributes(lo, l.attributes, l.dropped_attributes_count);
      lo.Uint("flags", l.flags);
    }
    a.push_back(']');
  }
  o.Uint("droppedLinksCount", s.dropped_links_count);
  if (s.status_code != model::StatusCode::kUnset || !s.status_message.empty()) {
    Obj st(o.Key("status"));
    st.Text("message", s.status_message);
    st.Uint("code", static_cast<uint32_t>(s.status_code));
  }
}

void AppendLogRecord(std::string& out, const model::LogRecord& l) {
  Obj o(out);
  o.Time("timeUnixNano", l.time_unix_nano);
  o.Time("observedTimeUnixNano", l.observed_time_unix_nano);
  if (l.severity_number != 0) AppendJsonInt(o.Key("severityNumber"), l.severity_number);
  o.Text("severityText", l.severity_text);
  if (l.body.type() != model::ValueType::kEmpty) AppendAnyValue(o.Key("body"), l.body);
  Attributes(o, l.attributes, l.dropped_attributes_count);
  o.Uint("flags", l.flags);
  if (l.trace_id.IsValid()) o.HexId("traceId", l.trace_id);
  if (l.span_id.IsValid()) o.HexId("spanId", l.span_id);
  o.Text("eventName", l.event_name);
}

// {"<resources_key>":[{"resource":{..},"<scopes_key>":[{"scope":{..},"<items_key>":[..],
// "schemaUrl":..}],"schemaUrl":..}]}
template <typename Batch, typename Item, typename AppendItem>
void EncodeEnvelopes(const Batch& batch, std::span<const Item> items,
                     std::string_view resources_key, std::string_view scopes_key,
                     std::string_view items_key, std::string* out, AppendItem append_item) {
  out->clear();
  grouping.Group(items);
  const auto& runs = grouping.runs();
  Obj request(*out);
  if (runs.empty()) return;
  std::string& s = request.Key(resources_key);
  s.push_back('[');
  for (size_t g = 0; g < runs.size();) {
    if (g != 0) s.push_back(',');
    const uint32_t resource_index = runs[g].resource_index;
    const model::Resource none_resource;
    const model::Resource& resource =
        resource_index < batch.resources.size() ? batch.resources[resource_index] : none_resource;
    Obj rs(s);
    if (!resource.attributes.empty() || resource.dropped_attributes_count != 0) {
      Obj r(rs.Key("resource"));
      Attributes(r, resource.attributes, resource.dropped_attributes_count);
    }
    std::string& ss = rs.Key(scopes_key);
    ss.push_back('[');
    for (bool first = true; g < runs.size() && runs[g].resource_index == resource_index; ++g) {
      if (!first) ss.push_back(',');
      first = false;
      const model::Scope none_scope;
      const model::Scope& scope = runs[g].scope_index < batch.scopes.size()
                                      ? batch.scopes[runs[g].scope_index]
                                      : none_scope;
      Obj so(ss);
      if (!scope.name.empty() || !scope.version.empty() || !scope.attributes.empty() ||
          scope.dropped_attributes_count != 0) {
        Obj sc(so.Key("scope"));
        sc.Text("name", scope.name);
        sc.Text("version", scope.version);
        Attributes(sc, scope.attributes, scope.dropped_attributes_count);
      }
      std::string& is = so.Key(items_key);
      is.push_back('[');
      for (uint32_t k = runs[g].begin; k < runs[g].end; ++k) {
        if (k != runs[g].begin) is.push_back(',');
        append_item(is, items[grouping.at(k)]);
      }
      is.push_back(']');
      so.Text("schemaUrl", scope.schema_url);
    }
    ss.push_back(']');
    rs.Text("schemaUrl", resource.schema_url);
  }
  s.push_back(']');
}

}  // namespace

void EncodeTracesJson(const model::SpanBatch& batch, std::string* out) {
  EncodeEnvelopes(batch, std::span<const model::Span>(batch.spans), "resourceSpans", "scopeSpans",
                  "spans", out, AppendSpan);
}

void EncodeLogsJson(const model::LogBatch& batch, std::string* out) {
  EncodeEnvelopes(batch, std::span<const model::LogRecord>(batch.records), "resourceLogs",
                  "scopeLogs", "logRecords", out, AppendLogRecord);
}

}  // namespace tracewire::otlp
