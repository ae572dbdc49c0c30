// The "otlp" exporter (keys as the OTel Collector's otlpexporter): OTLP/gRPC unary Export calls
// (TraceService, LogsService) through grpc::GenericStub with the request bytes we encode, gzip by
// default, headers as metadata, per-attempt timeout, and the sending queue with retries on the
// codes the OTLP spec calls retryable (RESOURCE_EXHAUSTED only with a RetryInfo delay, which is
// honoured). Only plaintext channels for now: tls.insecure: true or an http:// endpoint.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collector/exporter/exporter_helper.h"
#include "collector/factory.h"

namespace tracewire::collector {

struct OtlpGrpcExporterConfig : ComponentConfig {
  std::string target;                                        // host:port
  std::vector<std::pair<std::string, std::string>> headers;  // metadata; names lower-cased
  bool gzip = true;
  std::chrono::nanoseconds timeout = std::chrono::seconds(5);  // per attempt
  RetryConfig retry;
  QueueConfig queue;
  std::function<void(std::string_view)> log;  // null: standard error
};

StatusOr<std::unique_ptr<OtlpGrpcExporterConfig>> ParseOtlpGrpcExporterConfig(
    const YAML::Node& node, std::string_view path);

StatusOr<std::unique_ptr<Exporter>> NewOtlpGrpcExporter(std::string id,
                                                        const OtlpGrpcExporterConfig& config);

// The retry_delay of a google.rpc.RetryInfo among the details of a serialized google.rpc.Status
// (grpc-status-details-bin); nullopt when there is none or the bytes are malformed.
std::optional<std::chrono::milliseconds> RetryInfoDelay(std::string_view status_details);

}  // namespace tracewire::collector
