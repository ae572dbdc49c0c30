// The query phase: sequential GETs on one keep-alive connection against the query API, timed
// per request — trace by id (Jaeger and native) and search by (service, operation).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace tracewire::bench {

// What the ingest phase recorded for this phase (the --record file).
struct QuerySample {
  std::vector<std::string> trace_ids;                           // hex
  std::vector<std::pair<std::string, std::string>> operations;  // (service, span name)
};

// Reads a --record file ("trace\tHEX", "op\tSERVICE\tNAME" lines; others ignored).
StatusOr<QuerySample> ReadQuerySample(const std::string& path);
// Writes one. Errors: UNAVAILABLE when the file cannot be written.
Status WriteQuerySample(const std::string& path, const QuerySample& sample);

enum class QueryKind { kJaegerTrace, kNativeTrace, kJaegerSearch, kNativeSearch };

struct QueryOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 16686;
  int requests = 300;  // per kind, after `warmup` unmeasured ones
  int warmup = 10;
  int limit = 20;  // search limit
  int timeout_ms = 10000;
};

struct QueryResult {
  QueryKind kind = QueryKind::kJaegerTrace;
  uint64_t ok = 0;                    // 200 (for trace kinds: and the body names the trace id)
  uint64_t not_found = 0;             // 404, or a 200 without the id
  uint64_t empty = 0;                 // searches answered 200 with no trace
  uint64_t errors = 0;                // other statuses and transport errors
  std::vector<int64_t> latencies_ns;  // every measured request, sorted
};

std::string QueryKindName(QueryKind kind);

// Runs `options.requests` requests of `kind`, cycling through the sample.
// Errors: INVALID_ARGUMENT when the sample has nothing for `kind`.
StatusOr<QueryResult> RunQueries(QueryKind kind, const QuerySample& sample,
                                 const QueryOptions& options);

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(const std::string& s);

}  // namespace tracewire::bench
