// The test service /trpc.test.echo.Echo served by trpc_echo_server, and by the interop tests
// in-process. The same four methods as the trpc-go peer (tests/interop/trpc_go):
//   Echo   the request body back; with a downstream, the downstream's Echo answer.
//   Fail   func_ret 1, error_msg "echo: failure requested"; logs a warning (with the trace and
//          span ids when the logger uses trace/logging's formatters).
//   Meta   a JSON object of the inbound trans_info; with a downstream, the downstream's Meta.
//   Sleep  the body is decimal ms: waits that long (without blocking the event loop), echoes.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "trpc/client.h"
#include "trpc/server_call.h"

namespace tracewire::apps {

inline constexpr char kEchoService[] = "trpc.test.echo.Echo";

class DelayedReplies;

// Owns what the handlers share (the downstream client, the timer thread of Sleep).
class EchoService {
 public:
  // `downstream` and `logger` may be null; `downstream` must outlive the service.
  explicit EchoService(trpc::Client* downstream, std::shared_ptr<spdlog::logger> logger = nullptr);
  ~EchoService();

  // The handlers, keyed by func, for trpc::Server::Start.
  std::unordered_map<std::string, trpc::Handler> Handlers();

 private:
  void Forward(const std::shared_ptr<trpc::ServerCall>& call);

  trpc::Client* downstream_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<DelayedReplies> delayed_;
};

}  // namespace tracewire::apps
