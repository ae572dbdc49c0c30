#include "store/engine/dependency_edges.h"

#include <algorithm>
#include <tuple>

#include "store/engine/query_plan.h"

namespace tracewire::store::engine {

void AddTraceEdges(const std::vector<format::SpanRef>& spans, uint64_t start_ns, uint64_t end_ns,
                   EdgeMap* edges) {
  std::vector<std::pair<model::SpanId, std::string_view>> by_id;
  by_id.reserve(spans.size());
  for (const auto& ref : spans) by_id.emplace_back(ref.span().span_id, ref.resource().service_name);
  std::sort(by_id.begin(), by_id.end());
  for (const auto& ref : spans) {
    const model::Span& s = ref.span();
    if (!s.parent_span_id.IsValid() || s.start_time_unix_nano < start_ns ||
        s.start_time_unix_nano >= end_ns) {
      continue;
    }
    auto it = std::lower_bound(by_id.begin(), by_id.end(), s.parent_span_id,
                               [](const auto& e, const model::SpanId& id) { return e.first < id; });
    if (it == by_id.end() || it->first != s.parent_span_id) continue;
    const std::string_view child = ref.resource().service_name;
    if (it->second == child) continue;
    EdgeStats& e = EdgeAt(edges, it->second, child);
    ++e.calls;
    if (s.status_code == model::StatusCode::kError) ++e.errors;
    e.durations.Add(SpanDuration(s));
  }
}

EdgeStats& EdgeAt(EdgeMap* edges, std::string_view parent, std::string_view child) {
  auto it = edges->find(std::pair<std::string_view, std::string_view>(parent, child));
  if (it != edges->end()) return it->second;
  return (*edges)[EdgeKey(parent, child)];
}

std::vector<DependencyLink> EdgesToLinks(const EdgeMap& edges) {
  std::vector<DependencyLink> out;
  out.reserve(edges.size());
  for (const auto& [k, e] : edges) {
    DependencyLink l;
    l.parent = k.first;
    l.child = k.second;
    l.call_count = e.calls;
    l.error_count = e.errors;
    l.duration_p50_ns = e.durations.Quantile(0.5);
    l.duration_p99_ns = e.durations.Quantile(0.99);
    out.push_back(std::move(l));
  }
  std::sort(out.begin(), out.end(), [](const DependencyLink& a, const DependencyLink& b) {
    return std::tie(a.parent, a.child) < std::tie(b.parent, b.child);
  });
  return out;
}

}  // namespace tracewire::store::engine
