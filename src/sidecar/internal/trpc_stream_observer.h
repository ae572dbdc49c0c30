// Traces tRPC streams on a relayed connection: one span per stream, from the client's INIT
// frame to the server's CLOSE (or a RESET from either side, or the connection's end), parented
// on the INIT's trans_info. The client's INIT goes on with the span's context in its trans_info
// (the trace keys replaced, as in unary calls); every other frame, and every other byte of the
// INIT's meta, is relayed untouched, each frame once it is whole. SERVER spans on inbound and
// edge listeners, CLIENT on outbound. Attributes: the tRPC ones of unary calls (rpc.*,
// trpc.caller_service, trpc.callee_service, trpc.status_*), trpc.stream=true,
// trpc.stream.sent_messages / received_messages (DATA frames client -> server / server ->
// client). Unary frames on such a connection are relayed untraced. Bytes that stop parsing end
// the observation (the relay goes on, byte for byte); at most 1024 streams are open at once per
// connection (later ones are relayed untraced).
#pragma once

#include <memory>

#include "sidecar/internal/listener_context.h"
#include "sidecar/internal/tcp_relay.h"

namespace tracewire::sidecar::internal {

// `peer_address` / `peer_port`: the downstream client.
std::unique_ptr<RelayObserver> MakeTrpcStreamObserver(ListenerContext& ctx,
                                                      std::string peer_address, uint16_t peer_port);

}  // namespace tracewire::sidecar::internal
