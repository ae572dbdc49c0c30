// What the HTTP session does to a request and its span that needs none of the session's
// state: the span's start and attributes, hop-by-hop fields, x-request-id.
#pragma once

#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/http_message.h"
#include "sidecar/internal/listener_context.h"
#include "trace/context.h"
#include "trace/sdk/span.h"

namespace tracewire::sidecar::internal {

// The span of an HTTP request, named "METHOD path": its parent extracted from `headers` into
// `parent`, sampled by force when a sampling.force key says so.
trace::Span StartHttpSpan(const ListenerContext& ctx, std::string_view method,
                          std::string_view path, net::HttpHeaders& headers, trace::Context* parent);

// Removes the hop-by-hop fields (RFC 9110 §7.6.1), which are never forwarded.
void RemoveHopByHop(net::HttpHeaders& headers);

// A random UUID (version 4), for x-request-id.
std::string NewRequestId();

// Where a request comes from, for network.peer.*.
struct Peer {
  std::string address;
  uint16_t port = 0;
};

// The request's attributes on a recording `span`: method, path, host, user agent, request id,
// body size, listener, peer, and the cluster when there is one.
void SetHttpRequestAttributes(trace::Span& span, const ListenerContext& ctx,
                              const net::HttpRequest& request, std::string_view path,
                              const ClusterContext* cluster, const Peer& peer);

// server.address and server.port of `upstream` on a recording `span`, for outbound listeners
// only (an inbound listener's upstream is the local service).
void SetServerAttributes(trace::Span& span, const ListenerContext& ctx,
                         const asio::ip::tcp::endpoint& upstream);

// The tRPC attributes of a request transcoded to `frame_size` bytes of tRPC call, on a
// recording `span`.
void SetTranscodedCallAttributes(trace::Span& span, const ListenerContext& ctx,
                                 std::string_view path, std::string_view caller, size_t frame_size,
                                 const asio::ip::tcp::endpoint& upstream);

// The answer's attributes on `span`, and ERROR for a 5xx; `sidecar_error` non-empty when the
// sidecar answered itself.
void SetHttpResponseAttributes(trace::Span& span, int status, size_t body_size,
                               std::string_view sidecar_error);

}  // namespace tracewire::sidecar::internal
