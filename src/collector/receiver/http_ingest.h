// Internal: the request handling the OTLP/HTTP and Zipkin receivers share — media types,
// Content-Encoding with a decompressed-size bound, bearer tokens, CORS, and the HTTP status
// for a pipeline's answer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "net/http_message.h"

namespace tracewire::collector::internal {

// Seconds a throttled client is asked to wait (Retry-After, RetryInfo).
inline constexpr int kRetryAfterSeconds = 1;

// The media type of the Content-Type field (lower case, parameters dropped), "" when absent.
std::string MediaTypeOf(const net::HttpRequest& request);

// Replaces request.body with its decoded form per Content-Encoding ("gzip", "identity" or
// none). The result must fit in `max_bytes`. Errors: RESOURCE_EXHAUSTED over the limit (→ 413),
// INVALID_ARGUMENT for a corrupt stream or an unsupported coding (→ 400).
Status DecodeContentEncoding(net::HttpRequest& request, size_t max_bytes);

// True when `token` is empty (no auth configured) or the request carries
// "Authorization: Bearer <token>" (scheme case-insensitive, token compared in constant time).
bool BearerTokenMatches(std::string_view authorization, std::string_view token);

// The HTTP status of a pipeline's (non-OK) answer: RESOURCE_EXHAUSTED 429, UNAVAILABLE 503
// (both throttling: add Retry-After), INVALID_ARGUMENT 400, anything else 500.
int HttpStatusForConsumerError(StatusCode code);
bool IsThrottling(StatusCode code);

// CORS for browsers posting OTLP/JSON (receivers.otlp.protocols.http.cors).
struct CorsConfig {
  // Exact origins, "*" (any), or one wildcard like "https://*.example.com".
  std::vector<std::string> allowed_origins;
  // Request headers allowed beyond the always-allowed ones ("*" for any).
  std::vector<std::string> allowed_headers;
  int max_age_seconds = 0;  // Access-Control-Max-Age; 0 leaves it out
};

bool CorsOriginAllowed(const CorsConfig& cors, std::string_view origin);
// The answer to an OPTIONS preflight: 204, with the allow headers when the origin is allowed.
net::HttpResponse CorsPreflight(const CorsConfig& cors, const net::HttpRequest& request);
// Adds Access-Control-Allow-Origin (and Vary) to an actual response for an allowed `origin`
// (the request's Origin field, "" when absent).
void AddCorsHeaders(const CorsConfig& cors, std::string_view origin, net::HttpResponse& response);

}  // namespace tracewire::collector::internal
