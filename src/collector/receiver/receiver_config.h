// The configs of the "otlp" and "zipkin" receivers, shaped like the OpenTelemetry Collector's
// otlpreceiver and zipkinreceiver (same keys, same defaults), and their parsers.
//
//   receivers:
//     otlp:
//       protocols:
//         grpc:                      # present (even empty) = started
//           endpoint: localhost:4317
//           max_recv_msg_size_mib: 4
//           max_concurrent_streams: 0          # 0 = gRPC's default
//           auth: {bearer_token: "..."}
//         http:
//           endpoint: localhost:4318
//           max_request_body_size: 20971520    # bytes, after decompression
//           traces_url_path: /v1/traces
//           logs_url_path: /v1/logs
//           cors: {allowed_origins: [...], allowed_headers: [...], max_age: 7200}
//           auth: {bearer_token: "..."}
//     zipkin:
//       endpoint: localhost:9411
//       max_request_body_size: 20971520
//       parse_string_tags: false
//       auth: {bearer_token: "..."}
//
// No protocols section = both protocols with their defaults. "localhost" binds 127.0.0.1; an
// empty host (":4318") binds every interface. Unknown keys are INVALID_ARGUMENT naming the path.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "collector/factory.h"
#include "collector/receiver/http_ingest.h"

namespace tracewire::collector {

inline constexpr size_t kDefaultMaxRequestBodyBytes = size_t{20} << 20;

// A listen address: an IP literal (localhost already mapped to 127.0.0.1) and a port.
struct ListenAddress {
  std::string host;
  uint16_t port = 0;
  std::string ToString() const;
};

// "host:port" → *out (unchanged on error). Errors (INVALID_ARGUMENT) name `path`.
Status ParseListenAddress(std::string_view text, std::string_view path, ListenAddress* out);

struct OtlpGrpcConfig {
  ListenAddress endpoint{"127.0.0.1", 4317};
  size_t max_recv_msg_bytes = size_t{4} << 20;
  uint32_t max_concurrent_streams = 0;
  std::string bearer_token;  // empty: no auth
};

struct OtlpHttpConfig {
  ListenAddress endpoint{"127.0.0.1", 4318};
  size_t max_request_body_bytes = kDefaultMaxRequestBodyBytes;
  std::string traces_url_path = "/v1/traces";
  std::string logs_url_path = "/v1/logs";
  internal::CorsConfig cors;
  std::string bearer_token;
};

struct OtlpReceiverConfig : ComponentConfig {
  std::optional<OtlpGrpcConfig> grpc;  // nullopt: not started
  std::optional<OtlpHttpConfig> http;
};

struct ZipkinReceiverConfig : ComponentConfig {
  ListenAddress endpoint{"127.0.0.1", 9411};
  size_t max_request_body_bytes = kDefaultMaxRequestBodyBytes;
  bool parse_string_tags = false;  // "42" → int, "true" → bool, "1.5" → double
  std::string bearer_token;
};

StatusOr<OtlpReceiverConfig> ParseOtlpReceiverConfig(const YAML::Node& node, std::string_view path);
StatusOr<ZipkinReceiverConfig> ParseZipkinReceiverConfig(const YAML::Node& node,
                                                         std::string_view path);

}  // namespace tracewire::collector
