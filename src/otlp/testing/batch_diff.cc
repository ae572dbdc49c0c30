#include "otlp/testing/batch_diff.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <span>
#include <string_view>

namespace tracewire::otlp::testing {

namespace {

std::string Diff(const model::KeyValue& a, const model::KeyValue& b);

std::string Diff(std::span<const model::KeyValue> a, std::span<const model::KeyValue> b) {
  if (a.size() != b.size()) {
    return "attribute count " + std::to_string(a.size()) + " vs " + std::to_string(b.size());
  }
  for (size_t i = 0; i < a.size(); ++i) {
    std::string d = Diff(a[i], b[i]);
    if (!d.empty()) return "[" + std::to_string(i) + "] " + d;
  }
  return "";
}

std::string Diff(const model::KeyValue& a, const model::KeyValue& b) {
  if (a.key != b.key) return "key '" + std::string(a.key) + "' vs '" + std::string(b.key) + "'";
  std::string d = DiffValues(a.value, b.value);
  return d.empty() ? d : std::string(a.key) + ": " + d;
}

#define TW_DIFF_FIELD(name)                                                     \
  do {                                                                          \
    if (!(a.name == b.name)) return std::string(prefix) + "." #name " differs"; \
  } while (false)

#define TW_DIFF_ATTRS(name)                                         \
  do {                                                              \
    std::string d = Diff(a.name, b.name);                           \
    if (!d.empty()) return std::string(prefix) + "." #name " " + d; \
  } while (false)

std::string DiffResource(const model::Resource& a, const model::Resource& b) {
  const char* prefix = "resource";
  TW_DIFF_ATTRS(attributes);
  TW_DIFF_FIELD(dropped_attributes_count);
  TW_DIFF_FIELD(schema_url);
  TW_DIFF_FIELD(service_name);
  return "";
}

std::string DiffScope(const model::Scope& a, const model::Scope& b) {
  const char* prefix = "scope";
  TW_DIFF_FIELD(name);
  TW_DIFF_FIELD(version);
  TW_DIFF_ATTRS(attributes);
  TW_DIFF_FIELD(dropped_attributes_count);
  TW_DIFF_FIELD(schema_url);
  return "";
}

std::string DiffSpan(const model::Span& a, const model::Span& b) {
  const char* prefix = "span";
  TW_DIFF_FIELD(trace_id);
  TW_DIFF_FIELD(span_id);
  TW_DIFF_FIELD(parent_span_id);
  TW_DIFF_FIELD(trace_state);
  TW_DIFF_FIELD(flags);
  TW_DIFF_FIELD(name);
  TW_DIFF_FIELD(kind);
  TW_DIFF_FIELD(status_code);
  TW_DIFF_FIELD(status_message);
  TW_DIFF_FIELD(start_time_unix_nano);
  TW_DIFF_FIELD(end_time_unix_nano);
  TW_DIFF_ATTRS(attributes);
  TW_DIFF_FIELD(dropped_attributes_count);
  TW_DIFF_FIELD(dropped_events_count);
  TW_DIFF_FIELD(dropped_links_count);
  TW_DIFF_FIELD(events.size());
  TW_DIFF_FIELD(links.size());
  for (size_t i = 0; i < a.events.size(); ++i) {
    const model::Event& ea = a.events[i];
    const model::Event& eb = b.events[i];
    if (ea.time_unix_nano != eb.time_unix_nano || ea.name != eb.name ||
        ea.dropped_attributes_count != eb.dropped_attributes_count) {
      return "span.events[" + std::to_string(i) + "] differs";
    }
    std::string d = Diff(ea.attributes, eb.attributes);
    if (!d.empty()) return "span.events[" + std::to_string(i) + "].attributes " + d;
  }
  for (size_t i = 0; i < a.links.size(); ++i) {
    const model::Link& la = a.links[i];
    const model::Link& lb = b.links[i];
    if (la.trace_id != lb.trace_id || la.span_id != lb.span_id ||
        la.trace_state != lb.trace_state || la.flags != lb.flags ||
        la.dropped_attributes_count != lb.dropped_attributes_count) {
      return "span.links[" + std::to_string(i) + "] differs";
    }
    std::string d = Diff(la.attributes, lb.attributes);
    if (!d.empty()) return "span.links[" + std::to_string(i) + "].attributes " + d;
  }
  return "";
}

std::string DiffRecord(const model::LogRecord& a, const model::LogRecord& b) {
  const char* prefix = "log";
  TW_DIFF_FIELD(time_unix_nano);
  TW_DIFF_FIELD(observed_time_unix_nano);
  TW_DIFF_FIELD(severity_number);
  TW_DIFF_FIELD(severity_text);
  TW_DIFF_ATTRS(attributes);
  TW_DIFF_FIELD(dropped_attributes_count);
  TW_DIFF_FIELD(flags);
  TW_DIFF_FIELD(trace_id);
  TW_DIFF_FIELD(span_id);
  TW_DIFF_FIELD(event_name);
  std::string d = DiffValues(a.body, b.body);
  return d.empty() ? d : "log.body " + d;
}

template <typename Batch, typename Item, typename DiffItem>
std::string DiffBatches(const Batch& a, const Batch& b, const std::vector<Item>& ia,
                        const std::vector<Item>& ib, DiffItem diff_item) {
  if (ia.size() != ib.size()) {
    return "item count " + std::to_string(ia.size()) + " vs " + std::to_string(ib.size());
  }
  for (size_t i = 0; i < ia.size(); ++i) {
    const std::string at = "item " + std::to_string(i) + ": ";
    if (ia[i].resource_index >= a.resources.size() || ib[i].resource_index >= b.resources.size() ||
        ia[i].scope_index >= a.scopes.size() || ib[i].scope_index >= b.scopes.size()) {
      return at + "index out of range";
    }
    std::string d = diff_item(ia[i], ib[i]);
    if (d.empty())
      d = DiffResource(a.resources[ia[i].resource_index], b.resources[ib[i].resource_index]);
    if (d.empty()) d = DiffScope(a.scopes[ia[i].scope_index], b.scopes[ib[i].scope_index]);
    if (!d.empty()) return at + d;
  }
  return "";
}

}  // namespace

std::string DiffValues(const model::AnyValue& a, const model::AnyValue& b) {
  if (a.type() != b.type()) {
    return "type " + std::to_string(static_cast<int>(a.type())) + " vs " +
           std::to_string(static_cast<int>(b.type()));
  }
  switch (a.type()) {
    case model::ValueType::kEmpty: return "";
    case model::ValueType::kString:
    case model::ValueType::kBytes:
      return a.string_value() == b.string_value() ? "" : "text differs";
    case model::ValueType::kBool: return a.bool_value() == b.bool_value() ? "" : "bool differs";
    case model::ValueType::kInt: return a.int_value() == b.int_value() ? "" : "int differs";
    case model::ValueType::kDouble: {
      const double x = a.double_value();
      const double y = b.double_value();
      if (std::isnan(x) && std::isnan(y)) return "";
      return std::bit_cast<uint64_t>(x) == std::bit_cast<uint64_t>(y) ? "" : "double differs";
    }
    case model::ValueType::kArray: {
      auto x = a.array_value();
      auto y = b.array_value();
      if (x.size() != y.size()) return "array size differs";
      for (size_t i = 0; i < x.size(); ++i) {
        std::string d = DiffValues(x[i], y[i]);
        if (!d.empty()) return "[" + std::to_string(i) + "] " + d;
      }
      return "";
    }
    case model::ValueType::kKvList: return Diff(a.kvlist_value(), b.kvlist_value());
  }
  return "unknown type";
}

std::string DiffSpanBatches(const model::SpanBatch& a, const model::SpanBatch& b) {
  return DiffBatches(a, b, a.spans, b.spans, DiffSpan);
}

std::string DiffLogBatches(const model::LogBatch& a, const model::LogBatch& b) {
  return DiffBatches(a, b, a.records, b.records, DiffRecord);
}

}  // namespace tracewire::otlp::testing
