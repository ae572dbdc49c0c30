#include "collector/exporter/otlphttp_exporter.h"

#include <cstdio>

#include "collector/config_reader.h"
#include "collector/exporter/exporter_factories.h"
#include "net/http_client.h"
#include "otlp/batch_encoder.h"
#include "otlp/export_response.h"
#include "otlp/gzip.h"
#include "otlp/retry_after.h"

namespace tracewire::collector {

Status FillOtlpHttpExporterConfig(const YAML::Node& node, std::string_view path,
                                  OtlpHttpExporterConfig* c);

namespace {

using std::chrono::milliseconds;

constexpr size_t kMaxMessageBytes = 200;

std::string Clip(std::string s) {
  if (s.size() > kMaxMessageBytes) s.resize(kMaxMessageBytes);
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

StatusCode CodeForHttpStatus(int status) {
  switch (status) {
    case 400: return StatusCode::kInvalidArgument;
    case 401: return StatusCode::kUnauthenticated;
    case 403: return StatusCode::kPermissionDenied;
    case 404: return StatusCode::kNotFound;
    case 413: return StatusCode::kOutOfRange;
    case 429: return StatusCode::kResourceExhausted;
    case 502:
    case 503:
    case 504: return StatusCode::kUnavailable;
    default: return status >= 500 ? StatusCode::kInternal : StatusCode::kUnknown;
  }
}

// "<base>/v1/<signal>" as the OTel Collector builds it from `endpoint`.
std::string SignalUrl(std::string base, std::string_view signal) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/v1/" + std::string(signal);
}

Status CheckUrl(const std::string& url, const std::string& path) {
  StatusOr<net::HttpUrl> parsed = net::HttpUrl::Parse(url);
  if (parsed.ok()) return OkStatus();
  if (parsed.status().code() == StatusCode::kUnimplemented) {
    return InvalidArgumentError(path + ": https is not supported yet (plain http:// only)");
  }
  return InvalidArgumentError(path + ": not an http URL: " + parsed.status().message());
}

// One destination (traces or logs URL) as seen by one worker thread.
struct Destination {
  net::HttpUrl url;
  std::unique_ptr<net::HttpClient> client;  // lazily created
};

class OtlpHttpExporter final : public Exporter {
 public:
  OtlpHttpExporter(std::string id, const OtlpHttpExporterConfig& config,
                   std::optional<net::HttpUrl> traces, std::optional<net::HttpUrl> logs)
      : id_(std::move(id)),
        config_(config),
        queue_(id_, config.retry, config.queue, [this](std::string_view m) { Log(m); }) {
    workers_.resize(queue_.num_workers());
    for (Worker& w : workers_) {
      if (traces) w.traces = Destination{*traces, nullptr};
      if (logs) w.logs = Destination{*logs, nullptr};
    }
  }
  ~OtlpHttpExporter() override { (void)Shutdown(); }

  const std::string& id() const override { return id_; }
  Status Start() override {
    queue_.Start();
    return OkStatus();
  }
  Status Shutdown() override {
    queue_.Shutdown();
    return OkStatus();
  }

  void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) override {
    if (config_.traces_url.empty()) {
      return done(FailedPreconditionError(id_ + ": no traces endpoint configured"));
    }
    const size_t n = batch->spans.size();
    auto body = std::make_shared<std::string>();
    std::shared_ptr<const model::SpanBatch> held = std::move(batch);
    queue_.Submit(
        [this, held, body](size_t worker) mutable {
          if (held) {  // encode on the first attempt, then let the batch go
            if (config_.json) {
              otlp::EncodeTracesJson(*held, body.get());
            } else {
              otlp::EncodeTracesProto(*held, body.get());
            }
            held.reset();
            if (Status s = Compress(*body); !s.ok()) return Attempt{s, false, std::nullopt};
          }
          return Send(*workers_[worker].traces, *body);
        },
        std::to_string(n) + " spans", std::move(done));
  }

  void ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) override {
    if (config_.logs_url.empty()) {
      return done(FailedPreconditionError(id_ + ": no logs endpoint configured"));
    }
    const size_t n = batch->records.size();
    auto body = std::make_shared<std::string>();
    std::shared_ptr<const model::LogBatch> held = std::move(batch);
    queue_.Submit(
        [this, held, body](size_t worker) mutable {
          if (held) {
            if (config_.json) {
              otlp::EncodeLogsJson(*held, body.get());
            } else {
              otlp::EncodeLogsProto(*held, body.get());
            }
            held.reset();
            if (Status s = Compress(*body); !s.ok()) return Attempt{s, false, std::nullopt};
          }
          return Send(*workers_[worker].logs, *body);
        },
        std::to_string(n) + " log records", std::move(done));
  }

