#include "collector/receiver/otlp_grpc_server.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "collector/partial_success.h"
#include "collector/receiver/http_ingest.h"
#include "collector/receiver/otlp_responses.h"
#include "otlp/otlp_decoder.h"

namespace tracewire::collector::internal {
namespace {

struct GrpcContext {
  OtlpGrpcConfig config;
  TracesConsumer* traces = nullptr;
  LogsConsumer* logs = nullptr;
  std::shared_ptr<ReceiverCounters> counters;
};

grpc::Status ToGrpc(const Status& status) {
  auto code = static_cast<grpc::StatusCode>(static_cast<int>(status.code()));
  if (IsThrottling(status.code())) {
    return grpc::Status(
        code, status.message(),
        EncodeRpcStatusWithRetryInfo(status.code(), status.message(), kRetryAfterSeconds));
  }
  return grpc::Status(code, status.message());
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const grpc::Slice& s : slices)
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

// One Export call: read one message, decode, consume, answer. Deletes itself in OnDone.
class ExportReactor final : public grpc::ServerGenericBidiReactor {
 public:
  ExportReactor(grpc::GenericCallbackServerContext* call, std::shared_ptr<const GrpcContext> ctx)
      : ctx_(std::move(ctx)) {
    const std::string& method = call->method();
    spans_ = method == kTraceExportMethod;
    bool logs = method == kLogsExportMethod;
    if ((!spans_ && !logs) || (spans_ && ctx_->traces == nullptr) ||
        (logs && ctx_->logs == nullptr)) {
      FinishWith(Status(StatusCode::kUnimplemented, "unknown method " + method.substr(0, 128)));
      return;
    }
    if (!ctx_->config.bearer_token.empty()) {
      const auto& metadata = call->client_metadata();
      auto it = metadata.find("authorization");
      std::string_view given = it == metadata.end()
                                   ? std::string_view()
                                   : std::string_view(it->second.data(), it->second.size());
      if (!BearerTokenMatches(given, ctx_->config.bearer_token)) {
        FinishWith(Status(StatusCode::kUnauthenticated, "missing or wrong bearer token"));
        return;
      }
    }
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) return FinishWith(InvalidArgumentError("no request message"));
    std::string body = Flatten(request_);
    request_.Clear();
    if (spans_) {
      Run(otlp::DecodeTracesProto(std::move(body)), ctx_->traces);
    } else {
      Run(otlp::DecodeLogsProto(std::move(body)), ctx_->logs);
    }
  }

  void OnDone() override { delete this; }

 private:
  template <typename Batch, typename Consumer>
  void Run(StatusOr<otlp::Decoded<Batch>> decoded, Consumer* consumer) {
    if (!decoded.ok()) return FinishWith(InvalidArgumentError(decoded.status().message()));
    rejected_ = decoded->rejected;
    reason_ = std::move(decoded->rejected_reason);
    count_ = CountOf(*decoded->batch);
    if (count_ == 0) return OnConsumed(OkStatus());
    auto done = [this](const Status& status) { OnConsumed(status); };
    if constexpr (std::is_same_v<Batch, model::SpanBatch>) {
      consumer->ConsumeTraces(std::move(decoded->batch), done);
    } else {
      consumer->ConsumeLogs(std::move(decoded->batch), done);
    }
  }
  static size_t CountOf(const model::SpanBatch& b) { return b.spans.size(); }
  static size_t CountOf(const model::LogBatch& b) { return b.records.size(); }

  // The pipeline's answer; any thread.
  void OnConsumed(const Status& status) {
    if (!status.ok()) {
      ctx_->counters->CountItems(spans_, 0, count_ + rejected_);
      return FinishWith(status);
    }
    uint64_t downstream = 0;
    std::string message = reason_;
    if (auto partial = ParsePartialSuccess(status)) {
      downstream = std::min<uint64_t>(partial->rejected, count_);
      if (message.empty()) message = partial->message;
    }
    ctx_->counters->CountItems(spans_, count_ - downstream, rejected_ + downstream);
    ctx_->counters->CountGrpc(StatusCode::kOk);
    std::string bytes =
        EncodeExportResponse(OtlpEncoding::kProtobuf, spans_, rejected_ + downstream, message);
    grpc::Slice slice(bytes);
    response_ = grpc::ByteBuffer(&slice, 1);
    StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
  }

  void FinishWith(const Status& status) {
    ctx_->counters->CountGrpc(status.code());
    Finish(ToGrpc(status));
  }

  std::shared_ptr<const GrpcContext> ctx_;
  bool spans_ = false;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  uint64_t rejected_ = 0;
  size_t count_ = 0;
  std::string reason_;
};

class ExportService final : public grpc::CallbackGenericService {
 public:
  explicit ExportService(std::shared_ptr<const GrpcContext> ctx) : ctx_(std::move(ctx)) {}
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext* call) override {
    return new ExportReactor(call, ctx_);
  }

 private:
  std::shared_ptr<const GrpcContext> ctx_;
};

class OtlpGrpcServerImpl final : public OtlpGrpcServer {
 public:
  explicit OtlpGrpcServerImpl(std::shared_ptr<const GrpcContext> ctx)
      : ctx_(ctx), service_(std::move(ctx)) {}
  ~OtlpGrpcServerImpl() override { Stop(); }

  Status Listen() {
    const OtlpGrpcConfig& config = ctx_->config;
    grpc::ServerBuilder builder;
    int selected = 0;
    builder.AddListeningPort(config.endpoint.ToString(), grpc::InsecureServerCredentials(),
                             &selected);
    builder.SetMaxReceiveMessageSize(static_cast<int>(config.max_recv_msg_bytes));
    if (config.max_concurrent_streams > 0) {
      builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                                 static_cast<int>(config.max_concurrent_streams));
    }
    builder.RegisterCallbackGenericService(&service_);
    server_ = builder.BuildAndStart();
    if (!server_ || selected == 0) {
      server_.reset();
      return UnavailableError("cannot listen on " + config.endpoint.ToString() + " (gRPC)");
    }
    port_ = static_cast<uint16_t>(selected);
    return OkStatus();
  }

  uint16_t port() const override { return port_; }
  void Stop() override {
    std::call_once(stop_once_, [this] {
      if (!server_) return;
      server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
      server_->Wait();
    });
  }

 private:
  std::shared_ptr<const GrpcContext> ctx_;
  ExportService service_;
  std::unique_ptr<grpc::Server> server_;
  uint16_t port_ = 0;
  std::once_flag stop_once_;
};

}  // namespace

StatusOr<std::unique_ptr<OtlpGrpcServer>> OtlpGrpcServer::Start(
    const OtlpGrpcConfig& config, TracesConsumer* traces, LogsConsumer* logs,
    std::shared_ptr<ReceiverCounters> counters) {
  auto ctx = std::make_shared<GrpcContext>();
  ctx->config = config;
  ctx->traces = traces;
  ctx->logs = logs;
  ctx->counters = std::move(counters);
  auto server = std::make_unique<OtlpGrpcServerImpl>(std::move(ctx));
  TW_RETURN_IF_ERROR(server->Listen());
  return std::unique_ptr<OtlpGrpcServer>(std::move(server));
}

}  // namespace tracewire::collector::internal
