// TcpRelay: copies bytes both ways between a downstream socket and a fresh upstream connection
// to the listener's cluster, untouched. Used for connections that are neither tRPC nor HTTP and
// for connections that fell back after a frame the sidecar could not parse. A half-close is
// passed on; the relay ends when both directions have ended or either side fails. A
// RelayObserver (the tRPC stream tracer) may watch the bytes and decide what is written on.
#pragma once

#include <asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "sidecar/internal/listener_context.h"

namespace tracewire::sidecar::internal {

// Watches what a relay copies. Loop-thread only.
class RelayObserver {
 public:
  virtual ~RelayObserver() = default;
  // `bytes` read from downstream (`upstream_bound`) or from upstream. Returns what the relay
  // writes on: `bytes` itself, or bytes the observer owns, valid until its next call for that
  // direction (it may hold back an incomplete frame and return it later, whole, or rewritten).
  virtual std::string_view OnBytes(bool upstream_bound, std::string_view bytes) = 0;
  // That direction reached its end; returns what the observer still holds back, written on
  // before the half-close is passed on.
  virtual std::string_view OnEof(bool /*upstream_bound*/) { return {}; }
  // The relay ended (once).
  virtual void OnEnd() = 0;
};

// Starts relaying; `initial` (bytes already read from downstream) is sent upstream first.
// Counts the connection in metrics.relayed_connections. Keeps itself alive.
void StartTcpRelay(ListenerContext& ctx, asio::ip::tcp::socket downstream, std::string initial,
                   ActiveConnection active, std::unique_ptr<RelayObserver> observer = nullptr);

}  // namespace tracewire::sidecar::internal
