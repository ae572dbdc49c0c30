// Service dependency edges: a span of service A whose parent span (same trace) is of service
// B ≠ A is one call B → A. Aggregated per (parent, child) with child errors and durations.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/format/duration_sketch.h"
#include "store/format/row_format.h"
#include "store/format/string_ids.h"
#include "store/store_query.h"

namespace tracewire::store::engine {

struct EdgeStats {
  uint64_t calls = 0;
  uint64_t errors = 0;
  format::DurationSketch durations;
};
using EdgeKey = std::pair<std::string, std::string>;  // (parent service, child service)
struct EdgeKeyHash {
  using is_transparent = void;
  size_t operator()(const std::pair<std::string_view, std::string_view>& k) const {
    return static_cast<size_t>(format::HashBytes(k.first) * 31 + format::HashBytes(k.second));
  }
  size_t operator()(const EdgeKey& k) const {
    const std::string_view parent = k.first;
    const std::string_view child = k.second;
    return static_cast<size_t>(format::HashBytes(parent) * 31 + format::HashBytes(child));
  }
};
struct EdgeKeyEqual {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    const std::string_view a_parent = a.first;
    const std::string_view a_child = a.second;
    const std::string_view b_parent = b.first;
    const std::string_view b_child = b.second;
    return a_parent == b_parent && a_child == b_child;
  }
};
// Unordered; EdgesToLinks sorts. Lookups by string_view pairs allocate nothing.
using EdgeMap = std::unordered_map<EdgeKey, EdgeStats, EdgeKeyHash, EdgeKeyEqual>;

// The stats of edge (parent, child), added when new.
EdgeStats& EdgeAt(EdgeMap* edges, std::string_view parent, std::string_view child);

// Adds the edges among `spans` (all of one trace) whose child starts in [start_ns, end_ns).
void AddTraceEdges(const std::vector<format::SpanRef>& spans, uint64_t start_ns, uint64_t end_ns,
                   EdgeMap* edges);

std::vector<DependencyLink> EdgesToLinks(const EdgeMap& edges);

}  // namespace tracewire::store::engine
