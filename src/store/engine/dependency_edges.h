// Service dependency edges: a span of service A whose parent span (same trace) is of service
// B ≠ A is one call B → A. Aggregated per (parent, child) with child errors and durations.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/format/duration_sketch.h"
#include "store/format/row_format.h"
#include "store/store_query.h"

namespace tracewire::store::engine {

struct EdgeStats {
  uint64_t calls = 0;
  uint64_t errors = 0;
  format::DurationSketch durations;
};
using EdgeMap = std::map<std::pair<std::string, std::string>, EdgeStats>;

// Adds the edges among `spans` (all of one trace) whose child starts in [start_ns, end_ns).
void AddTraceEdges(const std::vector<format::SpanRef>& spans, uint64_t start_ns, uint64_t end_ns,
                   EdgeMap* edges);

std::vector<DependencyLink> EdgesToLinks(const EdgeMap& edges);

}  // namespace tracewire::store::engine
