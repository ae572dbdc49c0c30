// The "otlphttp" exporter (keys as the OTel Collector's otlphttpexporter): POSTs
// ExportTraceServiceRequest / ExportLogsServiceRequest to <endpoint>/v1/traces and /v1/logs (or
// traces_endpoint / logs_endpoint as given), http/protobuf or http/json, gzip by default, through
// the sending queue with retries on 429, 502, 503, 504, timeouts and connection failures,
// honouring Retry-After. Plain http only. Header values are secrets: never logged.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "collector/exporter/exporter_helper.h"
#include "collector/factory.h"

namespace tracewire::collector {

struct OtlpHttpExporterConfig : ComponentConfig {
  std::string traces_url;  // full URLs; empty when that signal has no endpoint
  std::string logs_url;
  std::vector<std::pair<std::string, std::string>> headers;
  bool gzip = true;
  bool json = false;                                            // encoding: json (else proto)
  std::chrono::nanoseconds timeout = std::chrono::seconds(30);  // per attempt
  RetryConfig retry;
  QueueConfig queue;
  // Failure lines (never header values); null: standard error.
  std::function<void(std::string_view)> log;
};

StatusOr<std::unique_ptr<OtlpHttpExporterConfig>> ParseOtlpHttpExporterConfig(
    const YAML::Node& node, std::string_view path);

// Errors: INVALID_ARGUMENT for an unusable URL.
StatusOr<std::unique_ptr<Exporter>> NewOtlpHttpExporter(std::string id,
                                                        const OtlpHttpExporterConfig& config);

// Header names and values must be writable as HTTP fields / gRPC metadata: INVALID_ARGUMENT
// naming the key (never quoting the value) otherwise.
Status CheckHeaders(const std::vector<std::pair<std::string, std::string>>& headers,
                    const std::string& path);

}  // namespace tracewire::collector
