// TrpcUpstream: one pooled connection to a cluster endpoint carrying many downstream
// connections' calls, each under a request id of its own (remapped back on the response).
// TrpcUpstreamPool: up to cluster.max_connections of them per cluster and loop thread (every
// listener routing there shares them), opened lazily, used round-robin, replaced after a
// failure. Loop-thread only.
//
// Failures answer every call they strand: connect failure or connect timeout 111, a
// connection lost or a malformed response 141, a call past its deadline 101 (the tRPC
// timeout field of the request, capped by cluster.request_timeout).
#pragma once

#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sidecar/internal/listener_context.h"
#include "sidecar/internal/socket_util.h"
#include "sidecar/internal/trpc_call.h"

namespace tracewire::sidecar::internal {

class TrpcUpstream : public std::enable_shared_from_this<TrpcUpstream> {
 public:
  // Connect errors and malformed responses count on `metrics` (the listener that opened it).
  TrpcUpstream(ClusterContext& cluster, ListenerMetrics* metrics, asio::ip::tcp::endpoint endpoint);
  void Connect();

  // A request id not in use on this connection (never 0).
  uint32_t NextId();
  // Sends `frame` (already carrying `id`); the call completes through its owner (a oneway
  // call right away, with FinishCall).
  void Send(uint32_t id, PendingCall call, std::string_view frame);

  bool failed() const { return state_ == State::kFailed; }
  const asio::ip::tcp::endpoint& endpoint() const { return endpoint_; }

 private:
  enum class State { kConnecting, kConnected, kFailed };

  void StartRead();
  void OnData();
  void HandleResponse(std::string_view frame);
  void Flush();
  void Broke();  // a write failed
  void ArmSweep();
  void Sweep();
  void Fail(int32_t ret, std::string_view msg);

  ClusterContext& cluster_;
  ListenerMetrics* metrics_;
  asio::ip::tcp::endpoint endpoint_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer connect_timer_;
  asio::steady_timer sweep_timer_;
  bool sweep_armed_ = false;
  State state_ = State::kConnecting;
  uint32_t next_id_ = 0;
  std::unordered_map<uint32_t, PendingCall> pending_;
  WriteQueue out_;
  std::string in_;  // response bytes not yet framed
  size_t in_begin_ = 0;
};

class TrpcUpstreamPool {
 public:
  explicit TrpcUpstreamPool(ClusterContext& cluster) : cluster_(cluster) {}
  ~TrpcUpstreamPool();
  // A live connection to use for the next call (opening one when below the limit; its
  // connect errors count on `metrics`).
  TrpcUpstream& Pick(ListenerMetrics* metrics);

 private:
  ClusterContext& cluster_;
  std::vector<std::shared_ptr<TrpcUpstream>> connections_;
  size_t next_ = 0;
};

}  // namespace tracewire::sidecar::internal
