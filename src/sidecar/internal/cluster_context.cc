#include <sys/socket.h>

#include <cerrno>

#include "sidecar/internal/listener_context.h"
#include "sidecar/internal/trpc_upstream.h"
#include "sidecar/routes.h"

namespace tracewire::sidecar::internal {

// HOT PATH: one non-blocking peek per reuse tells a connection the upstream closed while idle.
bool HttpUpstreamPool::Take(asio::ip::tcp::socket* out) {
  while (!idle_.empty()) {
    asio::ip::tcp::socket socket = std::move(idle_.back());
    idle_.pop_back();
    char byte = 0;
    const ssize_t n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      *out = std::move(socket);
      return true;
    }
    asio::error_code ignored;  // closed, failed, or bytes nobody asked for: not reusable
    socket.close(ignored);
  }
  return false;
}

void HttpUpstreamPool::Put(asio::ip::tcp::socket socket) {
  if (idle_.size() >= max_idle_) {
    asio::error_code ignored;
    socket.close(ignored);
    return;
  }
  idle_.push_back(std::move(socket));
}

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
