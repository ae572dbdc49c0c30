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

class SidecarImpl final : public Sidecar {
 public:
  explicit SidecarImpl(SidecarConfig config)
      : config_(std::move(config)), propagators_(MakePropagators(config_.inject)) {}

  ~SidecarImpl() override { Stop(); }

  Status Init() {
    auto telemetry = Telemetry::Create(config_);
    if (!telemetry.ok()) return telemetry.status();
    telemetry_ = *std::move(telemetry);
    for (const ListenerConfig& lc : config_.listeners) {
      auto ctx = std::make_unique<internal::ListenerContext>();
      ctx->config = lc;
      const ClusterConfig* cluster = config_.FindCluster(lc.cluster);
      if (cluster == nullptr) {
        return InvalidArgumentError("listeners." + lc.name + ".cluster: no cluster named '" +
                                    lc.cluster + "'");
      }
      ctx->cluster = *cluster;
      TW_RETURN_IF_ERROR(Resolve(*cluster, &ctx->upstream));
      auto metrics = std::make_unique<ListenerMetrics>();
      metrics->name = lc.name;
      metrics->kind = KindName(lc.kind);
      ctx->metrics = metrics.get();
      metrics_.push_back(std::move(metrics));
      ctx->telemetry = telemetry_.get();
      ctx->propagators = &propagators_;
      ctx->io = &io_;
      ctx->max_frame_size = config_.max_frame_size;
      ctx->max_connections = config_.max_connections;
      contexts_.push_back(std::move(ctx));
      auto listener = internal::Listener::Start(*contexts_.back());
      if (!listener.ok()) return listener.status();
      listeners_.push_back(*std::move(listener));
    }
    if (!config_.admin_address.empty()) TW_RETURN_IF_ERROR(StartAdmin());
    thread_ = std::thread([this] { io_.run(); });
    return OkStatus();
  }

  uint16_t listener_port(std::string_view name) const override {
    for (const auto& l : listeners_) {
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
    if (thread_.joinable()) {
      std::promise<void> closed;
      asio::post(io_, [&] {
        for (auto& l : listeners_) l->Close();
        for (auto& c : contexts_) c->trpc_pool.reset();
        closed.set_value();
      });
      closed.get_future().wait();
      work_.reset();
      io_.stop();
      thread_.join();
    }
    // Acceptors go while the io_context lives; open connections die with its pending handlers
    // (they point at contexts_, metrics_ and telemetry_, which outlive io_).
    listeners_.clear();
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

  SidecarConfig config_;
  Propagators propagators_;
  std::unique_ptr<Telemetry> telemetry_;
  std::vector<std::unique_ptr<ListenerMetrics>> metrics_;
  std::vector<std::unique_ptr<internal::ListenerContext>> contexts_;
  // Declared after what its pending handlers point at, before what binds to it.
  asio::io_context io_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_{
      asio::make_work_guard(io_)};
  std::vector<std::unique_ptr<internal::Listener>> listeners_;
  std::unique_ptr<net::HttpServer> admin_;
  std::thread thread_;
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
