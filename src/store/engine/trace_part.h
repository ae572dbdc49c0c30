// The summary of the spans of one trace found in one place (the head or a block); a trace cut
// across several places is the merge of its parts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/span_batch.h"
#include "store/format/row_format.h"
#include "store/store_query.h"

namespace tracewire::store::engine {

struct TracePart {
  model::TraceId id;
  uint64_t start_ns = UINT64_MAX;
  uint64_t end_ns = 0;
  uint32_t spans = 0;
  uint32_t errors = 0;
  bool has_root = false;
  uint64_t root_start_ns = UINT64_MAX;
  std::string root_service;
  std::string root_operation;
  std::vector<ServiceSpanCount> services;  // sorted by service
};

// The part of the spans in `refs` (all of one trace).
TracePart PartOfSpans(const std::vector<format::SpanRef>& refs);

// Merges parts of one trace into its summary.
TraceSummary MergeParts(const std::vector<const TracePart*>& parts);

// Newest first by start time, ties by trace id (the FindTraces order).
inline bool NewerFirst(uint64_t a_start, const model::TraceId& a, uint64_t b_start,
                       const model::TraceId& b) {
  if (a_start != b_start) return a_start > b_start;
  return a < b;
}

}  // namespace tracewire::store::engine
