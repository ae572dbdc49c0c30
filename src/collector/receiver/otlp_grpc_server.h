// Internal: the OTLP/gRPC side of the "otlp" receiver, on gRPC's callback API with a generic
// service: /opentelemetry.proto.collector.trace.v1.TraceService/Export and
// /opentelemetry.proto.collector.logs.v1.LogsService/Export, each message decoded with our own
// decoder (no generated service code). Status codes per the OTLP/gRPC spec: INVALID_ARGUMENT
// for bad data; the pipeline's RESOURCE_EXHAUSTED / UNAVAILABLE with a google.rpc.RetryInfo
// detail; partial_success in the response; UNAUTHENTICATED without the configured bearer token;
// UNIMPLEMENTED for other methods and for a signal with no pipeline. gzip and the message size
// limit are gRPC's.
#pragma once

#include <memory>

#include "base/status.h"
#include "collector/component.h"
#include "collector/receiver/receiver_config.h"
#include "collector/receiver/receiver_counters.h"

namespace tracewire::collector::internal {

inline constexpr char kTraceExportMethod[] =
    "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
inline constexpr char kLogsExportMethod[] =
    "/opentelemetry.proto.collector.logs.v1.LogsService/Export";

class OtlpGrpcServer {
 public:
  virtual ~OtlpGrpcServer() = default;
  // `traces` / `logs` may be null; they outlive the server. Errors: UNAVAILABLE when the port
  // cannot be bound.
  static StatusOr<std::unique_ptr<OtlpGrpcServer>> Start(
      const OtlpGrpcConfig& config, TracesConsumer* traces, LogsConsumer* logs,
      std::shared_ptr<ReceiverCounters> counters);
  virtual uint16_t port() const = 0;
  // Stops taking calls, waits up to 5 s for calls in flight, then cancels them. Idempotent.
  virtual void Stop() = 0;
};

}  // namespace tracewire::collector::internal
