#include "store/engine/trace_part.h"

#include <algorithm>
#include <map>

namespace tracewire::store::engine {

TracePart PartOfSpans(const std::vector<format::SpanRef>& refs) {
  TracePart p;
  std::map<std::string_view, ServiceSpanCount> services;
  // Root: the earliest span without a parent; failing that the earliest span.
  for (const format::SpanRef& ref : refs) {
    const model::Span& s = ref.span();
    const model::Resource& r = ref.resource();
    p.id = s.trace_id;
    p.start_ns = std::min(p.start_ns, s.start_time_unix_nano);
    p.end_ns = std::max(p.end_ns, s.end_time_unix_nano);
    ++p.spans;
    const bool error = s.status_code == model::StatusCode::kError;
    if (error) ++p.errors;
    auto& svc = services[r.service_name];
    ++svc.span_count;
    if (error) ++svc.error_count;
    const bool root = !s.parent_span_id.IsValid();
    const bool better =
        (root && !p.has_root) || (root == p.has_root && s.start_time_unix_nano < p.root_start_ns);
    if (better) {
      p.has_root = root;
      p.root_start_ns = s.start_time_unix_nano;
      p.root_service.assign(r.service_name);
      p.root_operation.assign(s.name);
    }
  }
  for (auto& [name, c] : services) {
    c.service.assign(name);
    p.services.push_back(c);
  }
  return p;
}

TraceSummary MergeParts(const std::vector<const TracePart*>& parts) {
  TraceSummary t;
  const TracePart* root = nullptr;
  uint64_t start = UINT64_MAX;
  uint64_t end = 0;
  std::map<std::string, ServiceSpanCount> services;
  for (const TracePart* p : parts) {
    t.trace_id = p->id;
    start = std::min(start, p->start_ns);
    end = std::max(end, p->end_ns);
    t.span_count += p->spans;
    t.error_count += p->errors;
    for (const auto& s : p->services) {
      auto& m = services[s.service];
      m.span_count += s.span_count;
      m.error_count += s.error_count;
    }
    if (root == nullptr || (p->has_root && !root->has_root) ||
        (p->has_root == root->has_root && p->root_start_ns < root->root_start_ns)) {
      root = p;
    }
  }
  if (root != nullptr) {
    t.root_service = root->root_service;
    t.root_operation = root->root_operation;
  }
  t.start_ns = start == UINT64_MAX ? 0 : start;
  t.duration_ns = end > t.start_ns ? end - t.start_ns : 0;
  for (auto& [name, c] : services) {
    c.service = name;
    t.services.push_back(std::move(c));
  }
  return t;
}

}  // namespace tracewire::store::engine
