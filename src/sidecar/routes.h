// Listener routes (config.h `routes:`): parsing a listener's route list from YAML, and the
// first-match lookups the sessions do per request. HOT PATH: the Match* functions compare
// bytes only (no allocation, no lock).
#pragma once

#include <yaml-cpp/yaml.h>

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sidecar/config.h"

namespace tracewire::sidecar {

// Parses the sequence `node` (undefined or null: no routes) found at `path`
// ("listeners.out.routes") into *out. Each item is {match: {...}, cluster: NAME}; errors name
// the item's key path ("listeners.out.routes[1].match.path_prefix: ..."). Cluster names are
// checked by the caller.
Status ParseRoutes(const YAML::Node& node, const std::string& path, std::vector<RouteConfig>* out);

// The Host header value without its port ("[::1]:80" -> "[::1]", "a.b:8080" -> "a.b").
std::string_view HostWithoutPort(std::string_view host);

// The index in `routes` of the first HTTP route matching `path` (query excluded) and `host`
// (the Host header, port ignored, case-insensitive), or -1.
int MatchHttpRoute(std::span<const RouteConfig> routes, std::string_view path,
                   std::string_view host);

// The index of the first tRPC route matching `func` and `callee`, or -1.
int MatchTrpcRoute(std::span<const RouteConfig> routes, std::string_view func,
                   std::string_view callee);

}  // namespace tracewire::sidecar
