#include "sidecar/routes.h"

#include <algorithm>

#include "base/text.h"
#include "collector/config_reader.h"

namespace tracewire::sidecar {
namespace {

Status ParseRoute(const YAML::Node& item, const std::string& path, RouteConfig* out) {
  StatusOr<collector::ConfigMap> opened = collector::ConfigMap::Open(item, path);
  if (!opened.ok()) return opened.status();
  collector::ConfigMap& map = *opened;
  TW_RETURN_IF_ERROR(map.ReadString("cluster", &out->cluster));
  if (out->cluster.empty()) return InvalidArgumentError(map.PathOf("cluster") + ": required");
  if (!map.Has("match")) return InvalidArgumentError(map.PathOf("match") + ": required");
  StatusOr<collector::ConfigMap> match = map.Sub("match");
  if (!match.ok()) return match.status();
  TW_RETURN_IF_ERROR(match->ReadString("path_prefix", &out->path_prefix));
  TW_RETURN_IF_ERROR(match->ReadString("host", &out->host));
  TW_RETURN_IF_ERROR(match->ReadString("func_prefix", &out->func_prefix));
  TW_RETURN_IF_ERROR(match->ReadString("callee", &out->callee));
  TW_RETURN_IF_ERROR(match->CheckNoUnknownKeys());
  const bool http = out->is_http();
  const bool trpc = !out->func_prefix.empty() || !out->callee.empty();
  if (!http && !trpc) {
    return InvalidArgumentError(match->path() +
                                ": empty (path_prefix, host, func_prefix or callee)");
  }
  if (http && trpc) {
    return InvalidArgumentError(match->path() +
                                ": mixes HTTP keys (path_prefix, host) and tRPC keys "
                                "(func_prefix, callee)");
  }
  return map.CheckNoUnknownKeys();
}

}  // namespace

Status ParseRoutes(const YAML::Node& node, const std::string& path, std::vector<RouteConfig>* out) {
  out->clear();
  if (!node.IsDefined() || node.IsNull()) return OkStatus();
  if (!node.IsSequence()) return InvalidArgumentError(path + ": must be a list");
  for (size_t i = 0; i < node.size(); ++i) {
    RouteConfig route;
    TW_RETURN_IF_ERROR(ParseRoute(node[i], path + "[" + std::to_string(i) + "]", &route));
    out->push_back(std::move(route));
  }
  return OkStatus();
}

std::string_view HostWithoutPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') {  // IPv6 literal
    const size_t close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(0, close + 1);
  }
  const size_t colon = host.rfind(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

// HOT PATH
int MatchHttpRoute(std::span<const RouteConfig> routes, std::string_view path,
                   std::string_view host) {
  const std::string_view bare_host = HostWithoutPort(host);
  for (size_t i = 0; i < routes.size(); ++i) {
    const RouteConfig& r = routes[i];
    if (!r.is_http()) continue;
    if (!r.path_prefix.empty() && !path.starts_with(r.path_prefix)) continue;
    if (!r.host.empty() && !EqualsIgnoreCase(bare_host, r.host)) continue;
    return static_cast<int>(i);
  }
  return -1;
}

// HOT PATH
int MatchTrpcRoute(std::span<const RouteConfig> routes, std::string_view func,
                   std::string_view callee) {
  for (size_t i = 0; i < routes.size(); ++i) {
    const RouteConfig& r = routes[i];
    if (r.is_http()) continue;
    if (!r.func_prefix.empty() && !func.starts_with(r.func_prefix)) continue;
    if (!r.callee.empty() && callee != r.callee) continue;
    return static_cast<int>(i);
  }
  return -1;
}

}  // namespace tracewire::sidecar
