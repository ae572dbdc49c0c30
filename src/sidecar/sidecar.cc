#include "sidecar/sidecar.h"

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "net/http_server.h"
#include "sidecar/internal/listener.h"
#include "sidecar/internal/trpc_upstream.h"
#include "sidecar/metrics.h"
#include "sidecar/propagation.h"
#include "sidecar/telemetry.h"

namespace tracewire::sidecar {
namespace {

const char* KindName(ListenerKind kind) {
  switch (kind) {
    case ListenerKind::kInbound: return "inbound";
    case ListenerKind::kOutbound: return "outbound";
    case ListenerKind::kEdge: return "edge";
  }
  return "inbound";
}

Status Resolve(const ClusterConfig& cluster, std::vector<asio::ip::tcp::endpoint>* out) {
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  for (size_t i = 0; i < cluster.endpoints.size(); ++i) {
    const Endpoint& ep = cluster.endpoints[i];
    asio::error_code ec;
    auto results = resolver.resolve(ep.host, std::to_string(ep.port), ec);
    if (ec || results.empty()) {
      return InvalidArgumentError("clusters." + cluster.name + ".endpoints[" + std::to_string(i) +
                                  "]: cannot resolve '" + ep.host + "'");
    }
    out->push_back(results.begin()->endpoint());
  }
  return OkStatus();
}

// One event-loop thread: its io_context, its view of every cluster (with its own pools) and
// its acceptor for every listener. Members in destruction order: acceptors go while the
// io_context lives; connections die with its pending handlers (they point at the contexts).
struct Worker {
  std::vector<std::unique_ptr<internal::ClusterContext>> clusters;
  std::vector<std::unique_ptr<internal::ListenerContext>> contexts;
  asio::io_context io{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{
      asio::make_work_guard(io)};
  std::vector<std::unique_ptr<internal::Listener>> listeners;
  std::thread thread;

  // The deadline timers go while the io_context lives (the loop has stopped or never ran).
  ~Worker() {
    for (auto& c : contexts) c->http_deadlines->Shutdown();
  }
};

class SidecarImpl final : public Sidecar {
 public:
  explicit SidecarImpl(SidecarConfig config)
      : config_(std::move(config)), propagators_(MakePropagators(config_.inject)) {}

  ~SidecarImpl() override { Stop(); }

  Status Init() {
    auto telemetry = Telemetry::Create(config_);
    if (!telemetry.ok()) return telemetry.status();
    telemetry_ = *std::move(telemetry);
    std::vector<std::vector<asio::ip::tcp::endpoint>> resolved(config_.clusters.size());
    for (size_t i = 0; i < config_.clusters.size(); ++i) {
      TW_RETURN_IF_ERROR(Resolve(config_.clusters[i], &resolved[i]));
    }
    for (const ListenerConfig& lc : config_.listeners) {
      auto metrics = std::make_unique<ListenerMetrics>();
      metrics->name = lc.name;
      metrics->kind = KindName(lc.kind);
      metrics_.push_back(std::move(metrics));
    }
    for (size_t t = 0; t < config_.threads; ++t) {
      auto worker = std::make_unique<Worker>();
      TW_RETURN_IF_ERROR(InitWorker(*worker, resolved, t == 0));
      workers_.push_back(std::move(worker));
    }
    if (!config_.admin_address.empty()) TW_RETURN_IF_ERROR(StartAdmin());
    for (auto& w : workers_) w->thread = std::thread([io = &w->io] { io->run(); });
    return OkStatus();
  }

  uint16_t listener_port(std::string_view name) const override {
    if (workers_.empty()) return 0;
    for (const auto& l : workers_.front()->listeners) {
      if (l->context().config.name == name) return l->port();
    }
    return 0;
  }
  uint16_t admin_port() const override { return admin_ ? admin_->port() : 0; }

  std::string MetricsText() const override {
    std::vector<const ListenerMetrics*> list;
    list.reserve(metrics_.size());
    for (const auto& m : metrics_) list.push_back(m.get());
    return RenderPrometheus(list, telemetry_->Figures());
  }

  Status FlushSpans(std::chrono::milliseconds timeout) override {
    return telemetry_->Flush(timeout);
  }

  void Stop() override {
    if (stopped_) return;
    stopped_ = true;
    if (admin_) admin_->Stop();
    for (auto& w : workers_) {
      if (!w->thread.joinable()) continue;
      std::promise<void> closed;
      asio::post(w->io, [&] {
        for (auto& l : w->listeners) l->Close();
        for (auto& c : w->clusters) c->ClosePools();
        for (auto& c : w->contexts) c->http_deadlines->Shutdown();
        closed.set_value();
      });
      closed.get_future().wait();
      w->work.reset();
      w->io.stop();
      w->thread.join();
    }
    // Open connections die with the workers' pending handlers (they point at metrics_ and
    // telemetry_, which outlive the workers).
    workers_.clear();
    if (telemetry_) (void)telemetry_->Flush(std::chrono::milliseconds(1000));
  }

