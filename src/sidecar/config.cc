#include "sidecar/config.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <utility>

#include "collector/config_reader.h"
#include "sidecar/routes.h"

namespace tracewire::sidecar {
namespace {

using collector::ConfigMap;

Status ReadMs(ConfigMap& map, std::string_view key, std::chrono::milliseconds* out) {
  std::chrono::nanoseconds ns = *out;
  TW_RETURN_IF_ERROR(map.ReadDuration(key, &ns));
  *out = std::chrono::duration_cast<std::chrono::milliseconds>(ns);
  return OkStatus();
}

Status ReadSize(ConfigMap& map, std::string_view key, uint64_t min, uint64_t max, size_t* out) {
  uint64_t value = *out;
  TW_RETURN_IF_ERROR(map.ReadUint(key, min, max, &value));
  *out = static_cast<size_t>(value);
  return OkStatus();
}

Status ReadEndpoint(ConfigMap& map, std::string_view key, Endpoint* out) {
  std::string text;
  if (!map.Has(key)) return OkStatus();
  TW_RETURN_IF_ERROR(map.ReadString(key, &text));
  Status status = ParseEndpoint(text, out);
  if (!status.ok()) return InvalidArgumentError(map.PathOf(key) + ": " + status.message());
  return OkStatus();
}

Status ParseListener(ConfigMap& map, const YAML::Node& node, ListenerConfig* out) {
  std::string kind;
  TW_RETURN_IF_ERROR(map.ReadEnum("kind", {"inbound", "outbound", "edge"}, &kind));
  if (kind == "outbound") out->kind = ListenerKind::kOutbound;
  if (kind == "edge") out->kind = ListenerKind::kEdge;
  TW_RETURN_IF_ERROR(ReadEndpoint(map, "address", &out->address));
  TW_RETURN_IF_ERROR(map.ReadString("cluster", &out->cluster));
  std::string protocol;
  TW_RETURN_IF_ERROR(map.ReadEnum("protocol", {"auto", "trpc", "http", "tcp"}, &protocol));
  if (protocol == "trpc") out->protocol = ListenerProtocol::kTrpc;
  if (protocol == "http") out->protocol = ListenerProtocol::kHttp;
  if (protocol == "tcp") out->protocol = ListenerProtocol::kTcp;
  if (map.Has("routes")) {
    TW_RETURN_IF_ERROR(ParseRoutes(node["routes"], map.PathOf("routes"), &out->routes));
  }
  // Routes without a fallback: requests no route matches fail.
  if (!map.Has("cluster") && !out->routes.empty()) out->cluster.clear();
  return map.CheckNoUnknownKeys();
}

Status ParseCluster(ConfigMap& map, ClusterConfig* out) {
  std::vector<std::string> endpoints;
  TW_RETURN_IF_ERROR(map.ReadStringList("endpoints", &endpoints));
  if (map.Has("endpoints")) out->endpoints.clear();
  for (size_t i = 0; i < endpoints.size(); ++i) {
    Endpoint ep;
    Status status = ParseEndpoint(endpoints[i], &ep);
    if (!status.ok()) {
      return InvalidArgumentError(map.PathOf("endpoints") + "[" + std::to_string(i) +
                                  "]: " + status.message());
    }
    out->endpoints.push_back(std::move(ep));
  }
  if (out->endpoints.empty()) return InvalidArgumentError(map.PathOf("endpoints") + ": empty");
  std::string protocol;
  TW_RETURN_IF_ERROR(map.ReadEnum("protocol", {"trpc", "http"}, &protocol));
  if (protocol == "trpc") out->protocol = ClusterProtocol::kTrpc;
  if (protocol == "http") out->protocol = ClusterProtocol::kHttp;
  TW_RETURN_IF_ERROR(ReadMs(map, "connect_timeout", &out->connect_timeout));
  TW_RETURN_IF_ERROR(ReadMs(map, "request_timeout", &out->request_timeout));
  TW_RETURN_IF_ERROR(ReadSize(map, "max_connections", 1, 1024, &out->max_connections));
  TW_RETURN_IF_ERROR(ReadSize(map, "max_idle_connections", 0, 65536, &out->max_idle_connections));
  return map.CheckNoUnknownKeys();
}

Status ParseInject(ConfigMap& map, InjectConfig* out) {
  std::vector<std::string> formats;
  TW_RETURN_IF_ERROR(map.ReadStringList("inject", &formats));
  for (size_t i = 0; i < formats.size(); ++i) {
    const std::string& f = formats[i];
    if (f == "tracecontext") continue;
    if (f == "grpc-trace-bin") {
      out->grpc_trace_bin = true;
    } else if (f == "b3") {
      out->b3_single = true;
    } else if (f == "b3multi") {
      out->b3_multi = true;
    } else {
      return InvalidArgumentError(map.PathOf("inject") + "[" + std::to_string(i) +
                                  "]: unknown format '" + f +
                                  "' (tracecontext, grpc-trace-bin, b3, b3multi)");
    }
  }
  return map.CheckNoUnknownKeys();
}

// Every cluster the listener names exists; a listener without a default cluster has routes.
Status CheckClusters(const SidecarConfig& config, ConfigMap& map, const ListenerConfig& listener) {
  if (listener.cluster.empty() && listener.routes.empty()) {
    return InvalidArgumentError(map.PathOf("cluster") + ": required when there are no routes");
  }
  if (!listener.cluster.empty() && config.FindCluster(listener.cluster) == nullptr) {
    return InvalidArgumentError(map.PathOf("cluster") + ": no cluster named '" + listener.cluster +
                                "'");
  }
  for (size_t i = 0; i < listener.routes.size(); ++i) {
    const std::string& name = listener.routes[i].cluster;
    if (config.FindCluster(name) == nullptr) {
      return InvalidArgumentError(map.PathOf("routes") + "[" + std::to_string(i) +
                                  "].cluster: no cluster named '" + name + "'");
    }
  }
  return OkStatus();
}

Status ParseSampling(ConfigMap& map, SamplingConfig* out) {
  TW_RETURN_IF_ERROR(map.ReadDouble("ratio", 0.0, 1.0, &out->ratio));
  TW_RETURN_IF_ERROR(map.ReadDouble("rate_limit", 0.0, 1e6, &out->rate_limit));
  TW_RETURN_IF_ERROR(map.ReadBool("parent_based", &out->parent_based));
  TW_RETURN_IF_ERROR(map.ReadStringList("force", &out->force));
  for (size_t i = 0; i < out->force.size(); ++i) {
    std::string& key = out->force[i];
    if (key.empty() || key.size() > 256) {
      return InvalidArgumentError(map.PathOf("force") + "[" + std::to_string(i) +
                                  "]: 1 to 256 characters");
    }
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return map.CheckNoUnknownKeys();
}

Status ParseRoot(const YAML::Node& root, SidecarConfig* config) {
  StatusOr<ConfigMap> opened = ConfigMap::Open(root, "");
  if (!opened.ok()) return opened.status();
  ConfigMap& map = *opened;
  TW_RETURN_IF_ERROR(map.ReadString("service_name", &config->service_name));
  TW_RETURN_IF_ERROR(ReadSize(map, "threads", 1, 64, &config->threads));

  if (map.Has("clusters")) {
    StatusOr<ConfigMap> clusters = map.Sub("clusters");
    if (!clusters.ok()) return clusters.status();
    config->clusters.clear();
    for (const std::string& name : clusters->Keys()) {
      StatusOr<ConfigMap> sub = clusters->Sub(name);
      if (!sub.ok()) return sub.status();
      ClusterConfig cluster;
      cluster.name = name;
      TW_RETURN_IF_ERROR(ParseCluster(*sub, &cluster));
      config->clusters.push_back(std::move(cluster));
    }
  }
  if (map.Has("listeners")) {
    StatusOr<ConfigMap> listeners = map.Sub("listeners");
    if (!listeners.ok()) return listeners.status();
    config->listeners.clear();
    for (const std::string& name : listeners->Keys()) {
      StatusOr<ConfigMap> sub = listeners->Sub(name);
      if (!sub.ok()) return sub.status();
      ListenerConfig listener;
      listener.name = name;
      const YAML::Node& listeners_node = root["listeners"];
      TW_RETURN_IF_ERROR(ParseListener(*sub, listeners_node[name], &listener));
      TW_RETURN_IF_ERROR(CheckClusters(*config, *sub, listener));
      config->listeners.push_back(std::move(listener));
    }
  }

  StatusOr<ConfigMap> exporter = map.Sub("exporter");
  if (!exporter.ok()) return exporter.status();
  ExporterConfig& ex = config->exporter;
  TW_RETURN_IF_ERROR(exporter->ReadString("endpoint", &ex.endpoint));
  TW_RETURN_IF_ERROR(ReadMs(*exporter, "timeout", &ex.timeout));
  TW_RETURN_IF_ERROR(ReadSize(*exporter, "max_queue_size", 1, 1u << 20, &ex.max_queue_size));
  TW_RETURN_IF_ERROR(ReadMs(*exporter, "schedule_delay", &ex.schedule_delay));
  TW_RETURN_IF_ERROR(exporter->CheckNoUnknownKeys());

  StatusOr<ConfigMap> sampling = map.Sub("sampling");
  if (!sampling.ok()) return sampling.status();
  TW_RETURN_IF_ERROR(ParseSampling(*sampling, &config->sampling));

  StatusOr<ConfigMap> propagation = map.Sub("propagation");
  if (!propagation.ok()) return propagation.status();
  TW_RETURN_IF_ERROR(ParseInject(*propagation, &config->inject));

  StatusOr<ConfigMap> admin = map.Sub("admin");
  if (!admin.ok()) return admin.status();
  TW_RETURN_IF_ERROR(admin->ReadString("address", &config->admin_address));
  if (!config->admin_address.empty()) {
    Endpoint ep;
    Status status = ParseEndpoint(config->admin_address, &ep);
    if (!status.ok())
      return InvalidArgumentError(admin->PathOf("address") + ": " + status.message());
  }
  TW_RETURN_IF_ERROR(admin->CheckNoUnknownKeys());

  StatusOr<ConfigMap> limits = map.Sub("limits");
  if (!limits.ok()) return limits.status();
  TW_RETURN_IF_ERROR(
      ReadSize(*limits, "max_frame_size", 64, uint64_t{1} << 30, &config->max_frame_size));
  TW_RETURN_IF_ERROR(ReadSize(*limits, "max_connections", 1, 1u << 20, &config->max_connections));
  TW_RETURN_IF_ERROR(limits->CheckNoUnknownKeys());
  return map.CheckNoUnknownKeys();
}

}  // namespace

const ClusterConfig* SidecarConfig::FindCluster(std::string_view name) const {
  for (const ClusterConfig& c : clusters) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

SidecarConfig DefaultSidecarConfig() {
  SidecarConfig config;
  ListenerConfig inbound;
  inbound.name = "inbound";
  config.listeners.push_back(inbound);
  ClusterConfig local;
  local.name = "local";
  local.endpoints.push_back({"127.0.0.1", 8000});
  config.clusters.push_back(local);
  return config;
}

Status ParseEndpoint(std::string_view text, Endpoint* out) {
  StatusOr<collector::HostPort> hp = collector::ParseHostPort(text);
  if (!hp.ok() || hp->host.empty()) {
    return InvalidArgumentError("not host:port: '" + std::string(text) + "'");
  }
  *out = Endpoint{hp->host, hp->port};
  return OkStatus();
}

StatusOr<SidecarConfig> ParseSidecarConfig(std::string_view yaml_text) {
  StatusOr<YAML::Node> root = collector::LoadYaml(yaml_text);
  if (!root.ok()) return root.status();
  SidecarConfig config = DefaultSidecarConfig();
  // yaml-cpp may throw on odd documents even through const accessors: the boundary is here.
  try {
    TW_RETURN_IF_ERROR(ParseRoot(*root, &config));
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("<config>: ") + e.what());
  }
  return config;
}

}  // namespace tracewire::sidecar
