#include "otlp/trace_json_encoder.h"

#include <string_view>
#include <type_traits>
#include <variant>

#include "otlp/internal/json_text.h"
#include "otlp/trace_proto_encoder.h"

namespace tracewire::otlp {

namespace {

using internal::AppendJsonDouble;
using internal::AppendJsonHex;
using internal::AppendJsonQuotedInt;
using internal::AppendJsonQuotedUint;
using internal::AppendJsonString;
using internal::AppendJsonUint;

// Writes the members of one JSON object, placing the commas.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_.push_back('{'); }
  ~ObjectWriter() { out_.push_back('}'); }
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;

  // Appends `"name":`; the caller appends the value. `name` is a JSON-safe literal.
  std::string& Key(std::string_view name) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(name);
    out_.append("\":");
    return out_;
  }

 private:
  std::string& out_;
  bool first_ = true;
};

template <typename T>
void AppendScalarValue(std::string& out, const T& v) {
  ObjectWriter any(out);  // AnyValue
  if constexpr (std::is_same_v<T, std::string>) {
    AppendJsonString(any.Key("stringValue"), v);
  } else if constexpr (std::is_same_v<T, bool>) {
    any.Key("boolValue").append(v ? "true" : "false");
  } else if constexpr (std::is_same_v<T, int64_t>) {
    AppendJsonQuotedInt(any.Key("intValue"), v);
  } else {
    static_assert(std::is_same_v<T, double>);
    AppendJsonDouble(any.Key("doubleValue"), v);
  }
}

void AppendAnyValue(std::string& out, const trace::AttributeValue& value) {
  std::visit(
      [&out](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (requires { typename T::value_type; } && !std::is_same_v<T, std::string>) {
          ObjectWriter any(out);
          ObjectWriter array(any.Key("arrayValue"));
          if (v.empty()) return;  // ArrayValue{}: an empty repeated field is omitted
          std::string& values = array.Key("values");
          values.push_back('[');
          bool first = true;
          for (const auto& element : v) {
            if (!first) values.push_back(',');
            first = false;
            // vector<bool> yields proxies: convert to the element type.
            AppendScalarValue(values, static_cast<typename T::value_type>(element));
          }
          values.push_back(']');
        } else {
          AppendScalarValue(out, v);
        }
      },
      value);
}

// Appends `"name":[...]` for non-empty attribute lists.
void AppendAttributes(ObjectWriter& object, std::string_view name,
                      const trace::Attributes& attributes) {
  if (attributes.empty()) return;
  std::string& out = object.Key(name);
  out.push_back('[');
  bool first = true;
  for (const trace::Attribute& a : attributes) {
    if (!first) out.push_back(',');
    first = false;
    ObjectWriter kv(out);
    if (!a.key.empty()) AppendJsonString(kv.Key("key"), a.key);
    AppendAnyValue(kv.Key("value"), a.value);
  }
  out.push_back(']');
}

void AppendCount(ObjectWriter& object, std::string_view name, uint32_t v) {
  if (v != 0) AppendJsonUint(object.Key(name), v);
}

void AppendTraceState(ObjectWriter& object, const trace::TraceState& state) {
  if (state.empty()) return;
  std::string& out = object.Key("traceState");
  out.push_back('"');
  bool first = true;
  for (const auto& [k, v] : state.members()) {  // grammar-checked: no escaping needed
    if (!first) out.push_back(',');
    first = false;
    out.append(k);
    out.push_back('=');
    out.append(v);
  }
  out.push_back('"');
}

