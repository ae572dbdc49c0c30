#include "store/engine/query_plan.h"

#include "store/format/value_codec.h"

namespace tracewire::store::engine {

QueryPlan PlanQuery(const TraceQuery& q, const IndexedKeys& indexed) {
  QueryPlan plan;
  plan.query = &q;
  std::string key;
  bool errors_covered = false;  // by the service+error key: same span, no check needed
  if (!q.service.empty() && !q.operation.empty()) {
    AppendOperationKey(q.service, q.operation, &key);
  } else if (!q.service.empty() && q.errors_only) {
    AppendServiceErrorKey(q.service, &key);
    errors_covered = true;
  } else if (!q.service.empty()) {
    AppendServiceKey(q.service, &key);
  } else if (!q.operation.empty()) {
    AppendNameKey(q.operation, &key);
  }
  if (!key.empty()) plan.terms.push_back(key);
  if (q.errors_only && !errors_covered) {
    key.clear();
    AppendErrorKey(&key);
    plan.terms.push_back(key);
  }
  for (const auto& [k, v] : q.attributes) {
    if (indexed.Find(k) < 0) {
      plan.needs_span_check = true;
      continue;
    }
    key.clear();
    AppendAttributeKey(k, v, &key);
    plan.terms.push_back(key);
  }
  if (plan.terms.size() > 1 || q.min_duration_ns || q.max_duration_ns) {
    plan.needs_span_check = true;
  }
  plan.service_min_duration_only = !q.service.empty() && q.operation.empty() && !q.errors_only &&
                                   q.attributes.empty() && q.min_duration_ns.has_value() &&
                                   !q.max_duration_ns.has_value();
  return plan;
}

bool QueryPlan::SpanMatches(const model::Span& s, const model::Resource& r) const {
  const TraceQuery& q = *query;
  if (s.start_time_unix_nano < q.start_ns || s.start_time_unix_nano >= q.end_ns) return false;
  if (!q.service.empty() && r.service_name != q.service) return false;
  if (!q.operation.empty() && s.name != q.operation) return false;
  if (q.errors_only && s.status_code != model::StatusCode::kError) return false;
  const uint64_t d = SpanDuration(s);
  if (q.min_duration_ns && d < *q.min_duration_ns) return false;
  if (q.max_duration_ns && d > *q.max_duration_ns) return false;
  std::string text;
  for (const auto& [k, v] : q.attributes) {
    const model::AnyValue* value = model::FindAttribute(s.attributes, k);
    if (value == nullptr) value = model::FindAttribute(r.attributes, k);
    if (value == nullptr) return false;
    if (value->type() == model::ValueType::kString) {
      if (value->string_value() != v) return false;
      continue;
    }
    text.clear();
    format::AppendValueText(*value, &text);
    if (text != v) return false;
  }
  return true;
}

}  // namespace tracewire::store::engine
