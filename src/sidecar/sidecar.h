// Sidecar: the transparent proxy. Runs every listener of a SidecarConfig on `threads` event-loop
// threads (SO_REUSEPORT acceptors, upstream pools per thread), the admin endpoint (/metrics,
// /ready) on its own, and its spans through Telemetry.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "sidecar/config.h"

namespace tracewire::sidecar {

class Sidecar {
 public:
  // Resolves every cluster, binds every listener and the admin address, starts serving.
  // Errors: INVALID_ARGUMENT (a name that does not resolve, a bad exporter endpoint),
  // UNAVAILABLE (an address that cannot be bound), each naming the config key.
  static StatusOr<std::unique_ptr<Sidecar>> Start(SidecarConfig config);

  virtual ~Sidecar() = default;  // Stop()

  // The bound port of the listener named `name` (the ephemeral one for port 0), or 0.
  virtual uint16_t listener_port(std::string_view name) const = 0;
  // The admin port, or 0 when there is none.
  virtual uint16_t admin_port() const = 0;
  // The Prometheus text /metrics serves.
  virtual std::string MetricsText() const = 0;
  // Exports every span ended so far (tests; shutdown).
  virtual Status FlushSpans(std::chrono::milliseconds timeout) = 0;
  // Stops listening, closes connections, flushes spans (up to 1 s). Idempotent.
  virtual void Stop() = 0;
};

}  // namespace tracewire::sidecar
