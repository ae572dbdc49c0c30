// The ingest phase: N keep-alive connections (one thread each) POST corpus bodies to an
// OTLP/HTTP /v1/traces endpoint in a closed loop, for a duration or until a span count.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ingest_corpus.h"

namespace tracewire::bench {

struct IngestOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 4318;
  std::string path = "/v1/traces";
  int connections = 4;
  double duration_s = 10;  // measured window; ignored when max_spans > 0
  double warmup_s = 0;     // unmeasured seconds before the window
  uint64_t max_spans = 0;  // > 0: send this many spans (whole requests), then stop
  bool gzip = false;       // compress each body at send time (zlib level 1)
  int timeout_ms = 30000;  // per request
  int record_every = 8;    // record one trace id of every Nth accepted request
};

struct IngestResult {
  double window_s = 0;  // the measured window, seconds
  uint64_t window_requests = 0;
  uint64_t window_spans = 0;
  uint64_t window_bytes = 0;    // request body bytes as sent (compressed when gzip)
  uint64_t total_requests = 0;  // accepted (2xx), warm-up included
  uint64_t total_spans = 0;     // accepted minus partial-success rejections
  uint64_t total_bytes = 0;
  uint64_t rejected_spans = 0;  // partial success
  uint64_t transport_errors = 0;
  std::map<int, uint64_t> non_2xx;     // status → count
  std::vector<int64_t> latencies_ns;   // accepted requests in the window, sorted
  std::vector<std::string> trace_ids;  // sampled accepted trace ids (hex)
  int64_t first_send_unix_ns = 0;
  int64_t last_send_unix_ns = 0;
};

// Runs the load. Errors: UNAVAILABLE when the first connection cannot be made.
StatusOr<IngestResult> RunIngest(const Corpus& corpus, const IngestOptions& options);

}  // namespace tracewire::bench
