// The "otlp" receiver: OTLP/gRPC and OTLP/HTTP (otlp_grpc_server.h, otlp_http_server.h) behind
// one Component, started only for the protocols its config names.
#include <memory>
#include <utility>

#include "collector/receiver/otlp_grpc_server.h"
#include "collector/receiver/otlp_http_server.h"
#include "collector/receiver/receiver.h"
#include "collector/receiver/receiver_config.h"
#include "collector/receiver/receiver_factories.h"

namespace tracewire::collector {
namespace {

class OtlpReceiver final : public Receiver {
 public:
  OtlpReceiver(std::string id, const OtlpReceiverConfig& config, TracesConsumer* traces,
               LogsConsumer* logs)
      : id_(std::move(id)), config_(config), traces_(traces), logs_(logs) {}
  ~OtlpReceiver() override { (void)Shutdown(); }

  const std::string& id() const override { return id_; }

  Status Start() override {
    if (grpc_ || http_) return OkStatus();
    if (config_.grpc) {
      auto grpc = internal::OtlpGrpcServer::Start(*config_.grpc, traces_, logs_, counters_);
      if (!grpc.ok()) return Named("protocols.grpc", grpc.status());
      grpc_ = std::move(*grpc);
    }
    if (config_.http) {
      auto http = internal::OtlpHttpServer::Start(*config_.http, traces_, logs_, counters_);
      if (!http.ok()) {
        (void)Shutdown();
        return Named("protocols.http", http.status());
      }
      http_ = std::move(*http);
    }
    return OkStatus();
  }

  Status Shutdown() override {
    if (http_) http_->Stop();
    if (grpc_) grpc_->Stop();
    return OkStatus();
  }

  uint16_t port(std::string_view protocol) const override {
    if (protocol == "grpc") return grpc_ ? grpc_->port() : 0;
    if (protocol == "http") return http_ ? http_->port() : 0;
    return 0;
  }
  ReceiverStats stats() const override { return counters_->Snapshot(); }

 private:
  Status Named(std::string_view protocol, const Status& status) const {
    return Status(status.code(),
                  "receivers." + id_ + "." + std::string(protocol) + ": " + status.message());
  }

  std::string id_;
  OtlpReceiverConfig config_;
  TracesConsumer* traces_;
  LogsConsumer* logs_;
  std::shared_ptr<internal::ReceiverCounters> counters_ =
      std::make_shared<internal::ReceiverCounters>();
  std::unique_ptr<internal::OtlpGrpcServer> grpc_;
  std::unique_ptr<internal::OtlpHttpServer> http_;
};

class OtlpReceiverFactory final : public ReceiverFactory {
 public:
  std::string_view type() const override { return "otlp"; }
  StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                         std::string_view path) const override {
    StatusOr<OtlpReceiverConfig> config = ParseOtlpReceiverConfig(node, path);
    if (!config.ok()) return config.status();
    return std::unique_ptr<ComponentConfig>(
        std::make_unique<OtlpReceiverConfig>(std::move(*config)));
  }
  StatusOr<std::unique_ptr<Component>> Create(std::string id, const ComponentConfig& config,
                                              TracesConsumer* traces,
                                              LogsConsumer* logs) const override {
    const auto* otlp = dynamic_cast<const OtlpReceiverConfig*>(&config);
    if (otlp == nullptr) return InvalidArgumentError("receivers." + id + ": not an otlp config");
    return std::unique_ptr<Component>(
        std::make_unique<OtlpReceiver>(std::move(id), *otlp, traces, logs));
  }
};

}  // namespace

std::unique_ptr<ReceiverFactory> NewOtlpReceiverFactory() {
  return std::make_unique<OtlpReceiverFactory>();
}

}  // namespace tracewire::collector
