#include "query/internal/jaeger_json.h"

#include <cstdint>
#include <vector>

#include "otlp/internal/json_text.h"

namespace tracewire::query::internal {
namespace {

using model::AnyValue;
using model::KeyValue;
using model::ValueType;
using otlp::internal::AppendJsonDouble;
using otlp::internal::AppendJsonHex;
using otlp::internal::AppendJsonInt;
using otlp::internal::AppendJsonString;
using otlp::internal::AppendJsonUint;

constexpr int kMaxValueDepth = 32;
constexpr int64_t kJsMaxSafeInteger = (int64_t{1} << 53) - 1;
constexpr std::string_view kNoServiceName = "OTLPResourceNoServiceName";

void AppendValueJson(std::string& out, const AnyValue& v, int depth) {
  switch (v.type()) {
    case ValueType::kString: AppendJsonString(out, v.string_value()); return;
    case ValueType::kBool: out.append(v.bool_value() ? "true" : "false"); return;
    case ValueType::kInt: AppendJsonInt(out, v.int_value()); return;
    case ValueType::kDouble: AppendJsonDouble(out, v.double_value()); return;
    case ValueType::kBytes:
      out.push_back('"');
      AppendBase64(out, v.string_value());
      out.push_back('"');
      return;
    case ValueType::kArray: {
      out.push_back('[');
      if (depth < kMaxValueDepth) {
        bool first = true;
        for (const AnyValue& e : v.array_value()) {
          if (!first) out.push_back(',');
          first = false;
          AppendValueJson(out, e, depth + 1);
        }
      }
      out.push_back(']');
      return;
    }
    case ValueType::kKvList: {
      out.push_back('{');
      if (depth < kMaxValueDepth) {
        bool first = true;
        for (const KeyValue& kv : v.kvlist_value()) {
          if (!first) out.push_back(',');
          first = false;
          AppendJsonString(out, kv.key);
          out.push_back(':');
          AppendValueJson(out, kv.value, depth + 1);
        }
      }
      out.push_back('}');
      return;
    }
    case ValueType::kEmpty: out.append("null"); return;
  }
  out.append("null");
}

// Starts {"key":K,"type":T,"value": — the caller writes the value and the closing brace.
void BeginTag(std::string& out, std::string_view key, std::string_view type) {
  out.append("{\"key\":");
  AppendJsonString(out, key);
  out.append(",\"type\":\"");
  out.append(type);
  out.append("\",\"value\":");
}

void AppendStringTag(std::string& out, std::string_view key, std::string_view value) {
  BeginTag(out, key, "string");
  AppendJsonString(out, value);
  out.push_back('}');
}

void AppendTag(std::string& out, const KeyValue& kv) {
  const AnyValue& v = kv.value;
  switch (v.type()) {
    case ValueType::kString: AppendStringTag(out, kv.key, v.string_value()); return;
    case ValueType::kBool:
      BeginTag(out, kv.key, "bool");
      out.append(v.bool_value() ? "true" : "false");
      break;
    case ValueType::kInt:
      BeginTag(out, kv.key, "int64");
      if (v.int_value() > kJsMaxSafeInteger || v.int_value() < -kJsMaxSafeInteger) {
        out.push_back('"');
        AppendJsonInt(out, v.int_value());
        out.push_back('"');
      } else {
        AppendJsonInt(out, v.int_value());
      }
      break;
    case ValueType::kDouble:
      BeginTag(out, kv.key, "float64");
      AppendJsonDouble(out, v.double_value());
      break;
    case ValueType::kBytes:
      BeginTag(out, kv.key, "binary");
      out.push_back('"');
      AppendBase64(out, v.string_value());
      out.push_back('"');
      break;
    case ValueType::kArray:
    case ValueType::kKvList: {
      std::string text;
      AppendValueJson(text, v, 0);
      AppendStringTag(out, kv.key, text);
      return;
    }
    case ValueType::kEmpty: AppendStringTag(out, kv.key, ""); return;
  }
  out.push_back('}');
}

// Appends tags separated by commas; `first` tracks whether a comma is due.
void AppendTags(std::string& out, std::span<const KeyValue> tags, bool& first) {
  for (const KeyValue& kv : tags) {
    if (!first) out.push_back(',');
    first = false;
    AppendTag(out, kv);
  }
}

bool SameResource(const model::Resource& a, const model::Resource& b) {
  if (a.service_name != b.service_name || a.attributes.size() != b.attributes.size()) {
    return false;
  }
  for (size_t i = 0; i < a.attributes.size(); ++i) {
    if (!(a.attributes[i] == b.attributes[i])) return false;
  }
  return true;
}

void AppendReference(std::string& out, std::string_view type, const model::TraceId& trace,
                     const model::SpanId& span) {
  out.append("{\"refType\":\"");
  out.append(type);
  out.append("\",\"traceID\":");
  AppendJsonHex(out, trace.data(), model::TraceId::kSize);
  out.append(",\"spanID\":");
  AppendJsonHex(out, span.data(), model::SpanId::kSize);
  out.push_back('}');
}

std::string_view LinkRefType(const model::Link& link) {
  const AnyValue* t = model::FindAttribute(link.attributes, "opentracing.ref_type");
  if (t != nullptr && t->type() == ValueType::kString && t->string_value() == "child_of") {
    return "CHILD_OF";
  }
  return "FOLLOWS_FROM";
}

void AppendReferences(std::string& out, const model::Span& span) {
  out.append(",\"references\":[");
  bool first = true;
  const bool has_parent = span.parent_span_id.IsValid();
  // A link to the parent only changes the parent reference's type (as Jaeger's translator does).
  std::string_view parent_type = "CHILD_OF";
  for (const model::Link& link : span.links) {
    if (has_parent && link.trace_id == span.trace_id && link.span_id == span.parent_span_id) {
      parent_type = LinkRefType(link);
    }
  }
  if (has_parent) {
    AppendReference(out, parent_type, span.trace_id, span.parent_span_id);
    first = false;
  }
  for (const model::Link& link : span.links) {
    if (has_parent && link.trace_id == span.trace_id && link.span_id == span.parent_span_id) {
      continue;
    }
    if (!first) out.push_back(',');
    first = false;
    AppendReference(out, LinkRefType(link), link.trace_id, link.span_id);
  }
  out.push_back(']');
}

void AppendSpanTags(std::string& out, const model::Span& span, const model::Scope* scope) {
  out.append(",\"tags\":[");
  bool first = true;
  auto comma = [&] {
    if (!first) out.push_back(',');
    first = false;
  };
  if (scope != nullptr && !scope->name.empty()) {
    comma();
    AppendStringTag(out, "otel.scope.name", scope->name);
  }
  if (scope != nullptr && !scope->version.empty()) {
    comma();
    AppendStringTag(out, "otel.scope.version", scope->version);
  }
  AppendTags(out, span.attributes, first);
  if (const std::string_view kind = JaegerSpanKind(span.kind); !kind.empty()) {
    comma();
    AppendStringTag(out, "span.kind", kind);
  }
  if (span.status_code == model::StatusCode::kOk) {
    comma();
    AppendStringTag(out, "otel.status_code", "OK");
  } else if (span.status_code == model::StatusCode::kError) {
    comma();
    AppendStringTag(out, "otel.status_code", "ERROR");
    out.append(",{\"key\":\"error\",\"type\":\"bool\",\"value\":true}");
  }
  if (!span.status_message.empty()) {
    comma();
    AppendStringTag(out, "otel.status_description", span.status_message);
  }
  if (!span.trace_state.empty()) {
    comma();
    AppendStringTag(out, "w3c.tracestate", span.trace_state);
  }
  out.push_back(']');
}

void AppendLogs(std::string& out, const model::Span& span) {
  out.append(",\"logs\":[");
  bool first_log = true;
  for (const model::Event& event : span.events) {
    if (!first_log) out.push_back(',');
    first_log = false;
    out.append("{\"timestamp\":");
    AppendJsonUint(out, event.time_unix_nano / 1000);
    out.append(",\"fields\":[");
    bool first = true;
    if (!event.name.empty() && model::FindAttribute(event.attributes, "event") == nullptr) {
      AppendStringTag(out, "event", event.name);
      first = false;
    }
    AppendTags(out, event.attributes, first);
    out.append("]}");
  }
  out.push_back(']');
}

}  // namespace

std::string_view JaegerSpanKind(model::SpanKind kind) {
  switch (kind) {
    case model::SpanKind::kInternal: return "internal";
    case model::SpanKind::kServer: return "server";
    case model::SpanKind::kClient: return "client";
    case model::SpanKind::kProducer: return "producer";
    case model::SpanKind::kConsumer: return "consumer";
    case model::SpanKind::kUnspecified: break;
  }
  return "";
}

void AppendAnyValueJson(std::string& out, const model::AnyValue& value) {
  AppendValueJson(out, value, 0);
}

void AppendBase64(std::string& out, std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t w = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    const char quad[4] = {kAlphabet[w >> 18], kAlphabet[(w >> 12) & 63], kAlphabet[(w >> 6) & 63],
                          kAlphabet[w & 63]};
    out.append(quad, 4);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 0) return;
  const uint32_t w = (uint32_t{p[i]} << 16) | (rest == 2 ? uint32_t{p[i + 1]} << 8 : 0);
  const char quad[4] = {kAlphabet[w >> 18], kAlphabet[(w >> 12) & 63],
                        rest == 2 ? kAlphabet[(w >> 6) & 63] : '=', '='};
  out.append(quad, 4);
}

