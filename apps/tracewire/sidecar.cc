#include "apps/tracewire/sidecar.h"

#include <pthread.h>
#include <signal.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "sidecar/sidecar.h"

namespace tracewire::apps {
namespace {

const char* KindName(sidecar::ListenerKind kind) {
  switch (kind) {
    case sidecar::ListenerKind::kInbound: return "inbound";
    case sidecar::ListenerKind::kOutbound: return "outbound";
    case sidecar::ListenerKind::kEdge: return "edge";
  }
  return "inbound";
}

void PrintRoute(const sidecar::RouteConfig& r, std::ostream& out) {
  out << "{match: {";
  const char* sep = "";
  for (const auto& [key, value] :
       {std::pair<const char*, const std::string&>{"path_prefix", r.path_prefix},
        {"host", r.host},
        {"func_prefix", r.func_prefix},
        {"callee", r.callee}}) {
    if (value.empty()) continue;
    out << sep << key << ": \"" << value << "\"";
    sep = ", ";
  }
  out << "}, cluster: " << r.cluster << "}";
}

// ", protocol: trpc" / ", protocol: http"; "" when the cluster speaks the downstream's.
const char* ProtocolField(sidecar::ClusterProtocol protocol) {
  switch (protocol) {
    case sidecar::ClusterProtocol::kTrpc: return ", protocol: trpc";
    case sidecar::ClusterProtocol::kHttp: return ", protocol: http";
    case sidecar::ClusterProtocol::kSame: break;
  }
  return "";
}

void PrintConfig(const sidecar::SidecarConfig& config, std::ostream& out) {
  out << "service_name: " << config.service_name << "\nthreads: " << config.threads
      << "\nlisteners:\n";
  for (const auto& l : config.listeners) {
    out << "  " << l.name << ": {kind: " << KindName(l.kind) << ", address: \"" << l.address.host
        << ":" << l.address.port << "\", cluster: " << (l.cluster.empty() ? "~" : l.cluster);
    if (!l.routes.empty()) {
      out << ", routes: [";
      for (size_t i = 0; i < l.routes.size(); ++i) {
        if (i > 0) out << ", ";
        PrintRoute(l.routes[i], out);
      }
      out << "]";
    }
    out << "}\n";
  }
  out << "clusters:\n";
  for (const auto& c : config.clusters) {
    out << "  " << c.name << ": {endpoints: [";
    for (size_t i = 0; i < c.endpoints.size(); ++i) {
      out << (i ? ", " : "") << "\"" << c.endpoints[i].host << ":" << c.endpoints[i].port << "\"";
    }
    out << "]" << ProtocolField(c.protocol) << ", connect_timeout: " << c.connect_timeout.count()
        << "ms, request_timeout: " << c.request_timeout.count()
        << "ms, max_connections: " << c.max_connections
        << ", max_idle_connections: " << c.max_idle_connections << "}\n";
  }
  out << "exporter: {endpoint: \"" << config.exporter.endpoint << "\"}\n"
      << "sampling: {ratio: " << config.sampling.ratio
      << ", rate_limit: " << config.sampling.rate_limit
      << ", parent_based: " << (config.sampling.parent_based ? "true" : "false") << ", force: [";
  for (size_t i = 0; i < config.sampling.force.size(); ++i) {
    out << (i ? ", " : "") << config.sampling.force[i];
  }
  out << "]}\n"
      << "admin: {address: \"" << config.admin_address << "\"}\n";
}

}  // namespace

int RunSidecar(const SidecarFlags& flags, std::ostream& out, std::ostream& err) {
  std::string text;
  if (!flags.config_file.empty()) {
    std::ifstream in(flags.config_file);
    if (!in) {
      err << "tracewire sidecar: --config: cannot read " << flags.config_file << "\n";
      return 2;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
  }
  auto config = sidecar::ParseSidecarConfig(text);
  if (!config.ok()) {
    err << "tracewire sidecar: " << config.status().message() << "\n";
    return 2;
  }
  if (flags.print_config) {
    PrintConfig(*config, out);
    return 0;
  }
  // Block the stop signals in every thread the sidecar starts; this thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const sidecar::SidecarConfig effective = *config;
  auto running = sidecar::Sidecar::Start(*std::move(config));
  if (!running.ok()) {
    err << "tracewire sidecar: " << running.status().message() << "\n";
    return 2;
  }
  for (const auto& l : effective.listeners) {
    out << "tracewire sidecar: listeners." << l.name << " (" << KindName(l.kind)
        << ") listening on " << l.address.host << ":" << (*running)->listener_port(l.name) << "\n";
  }
  if ((*running)->admin_port() != 0) {
    out << "tracewire sidecar: admin listening on "
        << effective.admin_address.substr(0, effective.admin_address.rfind(':')) << ":"
        << (*running)->admin_port() << "\n";
  }
  out.flush();
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  out << "tracewire sidecar: " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
      << ": stopping\n";
  (*running)->Stop();
  return 0;
}

}  // namespace tracewire::apps
