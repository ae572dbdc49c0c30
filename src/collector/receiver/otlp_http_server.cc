#include "collector/receiver/otlp_http_server.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "collector/partial_success.h"
#include "collector/receiver/otlp_responses.h"
#include "net/http_router.h"
#include "net/http_server.h"
#include "otlp/otlp_decoder.h"

namespace tracewire::collector::internal {
namespace {

using net::HttpRequest;
using net::HttpResponder;
using net::HttpResponse;

int ServerThreads() {
  return static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
}

// What differs between the two signals.
template <typename Batch>
struct Signal;

template <>
struct Signal<model::SpanBatch> {
  static constexpr bool kSpans = true;
  static StatusOr<otlp::Decoded<model::SpanBatch>> Decode(OtlpEncoding e, std::string body) {
    return e == OtlpEncoding::kJson ? otlp::DecodeTracesJson(std::move(body))
                                    : otlp::DecodeTracesProto(std::move(body));
  }
  static size_t Count(const model::SpanBatch& b) { return b.spans.size(); }
};

template <>
struct Signal<model::LogBatch> {
  static constexpr bool kSpans = false;
  static StatusOr<otlp::Decoded<model::LogBatch>> Decode(OtlpEncoding e, std::string body) {
    return e == OtlpEncoding::kJson ? otlp::DecodeLogsJson(std::move(body))
                                    : otlp::DecodeLogsProto(std::move(body));
  }
  static size_t Count(const model::LogBatch& b) { return b.records.size(); }
};

void Consume(TracesConsumer* c, std::unique_ptr<model::SpanBatch> b, ConsumeDone done) {
  c->ConsumeTraces(std::move(b), std::move(done));
}
void Consume(LogsConsumer* c, std::unique_ptr<model::LogBatch> b, ConsumeDone done) {
  c->ConsumeLogs(std::move(b), std::move(done));
}

// What a request needs, shared with the ConsumeDone callbacks (which may outlive the server).
struct ExportContext {
  OtlpHttpConfig config;
  std::shared_ptr<ReceiverCounters> counters;
};

// Answers with CORS headers and counts the status.
void Answer(const ExportContext& ctx, const HttpResponder& responder, std::string_view origin,
            HttpResponse response) {
  AddCorsHeaders(ctx.config.cors, origin, response);
  ctx.counters->CountHttp(response.status);
  responder.Respond(std::move(response));
}

HttpResponse StatusResponse(int http_status, OtlpEncoding encoding, StatusCode code,
                            std::string_view message) {
  HttpResponse r;
  r.status = http_status;
  r.headers.Add("Content-Type", std::string(ContentTypeOf(encoding)));
  r.body = EncodeRpcStatus(encoding, code, message);
  return r;
}

template <typename Batch, typename Consumer>
void Export(const std::shared_ptr<const ExportContext>& ctx, Consumer* consumer,
            HttpRequest request, const HttpResponder& responder);

class OtlpHttpServerImpl final : public OtlpHttpServer {
 public:
  OtlpHttpServerImpl(const OtlpHttpConfig& config, std::shared_ptr<ReceiverCounters> counters)
      : ctx_(std::make_shared<ExportContext>(ExportContext{config, std::move(counters)})) {}
  ~OtlpHttpServerImpl() override { Stop(); }

  Status Listen(TracesConsumer* traces, LogsConsumer* logs);
  uint16_t port() const override { return server_ ? server_->port() : 0; }
  void Stop() override {
    if (server_) server_->Stop();
  }

