// TcpRelay: copies bytes both ways between a downstream socket and a fresh upstream connection
// to the listener's cluster, untouched. Used for connections that are neither tRPC nor HTTP and
// for connections that fell back after a frame the sidecar could not parse. A half-close is
// passed on; the relay ends when both directions have ended or either side fails.
#pragma once

#include <asio/ip/tcp.hpp>
#include <string>

#include "sidecar/internal/listener_context.h"

namespace tracewire::sidecar::internal {

// Starts relaying; `initial` (bytes already read from downstream) is sent upstream first.
// Counts the connection in metrics.relayed_connections. Keeps itself alive.
void StartTcpRelay(ListenerContext& ctx, asio::ip::tcp::socket downstream, std::string initial,
                   ActiveConnection active);

}  // namespace tracewire::sidecar::internal
