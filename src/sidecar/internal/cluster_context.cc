#include "sidecar/internal/listener_context.h"
#include "sidecar/internal/trpc_upstream.h"
#include "sidecar/routes.h"

namespace tracewire::sidecar::internal {

ClusterContext::ClusterContext() = default;
ClusterContext::~ClusterContext() = default;

void ClusterContext::ClosePools() {
  trpc_pool.reset();
  if (http_pool) http_pool->Clear();
}

ClusterContext* ListenerContext::RouteHttp(std::string_view path, std::string_view host) const {
  const int i = MatchHttpRoute(config.routes, path, host);
  return i >= 0 ? route_clusters[static_cast<size_t>(i)] : fallback;
}

ClusterContext* ListenerContext::RouteTrpc(std::string_view func, std::string_view callee) const {
  const int i = MatchTrpcRoute(config.routes, func, callee);
  return i >= 0 ? route_clusters[static_cast<size_t>(i)] : fallback;
}

}  // namespace tracewire::sidecar::internal
