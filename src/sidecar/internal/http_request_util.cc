#include "sidecar/internal/http_request_util.h"

#include <array>
#include <cstdio>
#include <random>

#include "sidecar/internal/http_carrier.h"
#include "sidecar/internal/request_util.h"
#include "sidecar/internal/trpc_call.h"

namespace tracewire::sidecar::internal {
namespace {

constexpr std::array<std::string_view, 7> kHopByHop = {
    "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "transfer-encoding",
};

}  // namespace

trace::Span StartHttpSpan(const ListenerContext& ctx, std::string_view method,
                          std::string_view path, net::HttpHeaders& headers,
                          trace::Context* parent) {
  std::string name;
  name.reserve(method.size() + 1 + path.size());
  name.append(method).append(" ").append(path);
  const HttpHeadersCarrier carrier(headers);
  return StartListenerSpan(ctx, name, &carrier, parent);
}

void RemoveHopByHop(net::HttpHeaders& headers) {
  for (std::string_view name : kHopByHop) headers.Remove(name);
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const uint64_t hi = (rng() & ~0xf000ull) | 0x4000ull;
  const uint64_t lo = (rng() & ~(3ull << 62)) | (2ull << 62);
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xffff),
                static_cast<unsigned long long>(hi & 0xffff),
                static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffull));
  return buf;
}

void SetHttpRequestAttributes(trace::Span& span, const ListenerContext& ctx,
                              const net::HttpRequest& request, std::string_view path,
                              const ClusterContext* cluster, const Peer& peer) {
  if (!span.IsRecording()) return;
  if (cluster != nullptr) span.SetAttribute("tracewire.sidecar.cluster", cluster->config.name);
  span.SetAttribute("http.request.method", request.method);
  span.SetAttribute("url.path", path);
  if (auto host = request.headers.Get("host")) span.SetAttribute("http.request.header.host", *host);
  if (auto ua = request.headers.Get("user-agent")) span.SetAttribute("user_agent.original", *ua);
  if (auto id = request.headers.Get("x-request-id")) span.SetAttribute("http.request_id", *id);
  span.SetAttribute("http.request.body.size", request.body.size());
  span.SetAttribute("tracewire.sidecar.listener", ctx.config.name);
  span.SetAttribute("network.peer.address", peer.address);
  span.SetAttribute("network.peer.port", peer.port);
}

void SetServerAttributes(trace::Span& span, const ListenerContext& ctx,
                         const asio::ip::tcp::endpoint& upstream) {
  if (!span.IsRecording() || ctx.config.kind != ListenerKind::kOutbound) return;
  span.SetAttribute("server.address", upstream.address().to_string());
  span.SetAttribute("server.port", upstream.port());
}

void SetTranscodedCallAttributes(trace::Span& span, const ListenerContext& ctx,
                                 std::string_view path, std::string_view caller, size_t frame_size,
                                 const asio::ip::tcp::endpoint& upstream) {
  if (!span.IsRecording()) return;
  SetTrpcCallAttributes(span, path, caller, SplitFunc(path).service);
  span.SetAttribute("trpc.request_size", frame_size);
  SetServerAttributes(span, ctx, upstream);
}

void SetHttpResponseAttributes(trace::Span& span, int status, size_t body_size,
                               std::string_view sidecar_error) {
  if (!span.IsRecording()) return;
  span.SetAttribute("http.response.status_code", status);
  span.SetAttribute("http.response.body.size", body_size);
  if (!sidecar_error.empty()) span.SetAttribute("error.type", sidecar_error);
  if (status >= 500) span.SetStatus(trace::SpanStatusCode::kError, sidecar_error);
}

}  // namespace tracewire::sidecar::internal