 private:
  Status StartAdmin() {
    Endpoint ep;
    Status parsed = ParseEndpoint(config_.admin_address, &ep);
    if (!parsed.ok()) return InvalidArgumentError("admin.address: " + parsed.message());
    net::HttpServerOptions options;
    options.host = ep.host == "localhost" ? "127.0.0.1" : ep.host;
    options.port = ep.port;
    auto server = net::HttpServer::Start(options, [this](const net::HttpRequest& req) {
      net::HttpResponse rsp;
      std::string_view path{req.target};
      path = path.substr(0, path.find('?'));
      if (path == "/metrics") {
        rsp.headers.Set("Content-Type", "text/plain; version=0.0.4");
        rsp.body = MetricsText();
      } else if (path == "/ready") {
        rsp.body = "ready\n";
      } else {
        rsp.status = 404;
        rsp.body = "not found\n";
      }
      return rsp;
    });
    if (!server.ok()) return UnavailableError("admin.address: " + server.status().message());
    admin_ = *std::move(server);
    return OkStatus();
  }

  // The first worker binds each listener's port (ephemeral for 0); the others bind the same.
  Status InitWorker(Worker& w, const std::vector<std::vector<asio::ip::tcp::endpoint>>& resolved,
                    bool first) {
    for (size_t i = 0; i < config_.clusters.size(); ++i) {
      auto c = std::make_unique<internal::ClusterContext>();
      c->config = config_.clusters[i];
      c->endpoints = resolved[i];
      c->io = &w.io;
      c->max_frame_size = config_.max_frame_size;
      c->trpc_pool = std::make_unique<internal::TrpcUpstreamPool>(*c);
      c->http_pool = std::make_unique<internal::HttpUpstreamPool>(c->config.max_idle_connections);
      w.clusters.push_back(std::move(c));
    }
    auto cluster_named = [&](const std::string& name) -> internal::ClusterContext* {
      for (auto& c : w.clusters) {
        if (c->config.name == name) return c.get();
      }
      return nullptr;
    };
    for (size_t i = 0; i < config_.listeners.size(); ++i) {
      const ListenerConfig& lc = config_.listeners[i];
      auto ctx = std::make_unique<internal::ListenerContext>();
      ctx->config = lc;
      if (!first) ctx->config.address.port = workers_.front()->listeners[i]->port();
      if (!lc.cluster.empty()) {
        ctx->fallback = cluster_named(lc.cluster);
        if (ctx->fallback == nullptr) {
          return InvalidArgumentError("listeners." + lc.name + ".cluster: no cluster named '" +
                                      lc.cluster + "'");
        }
      }
      for (size_t r = 0; r < lc.routes.size(); ++r) {
        internal::ClusterContext* c = cluster_named(lc.routes[r].cluster);
        if (c == nullptr) {
          return InvalidArgumentError("listeners." + lc.name + ".routes[" + std::to_string(r) +
                                      "].cluster: no cluster named '" + lc.routes[r].cluster + "'");
        }
        ctx->route_clusters.push_back(c);
      }
      if (ctx->fallback == nullptr && ctx->route_clusters.empty()) {
        return InvalidArgumentError("listeners." + lc.name + ".cluster: required");
      }
      ctx->metrics = metrics_[i].get();
      ctx->telemetry = telemetry_.get();
      ctx->propagators = &propagators_;
      ctx->sidecar = &config_;
      ctx->io = &w.io;
      ctx->http_deadlines = std::make_unique<internal::HttpDeadlines>(w.io);
      ctx->max_frame_size = config_.max_frame_size;
      ctx->max_connections = config_.max_connections;
      ctx->reuse_port = config_.threads > 1;
      w.contexts.push_back(std::move(ctx));
      auto listener = internal::Listener::Start(*w.contexts.back());
      if (!listener.ok()) return listener.status();
      w.listeners.push_back(*std::move(listener));
    }
    return OkStatus();
  }

  SidecarConfig config_;
  Propagators propagators_;
  std::unique_ptr<Telemetry> telemetry_;
  std::vector<std::unique_ptr<ListenerMetrics>> metrics_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<net::HttpServer> admin_;
  bool stopped_ = false;
};

}  // namespace

StatusOr<std::unique_ptr<Sidecar>> Sidecar::Start(SidecarConfig config) {
  auto sidecar = std::make_unique<SidecarImpl>(std::move(config));
  Status status = sidecar->Init();
  if (!status.ok()) return status;
  return std::unique_ptr<Sidecar>(std::move(sidecar));
}

}  // namespace tracewire::sidecar
