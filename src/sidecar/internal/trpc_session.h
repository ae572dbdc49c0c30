// TrpcSession: a downstream connection speaking tRPC. Each unary request frame gets a span
// (SERVER on inbound and edge listeners, CLIENT on outbound ones) whose context replaces the
// trace entries of trans_info; the frame goes to a pooled upstream connection under a new
// request id, and the response comes back under the downstream id, in completion order.
// A frame the sidecar cannot decode, or a streaming frame, turns the connection into a plain
// relay from that byte on (counted in malformed_frames / relayed_connections).
#pragma once

#include <asio/ip/tcp.hpp>
#include <string>

#include "sidecar/internal/listener_context.h"

namespace tracewire::sidecar::internal {

// Starts serving `socket`; `initial` holds the bytes already read while sniffing.
void StartTrpcSession(ListenerContext& ctx, asio::ip::tcp::socket socket, std::string initial,
                      ActiveConnection active);

}  // namespace tracewire::sidecar::internal
