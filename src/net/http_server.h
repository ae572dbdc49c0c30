// An HTTP/1.1 server on Asio: keep-alive, pipelining (responses in request order),
// Expect: 100-continue, limits from HttpParseLimits. Plain TCP only (no TLS).
// Handlers are synchronous (HttpHandler: return the response) or asynchronous
// (HttpAsyncHandler: answer later through an HttpResponder, from any thread), so a request can
// wait for other work (a durable write) without holding a server thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "base/status.h"
#include "net/http_message.h"
#include "net/http_parser.h"

namespace tracewire::net {

// Answers one request. Called on a server thread; requests of one connection are handled one
// at a time and in order, requests of different connections concurrently when threads > 1, so
// the handler must be thread-safe then. A long handler holds up its thread: keep it short.
// Response framing (Content-Length, Connection) is set by the server.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

namespace internal {
class HttpConnection;
struct ResponderState;
}  // namespace internal

// The one answer to one request. Copyable (copies share the answer): the first Respond() wins
// and later ones are ignored. Respond() may be called from any thread and never blocks. If the
// last copy is destroyed without an answer, the client gets 500. Answers arriving after the
// connection closed, or after the server stopped, are dropped.
class HttpResponder {
 public:
  HttpResponder() = default;  // answers nothing
  void Respond(HttpResponse response) const;

 private:
  friend class internal::HttpConnection;
  explicit HttpResponder(std::shared_ptr<internal::ResponderState> state)
      : state_(std::move(state)) {}
  std::shared_ptr<internal::ResponderState> state_;
};

// Takes a request and answers it through `responder`, now or later. Called on a server
// thread like HttpHandler; must return quickly. Requests of one connection are dispatched in
// order, up to max_pipelined_requests at a time, and answered in that order whatever order
// the responders fire in.
using HttpAsyncHandler = std::function<void(HttpRequest request, HttpResponder responder)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";  // address to bind; "0.0.0.0" or "::" for all
  uint16_t port = 0;               // 0: an ephemeral port, readable from HttpServer::port()
  int threads = 1;                 // threads running the event loop
  HttpParseLimits limits;
  // A connection with no read or write progress for this long is closed (ms). Time spent
  // waiting for our own asynchronous handlers does not count.
  std::chrono::milliseconds idle_timeout{60'000};
  // Requests of one connection dispatched and not yet answered; reading pauses at this many.
  size_t max_pipelined_requests = 64;
  // Per-request body limit chosen from the request head (e.g. HttpRouter::BodyLimitFor);
  // unset: limits.max_body_bytes for every request.
  HttpBodyLimitSelector body_limit;
  // How long Stop() waits for answers still pending in asynchronous handlers (ms).
  std::chrono::milliseconds stop_grace{5'000};
};

class HttpServer {
 public:
  // Stops the server (see Stop()).
  virtual ~HttpServer() = default;

  // Binds, listens and starts serving on options.threads threads.
  // Errors: INVALID_ARGUMENT for a bad host or thread count, UNAVAILABLE when binding fails.
  static StatusOr<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                     HttpHandler handler);
  static StatusOr<std::unique_ptr<HttpServer>> Start(HttpServerOptions options,
                                                     HttpAsyncHandler handler);

  // The bound port (the ephemeral one when options.port was 0).
  virtual uint16_t port() const = 0;

  // Stops accepting, lets requests already in a handler or being written finish (their
  // responses carry "Connection: close"; asynchronous answers are awaited up to stop_grace),
  // closes every other connection, and joins the threads. Idempotent.
  // REQUIRES: not called from inside a handler.
  virtual void Stop() = 0;

  // Connections accepted so far, and requests answered with 4xx/5xx because they were
  // malformed or over a limit. Thread-safe.
  virtual uint64_t connections_accepted() const = 0;
  virtual uint64_t requests_rejected() const = 0;
};

}  // namespace tracewire::net
