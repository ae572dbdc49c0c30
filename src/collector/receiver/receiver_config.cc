#include "collector/receiver/receiver_config.h"

#include <arpa/inet.h>

#include <algorithm>

#include "collector/config_reader.h"

namespace tracewire::collector {
namespace {

Status Bad(std::string_view path, std::string_view what) {
  return InvalidArgumentError(std::string(path) + ": " + std::string(what));
}

bool IsIpLiteral(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

bool Present(const ConfigMap& map, std::string_view key) {
  std::vector<std::string> keys = map.Keys();
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

Status ReadEndpoint(ConfigMap& map, ListenAddress* out) {
  std::string text;
  TW_RETURN_IF_ERROR(map.ReadString("endpoint", &text));
  if (text.empty()) return OkStatus();
  return ParseListenAddress(text, map.PathOf("endpoint"), out);
}

Status ReadAuth(ConfigMap& map, std::string* token) {
  StatusOr<ConfigMap> auth = map.Sub("auth");
  if (!auth.ok()) return auth.status();
  TW_RETURN_IF_ERROR(auth->ReadString("bearer_token", token));
  if (Present(*auth, "bearer_token") && token->empty()) {
    return Bad(auth->PathOf("bearer_token"), "must not be empty");
  }
  return auth->CheckNoUnknownKeys();
}

Status ReadBodyLimit(ConfigMap& map, size_t* out) {
  uint64_t bytes = *out;
  TW_RETURN_IF_ERROR(map.ReadUint("max_request_body_size", 1, uint64_t{1} << 32, &bytes));
  *out = static_cast<size_t>(bytes);
  return OkStatus();
}

Status ReadUrlPath(ConfigMap& map, std::string_view key, std::string* out) {
  TW_RETURN_IF_ERROR(map.ReadString(key, out));
  if (out->empty() || out->front() != '/') return Bad(map.PathOf(key), "must start with '/'");
  if (out->find_first_of("?# \t") != std::string::npos) {
    return Bad(map.PathOf(key), "must be a plain path");
  }
  return OkStatus();
}

Status ParseGrpc(ConfigMap map, OtlpGrpcConfig& config) {
  TW_RETURN_IF_ERROR(ReadEndpoint(map, &config.endpoint));
  std::string transport = "tcp";
  TW_RETURN_IF_ERROR(map.ReadEnum("transport", {"tcp"}, &transport));
  uint64_t mib = config.max_recv_msg_bytes >> 20;
  TW_RETURN_IF_ERROR(map.ReadUint("max_recv_msg_size_mib", 1, 2047, &mib));
  config.max_recv_msg_bytes = static_cast<size_t>(mib) << 20;
  uint64_t streams = 0;
  TW_RETURN_IF_ERROR(map.ReadUint("max_concurrent_streams", 0, UINT32_MAX, &streams));
  config.max_concurrent_streams = static_cast<uint32_t>(streams);
  TW_RETURN_IF_ERROR(ReadAuth(map, &config.bearer_token));
  return map.CheckNoUnknownKeys();
}

Status ParseHttp(ConfigMap map, OtlpHttpConfig& config) {
  TW_RETURN_IF_ERROR(ReadEndpoint(map, &config.endpoint));
  TW_RETURN_IF_ERROR(ReadBodyLimit(map, &config.max_request_body_bytes));
  TW_RETURN_IF_ERROR(ReadUrlPath(map, "traces_url_path", &config.traces_url_path));
  TW_RETURN_IF_ERROR(ReadUrlPath(map, "logs_url_path", &config.logs_url_path));
  if (config.traces_url_path == config.logs_url_path) {
    return Bad(map.PathOf("logs_url_path"), "must differ from traces_url_path");
  }
  StatusOr<ConfigMap> cors = map.Sub("cors");
  if (!cors.ok()) return cors.status();
  TW_RETURN_IF_ERROR(cors->ReadStringList("allowed_origins", &config.cors.allowed_origins));
  for (const std::string& origin : config.cors.allowed_origins) {
    if (std::count(origin.begin(), origin.end(), '*') > 1) {
      return Bad(cors->PathOf("allowed_origins"), "at most one '*' per origin");
    }
  }
  TW_RETURN_IF_ERROR(cors->ReadStringList("allowed_headers", &config.cors.allowed_headers));
  uint64_t max_age = 0;
  TW_RETURN_IF_ERROR(cors->ReadUint("max_age", 0, uint64_t{86400} * 365, &max_age));
  config.cors.max_age_seconds = static_cast<int>(max_age);
  TW_RETURN_IF_ERROR(cors->CheckNoUnknownKeys());
  TW_RETURN_IF_ERROR(ReadAuth(map, &config.bearer_token));
  return map.CheckNoUnknownKeys();
}

}  // namespace

std::string ListenAddress::ToString() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Status ParseListenAddress(std::string_view text, std::string_view path, ListenAddress* out) {
  StatusOr<HostPort> parsed = ParseHostPort(text);
  if (!parsed.ok()) return Bad(path, parsed.status().message());
  ListenAddress address{parsed->host, parsed->port};
  if (address.host.empty()) address.host = "0.0.0.0";
  if (address.host == "localhost") address.host = "127.0.0.1";
  if (!IsIpLiteral(address.host)) {
    return Bad(path, "host must be an IP address or localhost: \"" + parsed->host + "\"");
  }
  *out = std::move(address);
  return OkStatus();
}

StatusOr<OtlpReceiverConfig> ParseOtlpReceiverConfig(const YAML::Node& node,
                                                     std::string_view path) {
  StatusOr<ConfigMap> root = ConfigMap::Open(node, std::string(path));
  if (!root.ok()) return root.status();
  OtlpReceiverConfig config;
  if (!Present(*root, "protocols")) {
    config.grpc.emplace();
    config.http.emplace();
    TW_RETURN_IF_ERROR(root->CheckNoUnknownKeys());
    return config;
  }
  StatusOr<ConfigMap> protocols = root->Sub("protocols");
  if (!protocols.ok()) return protocols.status();
  if (Present(*protocols, "grpc")) {
    StatusOr<ConfigMap> grpc = protocols->Sub("grpc");
    if (!grpc.ok()) return grpc.status();
    TW_RETURN_IF_ERROR(ParseGrpc(std::move(*grpc), config.grpc.emplace()));
  }
  if (Present(*protocols, "http")) {
    StatusOr<ConfigMap> http = protocols->Sub("http");
    if (!http.ok()) return http.status();
    TW_RETURN_IF_ERROR(ParseHttp(std::move(*http), config.http.emplace()));
  }
  TW_RETURN_IF_ERROR(protocols->CheckNoUnknownKeys());
  TW_RETURN_IF_ERROR(root->CheckNoUnknownKeys());
  if (!config.grpc && !config.http) {
    return Bad(protocols->path(), "must name at least one of grpc, http");
  }
  return config;
}

StatusOr<ZipkinReceiverConfig> ParseZipkinReceiverConfig(const YAML::Node& node,
                                                         std::string_view path) {
  StatusOr<ConfigMap> map = ConfigMap::Open(node, std::string(path));
  if (!map.ok()) return map.status();
  ZipkinReceiverConfig config;
  TW_RETURN_IF_ERROR(ReadEndpoint(*map, &config.endpoint));
  TW_RETURN_IF_ERROR(ReadBodyLimit(*map, &config.max_request_body_bytes));
  TW_RETURN_IF_ERROR(map->ReadBool("parse_string_tags", &config.parse_string_tags));
  TW_RETURN_IF_ERROR(ReadAuth(*map, &config.bearer_token));
  TW_RETURN_IF_ERROR(map->CheckNoUnknownKeys());
  return config;
}

}  // namespace tracewire::collector