 private:
  struct Worker {
    std::optional<Destination> traces;
    std::optional<Destination> logs;
  };

  Status Compress(std::string& body) const {
    if (!config_.gzip) return OkStatus();
    std::string out;
    TW_RETURN_IF_ERROR(otlp::GzipCompress(body, out));
    body.swap(out);
    return OkStatus();
  }

  // One POST. Runs on the worker owning `dest`.
  Attempt Send(Destination& dest, const std::string& body) {
    if (!dest.client) dest.client = net::HttpClient::Create(dest.url.host, dest.url.port);
    net::HttpRequest request;
    request.method = "POST";
    request.target = dest.url.target;
    for (const auto& [name, value] : config_.headers) request.headers.Add(name, value);
    request.headers.Set("User-Agent", "tracewire-collector/0.1");
    request.headers.Set("Content-Type",
                        config_.json ? "application/json" : "application/x-protobuf");
    if (config_.gzip) request.headers.Set("Content-Encoding", "gzip");
    request.body = body;
    const std::string where = dest.url.host + ":" + std::to_string(dest.url.port);
    StatusOr<net::HttpResponse> response =
        dest.client->Send(request, std::chrono::duration_cast<milliseconds>(config_.timeout));
    if (!response.ok()) {
      const StatusCode code = response.status().code();
      const bool retryable =
          code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded;
      return Attempt{Status(code, id_ + ": " + where + ": " + response.status().message()),
                     retryable, std::nullopt};
    }
    const int http = response->status;
    if (http >= 200 && http < 300) {
      if (!config_.json) {
        StatusOr<otlp::PartialSuccess> partial =
            otlp::ParseExportTraceResponseProto(response->body);
        if (partial.ok() && partial->rejected_spans > 0) {
          Log(id_ + ": " + where + ": partial success, " + std::to_string(partial->rejected_spans) +
              " rejected: " + Clip(partial->error_message));
        }
      }
      return Attempt{OkStatus(), false, std::nullopt};
    }
    std::string detail = config_.json ? otlp::StatusMessageFromJson(response->body)
                                      : otlp::StatusMessageFromProto(response->body);
    std::string message = id_ + ": " + where + " answered HTTP " + std::to_string(http);
    if (!detail.empty()) message += ": " + Clip(std::move(detail));
    Attempt a{Status(CodeForHttpStatus(http), std::move(message)), false, std::nullopt};
    a.retryable = http == 429 || http == 502 || http == 503 || http == 504;
    if (auto v = response->headers.Get("Retry-After")) {
      a.retry_after = otlp::ParseRetryAfter(*v, std::chrono::system_clock::now());
    }
    return a;
  }

  void Log(std::string_view message) const {
    if (config_.log) return config_.log(message);
    std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
  }

  const std::string id_;
  const OtlpHttpExporterConfig config_;
  std::vector<Worker> workers_;  // one per queue worker; sized before the queue starts
  SendQueue queue_;              // last: its workers stop before the members above go
};

class OtlpHttpExporterFactory final : public ExporterFactory {
 public:
  std::string_view type() const override { return "otlphttp"; }
  StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                         std::string_view path) const override {
    return ParseConfigWith<OtlpHttpExporterConfig, ComponentConfig>(FillOtlpHttpExporterConfig,
                                                                    node, path);
  }
  StatusOr<std::unique_ptr<Exporter>> Create(std::string id, const ComponentConfig& config,
                                             const BuildContext&) const override {
    return NewOtlpHttpExporter(std::move(id), static_cast<const OtlpHttpExporterConfig&>(config));
  }
};

}  // namespace

Status CheckHeaders(const std::vector<std::pair<std::string, std::string>>& headers,
                    const std::string& path) {
  for (const auto& [name, value] : headers) {
    bool ok = !name.empty();
    for (char c : name) {
      const bool tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') ||
                         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
      ok = ok && tchar;
    }
    if (!ok) return InvalidArgumentError(path + ": '" + Clip(name) + "' is not a header name");
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      std::string where = path;
      where.append(".").append(name);
      return InvalidArgumentError(where + ": the value holds CR, LF or NUL (value not shown)");
    }
  }
  return OkStatus();
}

