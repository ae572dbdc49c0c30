// A raw HTTP request (parsed by HttpRequestParser) through the receivers' shared request
// handling: never crashes, never decodes past the bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collector/receiver/http_ingest.h"
#include "net/http_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tracewire;
  constexpr size_t kLimit = 64 * 1024;
  net::HttpParseLimits limits;
  limits.max_body_bytes = kLimit;
  net::HttpRequestParser parser(limits);
  parser.Feed(std::string_view(reinterpret_cast<const char*>(data), size));
  parser.FinishEof();
  if (!parser.done()) return 0;
  net::HttpRequest request = parser.request();

  collector::internal::CorsConfig cors;
  cors.allowed_origins = {"https://*.example.com", "http://localhost:3000"};
  cors.allowed_headers = {"x-custom"};
  cors.max_age_seconds = 60;
  net::HttpResponse preflight = collector::internal::CorsPreflight(cors, request);
  if (preflight.status != 204) std::abort();
  net::HttpResponse response;
  collector::internal::AddCorsHeaders(cors, request.headers.Get("origin").value_or(""), response);
  (void)collector::internal::MediaTypeOf(request);
  (void)collector::internal::BearerTokenMatches(request.headers.Get("authorization").value_or(""),
                                                "token");

  Status s = collector::internal::DecodeContentEncoding(request, kLimit);
  if (s.ok() && request.body.size() > kLimit) std::abort();
  if (!s.ok() && s.code() != StatusCode::kResourceExhausted &&
      s.code() != StatusCode::kInvalidArgument) {
    std::abort();
  }
  return 0;
}
