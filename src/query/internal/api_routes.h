// The route handlers behind MakeQueryHandler: the Jaeger HTTP API (/api/...) and the native API
// (/api/v1/...). Each answers one authenticated GET whose path is already split and decoded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_message.h"
#include "query/internal/query_string.h"
#include "store/store.h"

namespace tracewire::query::internal {

struct ApiContext {
  store::Store* store = nullptr;
  size_t max_limit = 0;
  uint64_t now_ns = 0;  // the wall clock when the request arrived (ns since the epoch)
};

// `segments` is the decoded path, starting with "api" (and "v1" for ServeNative). Unknown routes
// get 404 in the API's error shape.
net::HttpResponse ServeJaeger(const ApiContext& ctx, const std::vector<std::string>& segments,
                              const QueryParams& params);
net::HttpResponse ServeNative(const ApiContext& ctx, const std::vector<std::string>& segments,
                              const QueryParams& params);

// The web UI's routes (ui_api.cc): GET /api/v1/traces/{id}/compact (compact_trace.h) and
// GET /api/v1/traces/{id}/spans/{spanId} (that span alone as OTLP/JSON; 404 when absent).
net::HttpResponse CompactTrace(const ApiContext& ctx, std::string_view id_text);
net::HttpResponse SpanDetail(const ApiContext& ctx, std::string_view id_text,
                             std::string_view span_text);

}  // namespace tracewire::query::internal
