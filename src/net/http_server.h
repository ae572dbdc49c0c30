// An HTTP/1.1 server on Asio: keep-alive, pipelining (responses in request order),
// Expect: 100-continue, limits from HttpParseLimits. Plain TCP only (no TLS).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "net/http_message.h"
#include "net/http_parser.h"

namespace tracewire::net {

// Answers one request. Called on a server thread; requests of one connection are handled one
// at a time and in order, requests of different connections concurrently when threads > 1, so
// the handler must be thread-safe then. A long handler holds up its thread: keep it short.
// Response framing (Content-Length, Connection) is set by the server.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // address to bind; "0.0.0.0" or "::" for all
  uint16_t port = 0;               // 0: an ephemeral port, readable from HttpServer::port()
  int threads = 1;                 // threads running the event loop
  HttpParseLimits limits;
  // A connection with no read or write progress for this long is closed (ms).
  std::chrono::milliseconds idle_timeout{60'000};
};

class HttpServer {
 public:
  // Stops the server (see Stop()).
  virtual ~HttpServer() = default;

  // Binds, listens and starts serving on options.threads threads.
  // Errors: INVALID_ARGUMENT for a bad host or thread count, UNAVAILABLE when binding fails.
  static StatusOr<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                     HttpHandler handler);

  // The bound port (the ephemeral one when options.port was 0).
  virtual uint16_t port() const = 0;

  // Stops accepting, lets requests already in a handler or being written finish (their
  // responses carry "Connection: close"), closes every other connection, and joins the
  // threads. Idempotent. REQUIRES: not called from inside a handler.
  virtual void Stop() = 0;

  // Connections accepted so far, and requests answered with 4xx/5xx because they were
  // malformed or over a limit. Thread-safe.
  virtual uint64_t connections_accepted() const = 0;
  virtual uint64_t requests_rejected() const = 0;
};

}  // namespace tracewire::net
