// Flags of trpc_echo_load, the tRPC echo load generator (see bench/README.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/status.h"

namespace tracewire::bench {

enum class LoadProtocol {
  kTrpc,  // unary tRPC echo frames; many requests in flight per connection, matched by id
  kHttp,  // HTTP/1.1 keep-alive POSTs; answers in order, one in flight unless pipelining
};

enum class LoadMode {
  kClosed,  // each connection keeps `pipeline` requests in flight, as fast as answers come
  kOpen,    // each connection sends on a fixed schedule, whatever the answers do
};

struct LoadOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  int connections = 64;
  size_t body_size = 64;   // bytes
  double duration_s = 10;  // the measured window, after the warm-up
  double warmup_s = 2;     // responses in the first warmup_s seconds are not counted
  LoadMode mode = LoadMode::kClosed;
  double rate = 0;   // open loop: requests/s over all connections
  int pipeline = 1;  // closed loop: requests in flight per connection
  std::string func = "/trpc.test.echo.Echo/Echo";
  uint32_t content_type = 4;  // 4: noop (raw bytes)
  int timeout_ms = 1000;      // sent in the request; an answer later than this is an error
  int threads = 1;            // event-loop threads of the load generator
  LoadProtocol protocol = LoadProtocol::kTrpc;
  std::string path = "/echo";  // HTTP: the request target
};

// Splits "HOST:PORT" ("[::1]:PORT" for IPv6). Errors: INVALID_ARGUMENT.
Status ParseAddress(const std::string& addr, LoadOptions* options);

// Checks ranges and mode-specific requirements (open loop needs --rate > 0).
// Errors: INVALID_ARGUMENT naming the flag.
Status ValidateLoadOptions(const LoadOptions& options);

}  // namespace tracewire::bench
