// A TraceQuery turned into posting terms plus the per-span check that postings cannot settle.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/span_batch.h"
#include "store/engine/posting_keys.h"
#include "store/store_query.h"

namespace tracewire::store::engine {

struct QueryPlan {
  const TraceQuery* query = nullptr;
  // Posting keys every matching trace has (empty: every trace is a candidate).
  std::vector<std::string> terms;
  // True when a candidate trace must be confirmed span by span even if the part's time range
  // lies inside the query's (several terms, a non-indexed attribute, a duration bound).
  bool needs_span_check = false;
  // The query is a service and a minimum duration only: a block settles it from its per-trace
  // service table (longest span per service) without reading pages.
  bool service_min_duration_only = false;

  // Whether a part whose span starts lie in [min_start_ns, max_start_ns] must be checked span
  // by span.
  bool NeedsCheck(uint64_t min_start_ns, uint64_t max_start_ns) const {
    return needs_span_check || min_start_ns < query->start_ns || max_start_ns >= query->end_ns;
  }
  // The one-span test of TraceQuery: every set condition holds for this span.
  bool SpanMatches(const model::Span& span, const model::Resource& resource) const;
};

QueryPlan PlanQuery(const TraceQuery& query, const IndexedKeys& indexed);

inline uint64_t SpanDuration(const model::Span& s) {
  return s.end_time_unix_nano > s.start_time_unix_nano
             ? s.end_time_unix_nano - s.start_time_unix_nano
             : 0;
}

}  // namespace tracewire::store::engine
