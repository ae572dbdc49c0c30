// The query API of `tracewire serve`: the native API (/api/v1/...) and the Jaeger HTTP API
// (/api/services, /api/traces, /api/dependencies, ...), over a Store. See README.md for every
// route and its response shape.
#pragma once

#include <cstddef>
#include <string>

#include "net/http_server.h"
#include "store/store.h"

namespace tracewire::query {

struct QueryOptions {
  // When set, every /api request needs "Authorization: Bearer <token>" (else 401).
  std::string auth_token;
  // Search limits above this are capped (a trace search never returns more traces).
  size_t max_limit = 1500;
};

// Answers the API routes; any other path gets 404, so the caller can put a UI in front.
// `store` must outlive the handler. Thread-safe.
net::HttpHandler MakeQueryHandler(store::Store& store, QueryOptions options);

}  // namespace tracewire::query
