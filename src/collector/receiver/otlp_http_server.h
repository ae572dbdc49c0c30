// Internal: the OTLP/HTTP side of the "otlp" receiver. POST <traces_url_path> and
// <logs_url_path> with application/x-protobuf or application/json bodies (gzip or identity);
// answers per the OTLP/HTTP spec: 200 + Export*ServiceResponse (partial_success when something
// was rejected), 400 + google.rpc.Status for bad data, 413 over the limit, 415 for other media
// types, 429/503 + Retry-After when the pipeline throttles, 500 otherwise; 401 without the
// configured bearer token. A signal with no pipeline has no route (404).
// Requests are answered asynchronously once the pipeline's ConsumeDone fires.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "collector/component.h"
#include "collector/receiver/receiver_config.h"
#include "collector/receiver/receiver_counters.h"

namespace tracewire::collector::internal {

class OtlpHttpServer {
 public:
  virtual ~OtlpHttpServer() = default;
  // `traces` / `logs` may be null (no route); they outlive the server. Answers that arrive
  // after Stop() are dropped safely. Errors: UNAVAILABLE when the port cannot be bound.
  static StatusOr<std::unique_ptr<OtlpHttpServer>> Start(
      const OtlpHttpConfig& config, TracesConsumer* traces, LogsConsumer* logs,
      std::shared_ptr<ReceiverCounters> counters);
  virtual uint16_t port() const = 0;
  // Stops taking requests; waits (bounded) for answers still pending. Idempotent.
  virtual void Stop() = 0;
};

}  // namespace tracewire::collector::internal
