// From a request's query parameters to store queries, for the Jaeger API (times in µs, Jaeger's
// defaults and checks, query_parser.go) and for the native API (times in ns or RFC 3339).
// Every error is INVALID_ARGUMENT with a message naming the parameter (the 400 body).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "base/status.h"
#include "model/span_batch.h"
#include "query/internal/query_string.h"
#include "store/store_query.h"

namespace tracewire::query::internal {

inline constexpr size_t kJaegerDefaultLimit = 100;
inline constexpr size_t kNativeDefaultLimit = 20;
inline constexpr size_t kMaxTagFilters = 32;
inline constexpr size_t kMaxTraceIdParams = 64;
// Jaeger's defaults: searches look back 2 days, dependencies 1 day (from the end time).
inline constexpr uint64_t kJaegerSearchLookbackNs = 48ull * 3600 * 1'000'000'000;
inline constexpr uint64_t kDependencyLookbackNs = 24ull * 3600 * 1'000'000'000;

struct JaegerSearch {
  store::TraceQuery query;
  // traceID=... repeats: when any is given, these traces are fetched and the rest is unused.
  std::vector<model::TraceId> trace_ids;
};

// GET /api/traces: service (required unless traceID is given), operation, tag=k:v (repeats),
// tags={"k":"v",...}, start/end (µs; defaults now − 48 h and now; end inclusive), lookback (a
// Go duration, also "2d"/"1w"; "custom" ignored; used only without start), minDuration /
// maxDuration (Go durations or integers in µs), limit (0 or absent: 100; capped at max_limit),
// traceID (repeats). The tags error=true and otel.status_code=ERROR become errors_only.
StatusOr<JaegerSearch> ParseJaegerSearch(const QueryParams& params, uint64_t now_ns,
                                         size_t max_limit);

// A [start_ns, end_ns) range.
struct TimeRange {
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;
};

// GET /api/dependencies: endTs (ms since the epoch, default now) and lookback (ms as an integer,
// or a Go duration; default 24 h). The range is [endTs − lookback, endTs], both inclusive.
StatusOr<TimeRange> ParseJaegerDependencies(const QueryParams& params, uint64_t now_ns);

// The start/end (µs) the Jaeger trace-by-id route accepts and checks, but does not need.
Status CheckJaegerTraceParams(const QueryParams& params);

// GET /api/v1/traces: service, operation, attr=k=v (repeats), errors (bool), minDuration /
// maxDuration (Go durations or integers in ns), start / end (ns integers or RFC 3339; defaults:
// all time), limit (0 or absent: 20; capped at max_limit).
StatusOr<store::TraceQuery> ParseNativeSearch(const QueryParams& params, size_t max_limit);

// GET /api/v1/dependencies: start / end (ns or RFC 3339); defaults end = now, start = end − 24 h.
StatusOr<TimeRange> ParseNativeDependencies(const QueryParams& params, uint64_t now_ns);

}  // namespace tracewire::query::internal
