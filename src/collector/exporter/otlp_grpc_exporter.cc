#include "collector/exporter/otlp_grpc_exporter.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <future>

#include "collector/config_reader.h"
#include "collector/exporter/exporter_factories.h"
#include "collector/exporter/otlphttp_exporter.h"
#include "otlp/batch_encoder.h"

namespace tracewire::collector {

Status FillOtlpGrpcExporterConfig(const YAML::Node& node, std::string_view path,
                                  OtlpGrpcExporterConfig* c);

namespace {

constexpr char kTraceMethod[] = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
constexpr char kLogsMethod[] = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
constexpr std::string_view kRetryInfoType = "type.googleapis.com/google.rpc.RetryInfo";

// Minimal protobuf reading for RetryInfoDelay: (field, wire type, value) one at a time.
struct Field {
  uint32_t number = 0;
  uint32_t wire = 0;
  uint64_t varint = 0;
  std::string_view bytes;
};

bool ReadVarint(std::string_view& in, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto b = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    *v |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

bool ReadField(std::string_view& in, Field* f) {
  uint64_t tag = 0;
  if (!ReadVarint(in, &tag)) return false;
  f->number = static_cast<uint32_t>(tag >> 3);
  f->wire = static_cast<uint32_t>(tag & 7);
  switch (f->wire) {
    case 0: return ReadVarint(in, &f->varint);
    case 1:
      if (in.size() < 8) return false;
      in.remove_prefix(8);
      return true;
    case 5:
      if (in.size() < 4) return false;
      in.remove_prefix(4);
      return true;
    case 2: {
      uint64_t len = 0;
      if (!ReadVarint(in, &len) || len > in.size()) return false;
      f->bytes = in.substr(0, len);
      in.remove_prefix(len);
      return true;
    }
    default: return false;
  }
}

bool IsRetryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DATA_LOSS: return true;
    default: return false;
  }
}

class OtlpGrpcExporter final : public Exporter {
 public:
  OtlpGrpcExporter(std::string id, const OtlpGrpcExporterConfig& config)
      : id_(std::move(id)),
        config_(config),
        queue_(id_, config.retry, config.queue, [this](std::string_view m) { Log(m); }) {}
  ~OtlpGrpcExporter() override { (void)Shutdown(); }

  const std::string& id() const override { return id_; }

  Status Start() override {
    grpc::ChannelArguments args;
    args.SetString(GRPC_ARG_PRIMARY_USER_AGENT_STRING, "tracewire-collector/0.1");
    args.SetMaxReceiveMessageSize(4 << 20);
    channel_ = grpc::CreateCustomChannel(config_.target, grpc::InsecureChannelCredentials(), args);
    stub_ = std::make_unique<grpc::GenericStub>(channel_);
    queue_.Start();
    return OkStatus();
  }

  Status Shutdown() override {
    queue_.Shutdown();
    return OkStatus();
  }

  void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) override {
    const size_t n = batch->spans.size();
    Submit<model::SpanBatch>(std::move(batch), kTraceMethod, std::to_string(n) + " spans", done);
  }
  void ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) override {
    const size_t n = batch->records.size();
    Submit<model::LogBatch>(std::move(batch), kLogsMethod, std::to_string(n) + " log records",
                            done);
  }

 private:
  template <typename Batch>
  void Submit(std::shared_ptr<Batch> batch, const char* method, const std::string& what,
              const ConsumeDone& done) {
    if (!stub_) return done(FailedPreconditionError(id_ + ": not started"));
    auto body = std::make_shared<std::string>();
    std::shared_ptr<const Batch> held = std::move(batch);
    queue_.Submit(
        [this, held, body, method](size_t) mutable {
          if (held) {
            if constexpr (std::is_same_v<Batch, model::SpanBatch>) {
              otlp::EncodeTracesProto(*held, body.get());
            } else {
              otlp::EncodeLogsProto(*held, body.get());
            }
            held.reset();
          }
          return Call(method, *body);
        },
        what, done);
  }

  Attempt Call(const char* method, const std::string& body) {
    grpc::ClientContext context;
    context.set_deadline(
        std::chrono::system_clock::now() +
        std::chrono::duration_cast<std::chrono::system_clock::duration>(config_.timeout));
    for (const auto& [name, value] : config_.headers) context.AddMetadata(name, value);
    if (config_.gzip) context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    grpc::Slice slice(body);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> promise;
    std::future<grpc::Status> result = promise.get_future();
    stub_->UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                     [&promise](const grpc::Status& s) { promise.set_value(s); });
    const grpc::Status s = result.get();
    if (s.ok()) return Attempt{OkStatus(), false, std::nullopt};
    Attempt a;
    const auto code = static_cast<StatusCode>(static_cast<int>(s.error_code()));
    std::string message = s.error_message().substr(0, 200);
    for (char& c : message) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    a.status = Status(code, id_ + ": " + config_.target + " answered gRPC " +
                                std::string(StatusCodeName(code)) +
                                (message.empty() ? "" : ": " + message));
    a.retry_after = RetryInfoDelay(s.error_details());
    a.retryable = IsRetryable(s.error_code()) ||
                  (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED && a.retry_after);
    return a;
  }

  void Log(std::string_view message) const {
    if (config_.log) return config_.log(message);
    std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
  }

  const std::string id_;
  const OtlpGrpcExporterConfig config_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<grpc::GenericStub> stub_;
  SendQueue queue_;  // last: stopped before the channel goes
};

