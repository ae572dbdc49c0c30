// HttpSession: a downstream connection speaking HTTP/1.1. Requests are parsed one at a time
// (pipelined ones wait in the buffer, so responses keep their order), each gets a span (SERVER
// on inbound and edge listeners, CLIENT on outbound ones) whose context replaces the trace
// headers of the forwarded request, and goes to the cluster its route names (path prefix,
// host; else the listener's cluster; none: 404) over a keep-alive connection from that
// cluster's idle pool, shared by all downstream connections of the loop thread. Bodies are
// forwarded with Content-Length (a chunked body is de-chunked). Edge listeners add
// x-request-id when the request has none. A request routed to a `protocol: trpc` cluster is
// transcoded to a unary tRPC call (transcode.h) on the cluster's tRPC pool; its span carries
// both the http.* and the rpc.* / trpc.* attributes.
// Upstream failures: 503 when it cannot be reached, 502 when it breaks off or answers
// malformed bytes, 504 past cluster.request_timeout. A request that does not parse (or is over
// the limits) turns the connection into a plain relay from its first byte on.
#pragma once

#include <asio/ip/tcp.hpp>
#include <string>

#include "sidecar/internal/listener_context.h"

namespace tracewire::sidecar::internal {

// Starts serving `socket`; `initial` holds the bytes already read while sniffing.
void StartHttpSession(ListenerContext& ctx, asio::ip::tcp::socket socket, std::string initial,
                      ActiveConnection active);

}  // namespace tracewire::sidecar::internal