 private:
  std::shared_ptr<const ExportContext> ctx_;
  net::HttpRouter router_;
  std::unique_ptr<net::HttpServer> server_;
};

template <typename Batch, typename Consumer>
void Export(const std::shared_ptr<const ExportContext>& ctx, Consumer* consumer,
            HttpRequest request, const HttpResponder& responder) {
  const OtlpHttpConfig& config = ctx->config;
  using S = Signal<Batch>;
  std::string origin(request.headers.Get("origin").value_or(""));
  std::string media = MediaTypeOf(request);
  OtlpEncoding encoding =
      media == "application/json" ? OtlpEncoding::kJson : OtlpEncoding::kProtobuf;
  if (!BearerTokenMatches(request.headers.Get("authorization").value_or(""), config.bearer_token)) {
    HttpResponse r = StatusResponse(401, encoding, StatusCode::kUnauthenticated,
                                    "missing or wrong bearer token");
    r.headers.Add("WWW-Authenticate", "Bearer");
    return Answer(*ctx, responder, origin, std::move(r));
  }
  if (media != "application/json" && media != "application/x-protobuf") {
    HttpResponse r;
    r.status = 415;
    r.headers.Add("Content-Type", "text/plain; charset=utf-8");
    r.body = "unsupported media type \"" + media.substr(0, 64) +
             "\", supported: application/x-protobuf, application/json\n";
    return Answer(*ctx, responder, origin, std::move(r));
  }
  Status decoded_body = DecodeContentEncoding(request, config.max_request_body_bytes);
  if (!decoded_body.ok()) {
    int http = decoded_body.code() == StatusCode::kResourceExhausted ? 413 : 400;
    return Answer(*ctx, responder, origin,
                  StatusResponse(http, encoding, decoded_body.code(), decoded_body.message()));
  }
  auto decoded = S::Decode(encoding, std::move(request.body));
  if (!decoded.ok()) {
    return Answer(
        *ctx, responder, origin,
        StatusResponse(400, encoding, StatusCode::kInvalidArgument, decoded.status().message()));
  }
  uint64_t rejected = decoded->rejected;
  std::string reason = std::move(decoded->rejected_reason);
  size_t count = S::Count(*decoded->batch);
  if (count == 0) {  // nothing to store: answer now
    ctx->counters->CountItems(S::kSpans, 0, rejected);
    HttpResponse r;
    r.headers.Add("Content-Type", std::string(ContentTypeOf(encoding)));
    r.body = EncodeExportResponse(encoding, S::kSpans, rejected, reason);
    return Answer(*ctx, responder, origin, std::move(r));
  }
  Consume(consumer, std::move(decoded->batch),
          [ctx, responder, origin = std::move(origin), encoding, rejected, count,
           reason = std::move(reason)](const Status& status) {
            HttpResponse r;
            if (!status.ok()) {
              ctx->counters->CountItems(S::kSpans, 0, count + rejected);
              r = StatusResponse(HttpStatusForConsumerError(status.code()), encoding, status.code(),
                                 status.message());
              if (IsThrottling(status.code())) {
                r.headers.Add("Retry-After", std::to_string(kRetryAfterSeconds));
              }
              return Answer(*ctx, responder, origin, std::move(r));
            }
            uint64_t downstream = 0;
            std::string message = reason;
            if (auto partial = ParsePartialSuccess(status)) {
              downstream = std::min<uint64_t>(partial->rejected, count);
              if (message.empty()) message = partial->message;
            }
            ctx->counters->CountItems(S::kSpans, count - downstream, rejected + downstream);
            r.headers.Add("Content-Type", std::string(ContentTypeOf(encoding)));
            r.body = EncodeExportResponse(encoding, S::kSpans, rejected + downstream, message);
            Answer(*ctx, responder, origin, std::move(r));
          });
}

Status OtlpHttpServerImpl::Listen(TracesConsumer* traces, LogsConsumer* logs) {
  if (traces != nullptr) {
    router_.HandleAsync("POST", ctx_->config.traces_url_path,
                        [this, traces](HttpRequest r, const HttpResponder& w) {
                          Export<model::SpanBatch>(ctx_, traces, std::move(r), w);
                        });
  }
  if (logs != nullptr) {
    router_.HandleAsync("POST", ctx_->config.logs_url_path,
                        [this, logs](HttpRequest r, const HttpResponder& w) {
                          Export<model::LogBatch>(ctx_, logs, std::move(r), w);
                        });
  }
  const OtlpHttpConfig& config = ctx_->config;
  if (!config.cors.allowed_origins.empty()) {
    for (const std::string* path : {&config.traces_url_path, &config.logs_url_path}) {
      router_.Handle("OPTIONS", *path, [ctx = ctx_](const HttpRequest& r) {
        return CorsPreflight(ctx->config.cors, r);
      });
    }
  }
  net::HttpServerOptions options;
  options.host = config.endpoint.host;
  options.port = config.endpoint.port;
  options.threads = ServerThreads();
  // The compressed body is bounded by the same limit as the decompressed one.
  options.limits.max_body_bytes = config.max_request_body_bytes;
  StatusOr<std::unique_ptr<net::HttpServer>> server = net::HttpServer::Start(
      options,
      [this](HttpRequest r, const HttpResponder& w) { router_.Dispatch(std::move(r), w); });
  if (!server.ok()) return server.status();
  server_ = std::move(*server);
  return OkStatus();
}

}  // namespace

StatusOr<std::unique_ptr<OtlpHttpServer>> OtlpHttpServer::Start(
    const OtlpHttpConfig& config, TracesConsumer* traces, LogsConsumer* logs,
    std::shared_ptr<ReceiverCounters> counters) {
  auto server = std::make_unique<OtlpHttpServerImpl>(config, std::move(counters));
  TW_RETURN_IF_ERROR(server->Listen(traces, logs));
  return std::unique_ptr<OtlpHttpServer>(std::move(server));
}

}  // namespace tracewire::collector::internal