Status FillOtlpHttpExporterConfig(const YAML::Node& node, std::string_view path,
                                  OtlpHttpExporterConfig* c) {
  StatusOr<ConfigMap> map = ConfigMap::Open(node, std::string(path));
  if (!map.ok()) return map.status();
  std::string endpoint;
  TW_RETURN_IF_ERROR(map->ReadString("endpoint", &endpoint));
  TW_RETURN_IF_ERROR(map->ReadString("traces_endpoint", &c->traces_url));
  TW_RETURN_IF_ERROR(map->ReadString("logs_endpoint", &c->logs_url));
  std::string unused_metrics;
  TW_RETURN_IF_ERROR(map->ReadString("metrics_endpoint", &unused_metrics));
  TW_RETURN_IF_ERROR(map->ReadStringMap("headers", &c->headers));
  std::string compression = "gzip";
  TW_RETURN_IF_ERROR(map->ReadEnum("compression", {"gzip", "none", ""}, &compression));
  c->gzip = compression == "gzip";
  std::string encoding = "proto";
  TW_RETURN_IF_ERROR(map->ReadEnum("encoding", {"proto", "json"}, &encoding));
  c->json = encoding == "json";
  TW_RETURN_IF_ERROR(map->ReadDuration("timeout", &c->timeout));
  StatusOr<ConfigMap> tls = map->Sub("tls");
  if (!tls.ok()) return tls.status();
  bool insecure = false;
  TW_RETURN_IF_ERROR(tls->ReadBool("insecure", &insecure));
  TW_RETURN_IF_ERROR(tls->CheckNoUnknownKeys());
  TW_RETURN_IF_ERROR(ParseRetryConfig(*map, &c->retry));
  TW_RETURN_IF_ERROR(ParseQueueConfig(*map, &c->queue));
  TW_RETURN_IF_ERROR(map->CheckNoUnknownKeys());

  if (endpoint.empty() && c->traces_url.empty() && c->logs_url.empty()) {
    return InvalidArgumentError(map->PathOf("endpoint") +
                                ": required (or traces_endpoint / logs_endpoint)");
  }
  if (!endpoint.empty()) {
    TW_RETURN_IF_ERROR(CheckUrl(endpoint, map->PathOf("endpoint")));
    if (c->traces_url.empty()) c->traces_url = SignalUrl(endpoint, "traces");
    if (c->logs_url.empty()) c->logs_url = SignalUrl(endpoint, "logs");
  }
  if (!c->traces_url.empty()) {
    TW_RETURN_IF_ERROR(CheckUrl(c->traces_url, map->PathOf("traces_endpoint")));
  }
  if (!c->logs_url.empty()) TW_RETURN_IF_ERROR(CheckUrl(c->logs_url, map->PathOf("logs_endpoint")));
  TW_RETURN_IF_ERROR(CheckHeaders(c->headers, map->PathOf("headers")));
  if (c->timeout.count() <= 0) {
    return InvalidArgumentError(map->PathOf("timeout") + ": must be greater than zero");
  }
  return OkStatus();
}

StatusOr<std::unique_ptr<OtlpHttpExporterConfig>> ParseOtlpHttpExporterConfig(
    const YAML::Node& node, std::string_view path) {
  return ParseConfigWith(FillOtlpHttpExporterConfig, node, path);
}

StatusOr<std::unique_ptr<Exporter>> NewOtlpHttpExporter(std::string id,
                                                        const OtlpHttpExporterConfig& config) {
  std::optional<net::HttpUrl> traces;
  std::optional<net::HttpUrl> logs;
  if (!config.traces_url.empty()) {
    StatusOr<net::HttpUrl> u = net::HttpUrl::Parse(config.traces_url);
    if (!u.ok()) return InvalidArgumentError(id + ": traces endpoint: " + u.status().message());
    traces = std::move(*u);
  }
  if (!config.logs_url.empty()) {
    StatusOr<net::HttpUrl> u = net::HttpUrl::Parse(config.logs_url);
    if (!u.ok()) return InvalidArgumentError(id + ": logs endpoint: " + u.status().message());
    logs = std::move(*u);
  }
  return std::unique_ptr<Exporter>(std::make_unique<OtlpHttpExporter>(
      std::move(id), config, std::move(traces), std::move(logs)));
}

std::unique_ptr<ExporterFactory> NewOtlpHttpExporterFactory() {
  return std::make_unique<OtlpHttpExporterFactory>();
}

}  // namespace tracewire::collector
