// The "zipkin" receiver: Zipkin v2 JSON on POST /api/v2/spans (what Envoy's Zipkin tracer
// sends with collector_endpoint_version HTTP_JSON), gzip or identity. Answers 202 once the
// pipeline took the spans; 400 for bad data, 413 over the limit, 415 for other media types
// (including Zipkin protobuf), 429/503 + Retry-After when throttled, 500 otherwise.
#include <algorithm>
#include <memory>
#include <thread>
#include <utility>

#include "collector/receiver/http_ingest.h"
#include "collector/receiver/receiver.h"
#include "collector/receiver/receiver_config.h"
#include "collector/receiver/receiver_counters.h"
#include "collector/receiver/receiver_factories.h"
#include "collector/receiver/zipkin_v2_decoder.h"
#include "net/http_router.h"
#include "net/http_server.h"

namespace tracewire::collector {
namespace {

using internal::ReceiverCounters;
using net::HttpRequest;
using net::HttpResponder;
using net::HttpResponse;

constexpr std::string_view kSpansPath = "/api/v2/spans";

struct ZipkinContext {
  ZipkinReceiverConfig config;
  TracesConsumer* traces = nullptr;
  std::shared_ptr<ReceiverCounters> counters = std::make_shared<ReceiverCounters>();
};

void Answer(const ZipkinContext& ctx, const HttpResponder& responder, int status,
            std::string_view text) {
  HttpResponse r;
  r.status = status;
  if (!text.empty()) {
    r.headers.Add("Content-Type", "text/plain; charset=utf-8");
    r.body = std::string(text) + "\n";
  }
  if (status == 429 || status == 503) {
    r.headers.Add("Retry-After", std::to_string(internal::kRetryAfterSeconds));
  }
  if (status == 401) r.headers.Add("WWW-Authenticate", "Bearer");
  ctx.counters->CountHttp(status);
  responder.Respond(std::move(r));
}

void PostSpans(const std::shared_ptr<const ZipkinContext>& ctx, HttpRequest request,
               const HttpResponder& responder) {
  if (!internal::BearerTokenMatches(request.headers.Get("authorization").value_or(""),
                                    ctx->config.bearer_token)) {
    return Answer(*ctx, responder, 401, "missing or wrong bearer token");
  }
  std::string media = internal::MediaTypeOf(request);
  if (!media.empty() && media != "application/json") {
    return Answer(*ctx, responder, 415,
                  "unsupported media type \"" + media.substr(0, 64) +
                      "\": Zipkin v2 JSON (application/json) only");
  }
  Status body = internal::DecodeContentEncoding(request, ctx->config.max_request_body_bytes);
  if (!body.ok()) {
    return Answer(*ctx, responder, body.code() == StatusCode::kResourceExhausted ? 413 : 400,
                  body.message());
  }
  ZipkinDecodeOptions options;
  options.parse_string_tags = ctx->config.parse_string_tags;
  StatusOr<std::unique_ptr<model::SpanBatch>> batch = DecodeZipkinV2Json(request.body, options);
  if (!batch.ok()) return Answer(*ctx, responder, 400, batch.status().message());
  size_t count = (*batch)->spans.size();
  if (count == 0) return Answer(*ctx, responder, 202, "");
  // The decoded views point into the arena only: the request body can go.
  ctx->traces->ConsumeTraces(std::move(*batch), [ctx, responder, count](const Status& status) {
    if (status.ok()) {
      ctx->counters->CountItems(true, count, 0);
      return Answer(*ctx, responder, 202, "");
    }
    ctx->counters->CountItems(true, 0, count);
    Answer(*ctx, responder, internal::HttpStatusForConsumerError(status.code()), status.message());
  });
}

class ZipkinReceiver final : public Receiver {
 public:
  ZipkinReceiver(std::string id, const ZipkinReceiverConfig& config, TracesConsumer* traces)
      : id_(std::move(id)) {
    auto ctx = std::make_shared<ZipkinContext>();
    ctx->config = config;
    ctx->traces = traces;
    ctx_ = std::move(ctx);
  }
  ~ZipkinReceiver() override { (void)Shutdown(); }

  const std::string& id() const override { return id_; }

  Status Start() override {
    if (server_) return OkStatus();
    auto router = std::make_shared<net::HttpRouter>();
    if (ctx_->traces != nullptr) {
      router->HandleAsync(
          "POST", std::string(kSpansPath),
          [ctx = ctx_](HttpRequest r, const HttpResponder& w) { PostSpans(ctx, std::move(r), w); });
    }
    net::HttpServerOptions options;
    options.host = ctx_->config.endpoint.host;
    options.port = ctx_->config.endpoint.port;
    options.threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 2u));
    options.limits.max_body_bytes = ctx_->config.max_request_body_bytes;
    auto server = net::HttpServer::Start(options, [router](HttpRequest r, const HttpResponder& w) {
      router->Dispatch(std::move(r), w);
    });
    if (!server.ok()) {
      return Status(server.status().code(), "receivers." + id_ + ": " + server.status().message());
    }
    server_ = std::move(*server);
    return OkStatus();
  }

  Status Shutdown() override {
    if (server_) server_->Stop();
    return OkStatus();
  }

  uint16_t port(std::string_view protocol) const override {
    return protocol == "http" && server_ ? server_->port() : 0;
  }
  ReceiverStats stats() const override { return ctx_->counters->Snapshot(); }

 private:
  std::string id_;
  std::shared_ptr<const ZipkinContext> ctx_;
  std::unique_ptr<net::HttpServer> server_;
};

class ZipkinReceiverFactory final : public ReceiverFactory {
 public:
  std::string_view type() const override { return "zipkin"; }
  StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                         std::string_view path) const override {
    StatusOr<ZipkinReceiverConfig> config = ParseZipkinReceiverConfig(node, path);
    if (!config.ok()) return config.status();
    return std::unique_ptr<ComponentConfig>(
        std::make_unique<ZipkinReceiverConfig>(std::move(*config)));
  }
  StatusOr<std::unique_ptr<Component>> Create(std::string id, const ComponentConfig& config,
                                              TracesConsumer* traces,
                                              LogsConsumer* logs) const override {
    const auto* zipkin = dynamic_cast<const ZipkinReceiverConfig*>(&config);
    if (zipkin == nullptr) return InvalidArgumentError("receivers." + id + ": not a zipkin config");
    if (logs != nullptr) {
      return InvalidArgumentError("receivers." + id + ": zipkin carries traces only, not logs");
    }
    return std::unique_ptr<Component>(
        std::make_unique<ZipkinReceiver>(std::move(id), *zipkin, traces));
  }
};

}  // namespace

std::unique_ptr<ReceiverFactory> NewZipkinReceiverFactory() {
  return std::make_unique<ZipkinReceiverFactory>();
}

}  // namespace tracewire::collector
