// Configuration of the OTLP/HTTP span exporter, built by hand or from the standard
// OTEL_EXPORTER_OTLP_* environment variables (OTel spec, "OpenTelemetry Protocol Exporter").
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/env.h"
#include "base/status.h"
#include "otlp/otlp_headers.h"

namespace tracewire::otlp {

using ::tracewire::GetEnvFn;
using ::tracewire::ProcessGetEnv;

enum class OtlpProtocol { kHttpProtobuf, kHttpJson };
enum class OtlpCompression { kNone, kGzip };

// Exponential backoff with jitter between attempts; a server's Retry-After replaces the
// computed delay. Every attempt and wait stays within OtlpHttpExporterOptions::timeout.
struct OtlpRetryPolicy {
  int max_attempts = 5;  // including the first; 1 disables retries
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{5000};
  double multiplier = 1.5;
};

struct OtlpHttpExporterOptions {
  static constexpr std::string_view kDefaultEndpoint = "http://localhost:4318/v1/traces";

  std::string endpoint{kDefaultEndpoint};  // full URL of the traces resource, used as is
  HeaderList headers;                      // sent on every request; values are secrets
  OtlpProtocol protocol = OtlpProtocol::kHttpProtobuf;
  OtlpCompression compression = OtlpCompression::kNone;
  std::chrono::milliseconds timeout{10000};  // whole Export call, retries included
  OtlpRetryPolicy retry;
  // Where diagnostics go (never given header values). Null: standard error.
  std::function<void(std::string_view)> log;
};

// Builds options from the environment; an empty variable counts as unset. Traces-specific
// variables win over the generic ones:
//   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (as is) / OTEL_EXPORTER_OTLP_ENDPOINT (+ "/v1/traces")
//   OTEL_EXPORTER_OTLP_[TRACES_]HEADERS, _PROTOCOL (http/protobuf, http/json), _COMPRESSION
//   (gzip, none), _TIMEOUT (ms).
// Errors: UNIMPLEMENTED for protocol "grpc"; INVALID_ARGUMENT naming the variable for any
// other bad value (header values are never quoted).
StatusOr<OtlpHttpExporterOptions> OtlpHttpExporterOptionsFromEnv(
    const GetEnvFn& getenv = ProcessGetEnv);

}  // namespace tracewire::otlp