class OtlpGrpcExporterFactory final : public ExporterFactory {
 public:
  std::string_view type() const override { return "otlp"; }
  StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                         std::string_view path) const override {
    return ParseConfigWith<OtlpGrpcExporterConfig, ComponentConfig>(FillOtlpGrpcExporterConfig,
                                                                    node, path);
  }
  StatusOr<std::unique_ptr<Exporter>> Create(std::string id, const ComponentConfig& config,
                                             const BuildContext&) const override {
    return NewOtlpGrpcExporter(std::move(id), static_cast<const OtlpGrpcExporterConfig&>(config));
  }
};

}  // namespace

std::optional<std::chrono::milliseconds> RetryInfoDelay(std::string_view status_details) {
  std::string_view in = status_details;
  Field f;
  while (!in.empty()) {
    if (!ReadField(in, &f)) return std::nullopt;
    if (f.number != 3 || f.wire != 2) continue;  // google.rpc.Status.details (Any)
    std::string_view any = f.bytes;
    std::string_view type_url;
    std::string_view value;
    Field g;
    while (!any.empty()) {
      if (!ReadField(any, &g)) return std::nullopt;
      if (g.number == 1 && g.wire == 2) type_url = g.bytes;
      if (g.number == 2 && g.wire == 2) value = g.bytes;
    }
    if (type_url != kRetryInfoType) continue;
    Field h;
    while (!value.empty()) {  // RetryInfo.retry_delay (Duration) = 1
      if (!ReadField(value, &h)) return std::nullopt;
      if (h.number != 1 || h.wire != 2) continue;
      std::string_view duration = h.bytes;
      int64_t seconds = 0;
      int64_t nanos = 0;
      Field d;
      while (!duration.empty()) {
        if (!ReadField(duration, &d)) return std::nullopt;
        if (d.number == 1 && d.wire == 0) seconds = static_cast<int64_t>(d.varint);
        if (d.number == 2 && d.wire == 0) nanos = static_cast<int32_t>(d.varint);
      }
      if (seconds < 0 || nanos < 0 || seconds > 86400) return std::nullopt;
      return std::chrono::milliseconds(seconds * 1000 + nanos / 1000000);
    }
  }
  return std::nullopt;
}

Status FillOtlpGrpcExporterConfig(const YAML::Node& node, std::string_view path,
                                  OtlpGrpcExporterConfig* c) {
  StatusOr<ConfigMap> map = ConfigMap::Open(node, std::string(path));
  if (!map.ok()) return map.status();
  std::string endpoint;
  TW_RETURN_IF_ERROR(map->ReadString("endpoint", &endpoint));
  TW_RETURN_IF_ERROR(map->ReadStringMap("headers", &c->headers));
  std::string compression = "gzip";
  TW_RETURN_IF_ERROR(map->ReadEnum("compression", {"gzip", "none", ""}, &compression));
  c->gzip = compression == "gzip";
  TW_RETURN_IF_ERROR(map->ReadDuration("timeout", &c->timeout));
  StatusOr<ConfigMap> tls = map->Sub("tls");
  if (!tls.ok()) return tls.status();
  bool insecure = false;
  TW_RETURN_IF_ERROR(tls->ReadBool("insecure", &insecure));
  for (const std::string& key : tls->Keys()) {
    if (key != "insecure") {
      return InvalidArgumentError(tls->PathOf(key) +
                                  ": TLS is not supported yet; only tls.insecure: true works now");
    }
  }
  TW_RETURN_IF_ERROR(ParseRetryConfig(*map, &c->retry));
  TW_RETURN_IF_ERROR(ParseQueueConfig(*map, &c->queue));
  TW_RETURN_IF_ERROR(map->CheckNoUnknownKeys());

  if (endpoint.empty()) return InvalidArgumentError(map->PathOf("endpoint") + ": required");
  bool plaintext_scheme = false;
  if (endpoint.rfind("https://", 0) == 0) {
    return InvalidArgumentError(
        map->PathOf("endpoint") +
        ": TLS is not supported yet, only plaintext (http:// or tls.insecure: true)");
  }
  if (endpoint.rfind("http://", 0) == 0) {
    endpoint = endpoint.substr(7);
    while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
    plaintext_scheme = true;
  }
  StatusOr<HostPort> hp = ParseHostPort(endpoint);
  if (!hp.ok() || hp->host.empty()) {
    return InvalidArgumentError(map->PathOf("endpoint") + ": not host:port");
  }
  if (!insecure && !plaintext_scheme) {
    return InvalidArgumentError(
        tls->PathOf("insecure") +
        ": TLS is not supported yet, only plaintext: set tls.insecure: true");
  }
  c->target = endpoint;
  TW_RETURN_IF_ERROR(CheckHeaders(c->headers, map->PathOf("headers")));
  for (auto& [name, value] : c->headers) {
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  if (c->timeout.count() <= 0) {
    return InvalidArgumentError(map->PathOf("timeout") + ": must be greater than zero");
  }
  return OkStatus();
}

StatusOr<std::unique_ptr<OtlpGrpcExporterConfig>> ParseOtlpGrpcExporterConfig(
    const YAML::Node& node, std::string_view path) {
  return ParseConfigWith(FillOtlpGrpcExporterConfig, node, path);
}

StatusOr<std::unique_ptr<Exporter>> NewOtlpGrpcExporter(std::string id,
                                                        const OtlpGrpcExporterConfig& config) {
  return std::unique_ptr<Exporter>(std::make_unique<OtlpGrpcExporter>(std::move(id), config));
}

std::unique_ptr<ExporterFactory> NewOtlpGrpcExporterFactory() {
  return std::make_unique<OtlpGrpcExporterFactory>();
}

}  // namespace tracewire::collector
