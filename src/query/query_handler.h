// The query API of `tracewire serve`: the native API (/api/v1/...) and the Jaeger HTTP API
// (/api/services, /api/traces, /api/dependencies, ...), over a Store. See README.md for every
// route and its response shape.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "net/http_server.h"
#include "store/store.h"

namespace tracewire::query {

// Requests answered, by outcome. Thread-safe (relaxed atomics).
struct QueryCounters {
  std::atomic<uint64_t> requests{0};      // every /api request
  std::atomic<uint64_t> bad_requests{0};  // 400: a parameter, path or limit error
  std::atomic<uint64_t> unauthorized{0};  // 401
  std::atomic<uint64_t> not_found{0};     // 404 under /api (unknown route, trace not found)
  std::atomic<uint64_t> store_errors{0};  // 5xx: the store failed
};

struct QueryOptions {
  // When set, every /api request needs "Authorization: Bearer <token>" (else 401).
  std::string auth_token;
  // Search limits above this are capped (a trace search never returns more traces).
  size_t max_limit = 1500;
  // Wall clock, ns since the Unix epoch, for the default time ranges; empty: the system clock.
  std::function<uint64_t()> now_ns;
  // When set, filled in as requests are answered (shared with the caller, e.g. for /metrics).
  std::shared_ptr<QueryCounters> counters;
};

// Answers the API routes; any other path gets 404, so the caller can put a UI in front.
// `store` must outlive the handler. Thread-safe.
net::HttpHandler MakeQueryHandler(store::Store& store, QueryOptions options);

}  // namespace tracewire::query
