// What every connection of one listener shares. Owned by the Sidecar; lives as long as its
// event loop runs. Touched only on that loop's thread except the metrics (atomics).
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sidecar/config.h"
#include "sidecar/metrics.h"
#include "sidecar/propagation.h"
#include "sidecar/telemetry.h"

namespace tracewire::sidecar::internal {

class TrpcUpstreamPool;

struct ListenerContext {
  ListenerConfig config;
  ClusterConfig cluster;
  std::vector<asio::ip::tcp::endpoint> upstream;  // the cluster's endpoints, resolved
  size_t next_endpoint = 0;                       // round-robin for relays
  ListenerMetrics* metrics = nullptr;
  Telemetry* telemetry = nullptr;
  const Propagators* propagators = nullptr;
  asio::io_context* io = nullptr;
  std::unique_ptr<TrpcUpstreamPool> trpc_pool;
  size_t max_frame_size = 0;   // bytes
  size_t max_connections = 0;  // open downstream connections
  std::string local_address;   // the listener's bound address (server.address)
  uint16_t local_port = 0;

  const asio::ip::tcp::endpoint& NextEndpoint() {
    const auto& ep = upstream[next_endpoint % upstream.size()];
    ++next_endpoint;
    return ep;
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
