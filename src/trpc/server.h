// Server: a tRPC server over TCP. `threads` event loops each own their connections; a connection
// carries many requests in flight; responses go back in completion order.
//
// Malformed input (a frame that does not decode) gets a response with ret 1 when the request id
// is known, then only that connection closes. Unknown funcs get 12. A request whose timeout
// field elapses before its handler replies gets 21. Shutdown stops accepting and drains.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "base/status.h"
#include "trpc/filter.h"
#include "trpc/frame_format.h"
#include "trpc/server_call.h"

namespace tracewire::trpc {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;                               // 0 = an ephemeral port; see Server::port()
  int threads = 1;                                 // event-loop threads
  size_t max_frame_size = kDefaultMaxFrameSize;    // bytes, both directions
  size_t max_connections = 10000;                  // further accepts are closed at once
  size_t max_in_flight_per_connection = 4096;      // reading pauses above this
  std::chrono::milliseconds idle_timeout{60'000};  // a connection with no call in flight
  std::string service_name;  // this service's name, e.g. "trpc.test.echo.Echo"
  ServerFilters filters;     // run around every handler, in order
};

struct ServerStats {
  uint64_t connections_accepted = 0;
  uint64_t requests = 0;
  uint64_t decode_errors = 0;  // connections closed for malformed input
  uint64_t timeouts = 0;       // calls answered 21
};

class Server {
 public:
  // Binds, listens and starts the event loops. `handlers` maps "/pkg.Service/Method" to its
  // handler. Errors: an invalid option (InvalidArgument), the address in use or not bindable
  // (Unavailable).
  static StatusOr<std::unique_ptr<Server>> Start(ServerOptions options,
                                                 std::unordered_map<std::string, Handler> handlers);

  virtual ~Server() = default;  // Shutdown(0ms)

  virtual uint16_t port() const = 0;
  virtual ServerStats stats() const = 0;

  // Stops accepting, lets calls in flight finish for up to `drain` (answering none anew), then
  // closes every connection and joins the event loops. Idempotent; thread-safe; must not be
  // called from a handler.
  virtual void Shutdown(std::chrono::milliseconds drain) = 0;
};

}  // namespace tracewire::trpc