void AppendSpan(std::string& out, const trace::SpanData& s) {
  ObjectWriter span(out);
  AppendJsonHex(span.Key("traceId"), s.trace_id.data(), trace::TraceId::kSize);
  AppendJsonHex(span.Key("spanId"), s.span_id.data(), trace::SpanId::kSize);
  AppendTraceState(span, s.trace_state);
  if (s.parent_span_id.IsValid()) {
    AppendJsonHex(span.Key("parentSpanId"), s.parent_span_id.data(), trace::SpanId::kSize);
  }
  AppendJsonUint(span.Key("flags"), s.flags.bits() | kSpanFlagsHasIsRemote |
                                        (s.parent_is_remote ? kSpanFlagsIsRemote : 0));
  if (!s.name.empty()) AppendJsonString(span.Key("name"), s.name);
  if (s.kind != trace::SpanKind::kUnspecified) {
    AppendJsonUint(span.Key("kind"), static_cast<uint32_t>(s.kind));
  }
  if (s.start_unix_nano != 0)
    AppendJsonQuotedUint(span.Key("startTimeUnixNano"), s.start_unix_nano);
  if (s.end_unix_nano != 0) AppendJsonQuotedUint(span.Key("endTimeUnixNano"), s.end_unix_nano);
  AppendAttributes(span, "attributes", s.attributes);
  AppendCount(span, "droppedAttributesCount", s.dropped_attributes_count);
  if (!s.events.empty()) {
    std::string& events = span.Key("events");
    events.push_back('[');
    for (size_t i = 0; i < s.events.size(); ++i) {
      if (i != 0) events.push_back(',');
      const trace::SpanEvent& e = s.events[i];
      ObjectWriter event(events);
      if (e.time_unix_nano != 0) AppendJsonQuotedUint(event.Key("timeUnixNano"), e.time_unix_nano);
      if (!e.name.empty()) AppendJsonString(event.Key("name"), e.name);
      AppendAttributes(event, "attributes", e.attributes);
      AppendCount(event, "droppedAttributesCount", e.dropped_attributes_count);
    }
    events.push_back(']');
  }
  AppendCount(span, "droppedEventsCount", s.dropped_events_count);
  if (!s.links.empty()) {
    std::string& links = span.Key("links");
    links.push_back('[');
    for (size_t i = 0; i < s.links.size(); ++i) {
      if (i != 0) links.push_back(',');
      const trace::SpanLink& l = s.links[i];
      ObjectWriter link(links);
      AppendJsonHex(link.Key("traceId"), l.context.trace_id().data(), trace::TraceId::kSize);
      AppendJsonHex(link.Key("spanId"), l.context.span_id().data(), trace::SpanId::kSize);
      AppendTraceState(link, l.context.trace_state());
      AppendAttributes(link, "attributes", l.attributes);
      AppendCount(link, "droppedAttributesCount", l.dropped_attributes_count);
      AppendJsonUint(link.Key("flags"), l.context.trace_flags().bits() | kSpanFlagsHasIsRemote |
                                            (l.context.IsRemote() ? kSpanFlagsIsRemote : 0));
    }
    links.push_back(']');
  }
  AppendCount(span, "droppedLinksCount", s.dropped_links_count);
  if (s.status.code != trace::SpanStatusCode::kUnset || !s.status.message.empty()) {
    ObjectWriter status(span.Key("status"));
    if (!s.status.message.empty()) AppendJsonString(status.Key("message"), s.status.message);
    if (s.status.code != trace::SpanStatusCode::kUnset) {
      AppendJsonUint(status.Key("code"), static_cast<uint32_t>(s.status.code));
    }
  }
}

}  // namespace

void TraceJsonEncoder::Encode(std::span<const trace::SpanData* const> batch, std::string& out) {
  grouping_.Group(batch);
  out.clear();
  ObjectWriter request(out);
  if (grouping_.resources().empty()) return;
  std::string& resource_spans = request.Key("resourceSpans");
  resource_spans.push_back('[');
  bool first_resource = true;
  for (const auto& rg : grouping_.resources()) {
    if (!first_resource) out.push_back(',');
    first_resource = false;
    ObjectWriter rs(out);
    if (rg.resource != nullptr) {
      ObjectWriter resource(rs.Key("resource"));
      AppendAttributes(resource, "attributes", rg.resource->attributes);
    }
    std::string& scope_spans = rs.Key("scopeSpans");
    scope_spans.push_back('[');
    for (uint32_t si = rg.first_scope; si < rg.first_scope + rg.scope_count; ++si) {
      if (si != rg.first_scope) out.push_back(',');
      const auto& sg = grouping_.scopes()[si];
      ObjectWriter ss(out);
      if (sg.scope != nullptr) {
        ObjectWriter scope(ss.Key("scope"));
        if (!sg.scope->name.empty()) AppendJsonString(scope.Key("name"), sg.scope->name);
        if (!sg.scope->version.empty()) AppendJsonString(scope.Key("version"), sg.scope->version);
        AppendAttributes(scope, "attributes", sg.scope->attributes);
      }
      std::string& spans = ss.Key("spans");
      spans.push_back('[');
      for (uint32_t i = sg.first_span; i < sg.first_span + sg.span_count; ++i) {
        if (i != sg.first_span) out.push_back(',');
        AppendSpan(out, *grouping_.spans()[i]);
      }
      spans.push_back(']');
      if (sg.scope != nullptr && !sg.scope->schema_url.empty()) {
        AppendJsonString(ss.Key("schemaUrl"), sg.scope->schema_url);
      }
    }
    scope_spans.push_back(']');
    if (rg.resource != nullptr && !rg.resource->schema_url.empty()) {
      AppendJsonString(rs.Key("schemaUrl"), rg.resource->schema_url);
    }
  }
  resource_spans.push_back(']');
}

}  // namespace tracewire::otlp