void AppendJaegerTrace(const model::SpanBatch& batch, std::string& out) {
  // Process number (1-based) of each resource index; 0 until first used.
  std::vector<uint32_t> process_of(batch.resources.size(), 0);
  std::vector<uint32_t> processes;  // resource index of each process, in key order
  auto process_key = [&](uint32_t resource_index) -> uint32_t {
    if (resource_index >= process_of.size()) return 0;
    if (process_of[resource_index] != 0) return process_of[resource_index];
    for (size_t p = 0; p < processes.size(); ++p) {
      if (SameResource(batch.resources[processes[p]], batch.resources[resource_index])) {
        return process_of[resource_index] = static_cast<uint32_t>(p + 1);
      }
    }
    processes.push_back(resource_index);
    return process_of[resource_index] = static_cast<uint32_t>(processes.size());
  };

  out.append("{\"traceID\":");
  const model::TraceId trace_id = batch.spans.empty() ? model::TraceId() : batch.spans[0].trace_id;
  AppendJsonHex(out, trace_id.data(), model::TraceId::kSize);
  out.append(",\"spans\":[");
  bool first = true;
  for (const model::Span& span : batch.spans) {
    if (!first) out.push_back(',');
    first = false;
    out.append("{\"traceID\":");
    AppendJsonHex(out, span.trace_id.data(), model::TraceId::kSize);
    out.append(",\"spanID\":");
    AppendJsonHex(out, span.span_id.data(), model::SpanId::kSize);
    out.append(",\"operationName\":");
    AppendJsonString(out, span.name);
    AppendReferences(out, span);
    out.append(",\"startTime\":");
    AppendJsonUint(out, span.start_time_unix_nano / 1000);
    out.append(",\"duration\":");
    const uint64_t duration_ns = span.end_time_unix_nano > span.start_time_unix_nano
                                     ? span.end_time_unix_nano - span.start_time_unix_nano
                                     : 0;
    AppendJsonUint(out, duration_ns / 1000);
    const model::Scope* scope =
        span.scope_index < batch.scopes.size() ? &batch.scopes[span.scope_index] : nullptr;
    AppendSpanTags(out, span, scope);
    AppendLogs(out, span);
    out.append(",\"processID\":\"p");
    AppendJsonUint(out, process_key(span.resource_index));
    out.append("\",\"warnings\":null}");
  }
  out.append("],\"processes\":{");
  for (size_t p = 0; p < processes.size(); ++p) {
    if (p != 0) out.push_back(',');
    out.append("\"p");
    AppendJsonUint(out, p + 1);
    out.append("\":{\"serviceName\":");
    const model::Resource& resource = batch.resources[processes[p]];
    AppendJsonString(out, resource.service_name.empty() ? kNoServiceName : resource.service_name);
    out.append(",\"tags\":[");
    bool first_tag = true;
    for (const KeyValue& kv : resource.attributes) {
      if (kv.key == "service.name") continue;
      if (!first_tag) out.push_back(',');
      first_tag = false;
      AppendTag(out, kv);
    }
    out.append("]}");
  }
  out.append("},\"warnings\":null}");
}

}  // namespace tracewire::query::internal
