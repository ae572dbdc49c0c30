// What the connections of one listener on one event-loop thread share, and the clusters they
// route to (each loop thread has its own). Owned by the Sidecar; lives as long as its event
// loop runs. Touched only on that loop's thread except the metrics (atomics).
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sidecar/config.h"
#include "sidecar/internal/http_deadlines.h"
#include "sidecar/internal/http_upstream.h"
#include "sidecar/metrics.h"
#include "sidecar/propagation.h"
#include "sidecar/telemetry.h"

namespace tracewire::sidecar::internal {

class TrpcUpstreamPool;

// One cluster as one event-loop thread sees it: its upstream pools are that thread's own.
struct ClusterContext {
  ClusterContext();
  ~ClusterContext();
  ClusterConfig config;
  std::vector<asio::ip::tcp::endpoint> endpoints;  // resolved, tried round-robin
  size_t next_endpoint = 0;
  asio::io_context* io = nullptr;
  size_t max_frame_size = 0;  // bytes
  std::unique_ptr<TrpcUpstreamPool> trpc_pool;
  std::unique_ptr<HttpUpstreamPool> http_pool;

  const asio::ip::tcp::endpoint& NextEndpoint() {
    const auto& ep = endpoints[next_endpoint % endpoints.size()];
    ++next_endpoint;
    return ep;
  }
  // Closes every pooled connection (loop thread, before the loop stops).
  void ClosePools();
};

// What every connection of one listener on one loop thread shares.
struct ListenerContext {
  ListenerConfig config;
  ClusterContext* fallback = nullptr;           // config.cluster; null when it has none
  std::vector<ClusterContext*> route_clusters;  // one per config.routes entry
  ListenerMetrics* metrics = nullptr;           // shared by the listener's threads (atomics)
  Telemetry* telemetry = nullptr;
  const Propagators* propagators = nullptr;
  const SidecarConfig* sidecar = nullptr;  // service_name (tRPC caller), sampling.force
  asio::io_context* io = nullptr;
  std::unique_ptr<HttpDeadlines> http_deadlines;  // of this listener's HTTP requests
  size_t max_frame_size = 0;                      // bytes
  size_t max_connections = 0;                     // open downstream connections
  bool reuse_port = false;    // SO_REUSEPORT: one acceptor per loop thread on one port
  std::string local_address;  // the listener's bound address (server.address)
  uint16_t local_port = 0;

  // HOT PATH: the first matching route's cluster, else the fallback (may be null).
  ClusterContext* RouteHttp(std::string_view path, std::string_view host) const;
  ClusterContext* RouteTrpc(std::string_view func, std::string_view callee) const;
  // Where relayed (untraced) connections go: the fallback, else the first route's cluster.
  ClusterContext* RelayCluster() const {
    if (fallback != nullptr) return fallback;
    return route_clusters.empty() ? nullptr : route_clusters.front();
  }
};

// Counts one open downstream connection for as long as it lives (moved along with the socket).
class ActiveConnection {
 public:
  ActiveConnection() = default;
  explicit ActiveConnection(ListenerMetrics* m) : m_(m) {
    m_->connections_active.fetch_add(1, std::memory_order_relaxed);
  }
  ActiveConnection(ActiveConnection&& o) noexcept : m_(std::exchange(o.m_, nullptr)) {}
  ActiveConnection& operator=(ActiveConnection&&) = delete;
  ~ActiveConnection() {
    if (m_ != nullptr) m_->connections_active.fetch_sub(1, std::memory_order_relaxed);
  }

 private:
  ListenerMetrics* m_ = nullptr;
};

// Microseconds since `start`.
inline uint64_t MicrosSince(std::chrono::steady_clock::time_point start) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count());
}

}  // namespace tracewire::sidecar::internal
