// A blocking HTTP/1.1 client for exporters and tests: plain TCP (no TLS), keep-alive reuse of
// one connection per client, per-request timeout.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "net/http_message.h"

namespace tracewire::net {

// A parsed "http://host[:port][/path]" URL.
struct HttpUrl {
  std::string host;
  uint16_t port = 80;
  std::string target = "/";  // path and query, never empty

  // Parses `url`. Only the http scheme is accepted; https gives UNIMPLEMENTED.
  static StatusOr<HttpUrl> Parse(std::string_view url);
};

struct HttpClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  size_t max_response_body_bytes = 64u << 20;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Creates a client for host:port; connects lazily on the first Send.
  static std::unique_ptr<HttpClient> Create(std::string host, uint16_t port,
                                            HttpClientOptions options = {});

  // Sends `request` (Host and Content-Length are added) and reads the whole response.
  // Errors: UNAVAILABLE when the connection cannot be made or breaks, DEADLINE_EXCEEDED when
  // `timeout` passes, DATA_LOSS for a malformed response, RESOURCE_EXHAUSTED for a body over
  // max_response_body_bytes, INVALID_ARGUMENT for a request that cannot be written safely
  // (e.g. CR LF in a header value). An HTTP error status is not an error here: it is
  // returned in the response. A kept-alive connection found closed before any response byte
  // is replaced once, transparently; interim 1xx responses are skipped.
  // NOT thread-safe: use one client per thread.
  virtual StatusOr<HttpResponse> Send(const HttpRequest& request,
                                      std::chrono::milliseconds timeout) = 0;
};

}  // namespace tracewire::net
