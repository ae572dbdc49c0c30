// The sidecar's own tracing SDK: a TracerProvider whose spans leave through the batch span
// processor (bounded per-thread queue, drops counted) and the OTLP/HTTP exporter, sampled as
// the config says. Traffic never waits on it: a slow or absent collector costs dropped spans.
#pragma once

#include <memory>

#include "base/status.h"
#include "sidecar/config.h"
#include "sidecar/metrics.h"
#include "trace/sdk/batch_span_processor.h"
#include "trace/sdk/tracer.h"

namespace tracewire::sidecar {

class Telemetry {
 public:
  // INVALID_ARGUMENT naming the exporter key for a bad endpoint.
  static StatusOr<std::unique_ptr<Telemetry>> Create(const SidecarConfig& config);
  ~Telemetry();  // flushes for up to 1 s

  trace::TracerProvider& provider() { return *provider_; }
  trace::Tracer& tracer() { return *tracer_; }
  SpanFigures Figures() const;
  // Flushes queued spans (for tests and shutdown).
  Status Flush(std::chrono::milliseconds timeout);

 private:
  Telemetry() = default;
  std::unique_ptr<trace::TracerProvider> provider_;
  trace::BatchSpanProcessor* processor_ = nullptr;  // owned by provider_; null: no export
  trace::Tracer* tracer_ = nullptr;
};

}  // namespace tracewire::sidecar
