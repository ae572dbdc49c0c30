// `tracewire serve`: receivers → pipelines → the embedded store, and the query API over it, in
// one process (issue 4). Start() opens everything and reports each listener; Stop() stops the
// receivers, flushes the pipelines, stops the query server and closes the store.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "apps/tracewire/serve_config.h"
#include "base/status.h"

namespace tracewire::apps {

class ServeApp {
 public:
  struct Listener {
    std::string what;   // "receivers.otlp grpc", "extensions.tracewire_query", ...
    std::string host;   // as bound
    uint16_t port = 0;  // the bound port (the real one when the config said 0)
  };

  // Parses and validates the config, opens the store, builds and starts the pipelines and the
  // query server. Info lines (one per listener, config warnings) go to `log`, subject to
  // service.telemetry.logs.level. Errors name the config key or flag.
  static StatusOr<std::unique_ptr<ServeApp>> Start(const ServeFlags& flags, std::ostream& log);

  ServeApp(const ServeApp&) = delete;
  ServeApp& operator=(const ServeApp&) = delete;
  ~ServeApp();  // Stop()s

  const std::vector<Listener>& listeners() const;
  // Idempotent; returns the first error.
  Status Stop();

  struct Parts;

 private:
  explicit ServeApp(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

// The `serve` subcommand: --print-config prints and returns 0; otherwise runs until SIGINT or
// SIGTERM, then stops cleanly and returns 0. Start-up errors: the message on `err`, returns 2.
int RunServe(const ServeFlags& flags, std::ostream& out, std::ostream& err);

}  // namespace tracewire::apps
