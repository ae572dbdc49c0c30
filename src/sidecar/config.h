// SidecarConfig: what `tracewire sidecar` runs, from YAML (every key optional; the defaults run
// one inbound listener in front of a service on 127.0.0.1:8000). Layout and defaults:
//
//   service_name: tracewire-sidecar      # resource service.name of the sidecar's spans
//   listeners:                           # a mapping: listener name -> settings
//     inbound:
//       kind: inbound                    # inbound (SERVER spans), outbound (CLIENT), edge
//       address: 127.0.0.1:15006
//       cluster: local                   # where requests no route matches go (and relays);
//                                        # may be omitted when `routes` is not empty
//       protocol: auto                   # auto (sniff), trpc, http or tcp
//       routes:                          # optional, first match wins; every given field must match
//         - match: {path_prefix: /api/, host: example.com}   # HTTP: path prefix; Host exact,
//           cluster: api                                     #   port and case ignored
//         - match: {func_prefix: /trpc.test.echo., callee: trpc.test.echo.Echo}  # tRPC
//           cluster: echo
//   clusters:
//     local:
//       endpoints: [127.0.0.1:8000]      # host:port, tried round-robin
//       protocol: trpc                   # optional: trpc or http; absent = the downstream's.
//                                        #   An HTTP request routed to a trpc cluster is
//                                        #   transcoded to a unary tRPC call (see transcode.h)
//       connect_timeout: 1s
//       request_timeout: 5s              # per request; a shorter tRPC timeout field wins
//       max_connections: 4               # per event-loop thread: tRPC connections shared by all
//                                        #   calls
//       max_idle_connections: 128        # per event-loop thread: HTTP keep-alive connections
//                                        #   kept idle for the next request (0..65536; 0 keeps
//                                        #   none). An HTTP connection carries one request at
//                                        #   a time: keep at least the downstream connections'
//                                        #   count, or responses close connections that the
//                                        #   next requests then open again
//   threads: 1                           # event-loop threads (1..64); each accepts on every
//                                        #   listener (SO_REUSEPORT) with its own upstream pools
//   exporter:
//     endpoint: http://127.0.0.1:4318/v1/traces   # OTLP/HTTP protobuf; "" exports nothing
//     timeout: 2s                        # one export, retries included
//     max_queue_size: 2048               # spans queued; past it spans are dropped and counted
//     schedule_delay: 1s
//   sampling:
//     ratio: 1.0                         # root spans kept (trace-id ratio)
//     rate_limit: 0                      # at most this many root traces per second (token
//                                        #   bucket, burst 1 s worth); 0 = no limit
//     parent_based: true                 # follow the caller's sampled flag
//     force: []                          # header / trans_info keys (lower case) that, with the
//                                        #   value 1 or true, sample the request whatever the
//                                        #   parent, ratio and rate say
//   propagation:
//     inject: [tracecontext]             # also: grpc-trace-bin, b3, b3multi
//   admin:
//     address: 127.0.0.1:15000           # /metrics and /ready; "" disables
//   limits:
//     max_frame_size: 10485760           # bytes, tRPC
//     max_connections: 10000             # downstream, per listener
//
// An unknown key or a bad value is INVALID_ARGUMENT naming its path ("clusters.local.endpoints[0]:
// not host:port"). A listener or route naming an unknown cluster fails likewise
// ("listeners.out.routes[1].cluster: no cluster named 'x'"), as does a route with an empty match
// or one mixing HTTP and tRPC keys.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace tracewire::sidecar {

enum class ListenerKind { kInbound, kOutbound, kEdge };
enum class ListenerProtocol { kAuto, kTrpc, kHttp, kTcp };

struct Endpoint {
  std::string host;
  uint16_t port = 0;
};

// One route: every non-empty field must match. HTTP routes (path_prefix, host) never match a
// tRPC request and tRPC routes (func_prefix, callee) never match an HTTP one.
struct RouteConfig {
  std::string path_prefix;  // HTTP: the path (query excluded) starts with it
  std::string host;         // HTTP: the Host header without its port, case-insensitive
  std::string func_prefix;  // tRPC: the func ("/pkg.Service/Method") starts with it
  std::string callee;       // tRPC: the callee service, exact
  std::string cluster;
  bool is_http() const { return !path_prefix.empty() || !host.empty(); }
};

struct ListenerConfig {
  std::string name;
  ListenerKind kind = ListenerKind::kInbound;
  Endpoint address{"127.0.0.1", 15006};
  std::string cluster = "local";  // "" : none (then routes decide; unmatched requests fail)
  ListenerProtocol protocol = ListenerProtocol::kAuto;
  std::vector<RouteConfig> routes;
};

// What a cluster's endpoints speak; kSame: whatever the downstream speaks.
enum class ClusterProtocol { kSame, kTrpc, kHttp };

struct ClusterConfig {
  std::string name;
  std::vector<Endpoint> endpoints;
  ClusterProtocol protocol = ClusterProtocol::kSame;
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds request_timeout{5000};
  size_t max_connections = 4;         // tRPC connections per loop thread
  size_t max_idle_connections = 128;  // HTTP idle keep-alive connections per loop thread
};

struct ExporterConfig {
  std::string endpoint = "http://127.0.0.1:4318/v1/traces";  // "" : spans are not exported
  std::chrono::milliseconds timeout{2000};
  size_t max_queue_size = 2048;  // spans
  std::chrono::milliseconds schedule_delay{1000};
};

struct SamplingConfig {
  double ratio = 1.0;
  double rate_limit = 0;  // root traces per second; 0 = off
  bool parent_based = true;
  std::vector<std::string> force;  // lower-case header / trans_info keys
};

// Which trace formats are written into forwarded requests (W3C is always written).
struct InjectConfig {
  bool grpc_trace_bin = false;
  bool b3_single = false;
  bool b3_multi = false;
};

struct SidecarConfig {
  std::string service_name = "tracewire-sidecar";
  std::vector<ListenerConfig> listeners;
  std::vector<ClusterConfig> clusters;
  ExporterConfig exporter;
  SamplingConfig sampling;
  InjectConfig inject;
  std::string admin_address = "127.0.0.1:15000";     // "" : no admin listener
  size_t max_frame_size = size_t{10} * 1024 * 1024;  // bytes
  size_t max_connections = 10000;                    // per listener
  size_t threads = 1;                                // event-loop threads

  // The cluster named `name`, or nullptr.
  const ClusterConfig* FindCluster(std::string_view name) const;
};

// The defaults above: one inbound listener 127.0.0.1:15006 -> cluster "local" 127.0.0.1:8000.
SidecarConfig DefaultSidecarConfig();

// Parses YAML text. Listeners given in the text replace the default one; likewise clusters.
StatusOr<SidecarConfig> ParseSidecarConfig(std::string_view yaml_text);

// "host:port" -> *out; INVALID_ARGUMENT (without a path) otherwise. Host must be non-empty.
// (Status + out-parameter: clang-tidy's analyzer misreads StatusOr::status() here.)
Status ParseEndpoint(std::string_view text, Endpoint* out);

}  // namespace tracewire::sidecar
