#include "collector/exporter/otlphttp_exporter.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "collector/testing/fake_components.h"
#include "net/http_server.h"
#include "nlohmann/json.hpp"
#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/gzip.h"

namespace tracewire::collector {
namespace {

using namespace std::chrono_literals;
using testing::MakeSpans;

// A local OTLP/HTTP sink: records requests and answers from a script.
class Sink {
 public:
  struct Answer {
    int status = 200;
    std::string retry_after;
  };

  Sink() {
    net::HttpServerOptions options;
    auto server =
        net::HttpServer::Start(options, [this](const net::HttpRequest& r) { return Handle(r); });
    EXPECT_TRUE(server.ok());
    server_ = std::move(*server);
  }
  ~Sink() { server_->Stop(); }

  std::string url(std::string_view path = "") const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
  }
  void Script(std::vector<Answer> answers) {
    std::lock_guard lock(mutex_);
    script_ = std::move(answers);
  }
  void set_delay(std::chrono::milliseconds d) { delay_ = d; }
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout = 3s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
  }
  std::vector<std::pair<net::HttpRequest, std::chrono::steady_clock::time_point>> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  net::HttpResponse Handle(const net::HttpRequest& r) {
    Answer a;
    {
      std::lock_guard lock(mutex_);
      requests_.emplace_back(r, std::chrono::steady_clock::now());
      if (!script_.empty()) {
        a = script_.front();
        script_.erase(script_.begin());
      }
    }
    cv_.notify_all();
    if (delay_.count() > 0) std::this_thread::sleep_for(delay_);
    net::HttpResponse response;
    response.status = a.status;
    if (!a.retry_after.empty()) response.headers.Add("Retry-After", a.retry_after);
    return response;
  }

  std::unique_ptr<net::HttpServer> server_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Answer> script_;
  std::chrono::milliseconds delay_{0};
  std::vector<std::pair<net::HttpRequest, std::chrono::steady_clock::time_point>> requests_;
};

OtlpHttpExporterConfig BaseConfig(const Sink& sink) {
  OtlpHttpExporterConfig c;
  c.traces_url = sink.url("/v1/traces");
  c.logs_url = sink.url("/v1/logs");
  c.timeout = 2s;
  c.queue.enabled = false;  // done after the send: the tests see the outcome
  c.queue.num_consumers = 1;
  c.retry.initial_interval = 10ms;
  c.retry.max_interval = 50ms;
  c.retry.max_elapsed_time = 5s;
  c.log = [](std::string_view) {};
  return c;
}

struct Waiter {
  std::mutex mutex;
  std::condition_variable cv;
  std::optional<Status> result;
  ConsumeDone Callback() {
    return [this](Status s) {
      std::lock_guard lock(mutex);
      result = std::move(s);
      cv.notify_all();
    };
  }
  Status Wait() {
    std::unique_lock lock(mutex);
    cv.wait_for(lock, 10s, [this] { return result.has_value(); });
    return result.value_or(Status(StatusCode::kDeadlineExceeded, "no answer"));
  }
};

std::unique_ptr<Exporter> Make(const OtlpHttpExporterConfig& c) {
  StatusOr<std::unique_ptr<Exporter>> e = NewOtlpHttpExporter("otlphttp/test", c);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_TRUE((*e)->Start().ok());
  return std::move(*e);
}

TEST(OtlpHttpExporterTest, PostsGzippedProtobufWithTheConfiguredHeaders) {
  Sink sink;
  OtlpHttpExporterConfig c = BaseConfig(sink);
  c.headers = {{"Authorization", "Bearer t0ken"}, {"x-sls-project", "p"}};
  auto e = Make(c);
  Waiter w;
  e->ConsumeTraces(MakeSpans(3), w.Callback());
  ASSERT_TRUE(w.Wait().ok());
  auto requests = sink.requests();
  ASSERT_EQ(requests.size(), 1u);
  const net::HttpRequest& r = requests[0].first;
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/v1/traces");
  EXPECT_EQ(r.headers.Get("Authorization").value_or(""), "Bearer t0ken");
  EXPECT_EQ(r.headers.Get("x-sls-project").value_or(""), "p");
  EXPECT_EQ(r.headers.Get("Content-Type").value_or(""), "application/x-protobuf");
  EXPECT_EQ(r.headers.Get("Content-Encoding").value_or(""), "gzip");
  std::string plain;
  ASSERT_TRUE(otlp::GzipDecompress(r.body, plain, 1 << 20).ok());
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest req;
  ASSERT_TRUE(req.ParseFromString(plain));
  ASSERT_EQ(req.resource_spans_size(), 1);
  ASSERT_EQ(req.resource_spans(0).scope_spans(0).spans_size(), 3);
  EXPECT_EQ(req.resource_spans(0).scope_spans(0).spans(2).name(), "span-2");
}

TEST(OtlpHttpExporterTest, RetriesA503AfterTheRetryAfterDelay) {
  Sink sink;
  sink.Script({{503, "1"}, {200, ""}});
  auto e = Make(BaseConfig(sink));
  Waiter w;
  e->ConsumeTraces(MakeSpans(1), w.Callback());
  ASSERT_TRUE(w.Wait().ok());
  auto requests = sink.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_GE(requests[1].second - requests[0].second, 900ms);  // Retry-After: 1 (s), not 10 ms
  EXPECT_EQ(requests[0].first.body, requests[1].first.body);
}

TEST(OtlpHttpExporterTest, DoesNotRetryABadRequest) {
  Sink sink;
  sink.Script({{400, ""}});
  auto e = Make(BaseConfig(sink));
  Waiter w;
  e->ConsumeTraces(MakeSpans(1), w.Callback());
  Status s = w.Wait();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("HTTP 400"), std::string::npos);
  EXPECT_EQ(sink.requests().size(), 1u);
}

TEST(OtlpHttpExporterTest, GivesUpAfterMaxElapsedTime) {
  Sink sink;
  sink.Script({{503, ""}, {503, ""}, {503, ""}, {503, ""}, {503, ""}, {503, ""}, {503, ""}});
  OtlpHttpExporterConfig c = BaseConfig(sink);
  c.retry.max_elapsed_time = 100ms;
  auto e = Make(c);
  Waiter w;
  e->ConsumeTraces(MakeSpans(1), w.Callback());
  Status s = w.Wait();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("max_elapsed_time"), std::string::npos);
  EXPECT_GE(sink.requests().size(), 2u);
}

TEST(OtlpHttpExporterTest, JsonEncodingWithoutCompressionAndLogsToTheirPath) {
  Sink sink;
  OtlpHttpExporterConfig c = BaseConfig(sink);
  c.json = true;
  c.gzip = false;
  auto e = Make(c);
  Waiter w;
  e->ConsumeLogs(testing::MakeLogs(2), w.Callback());
  ASSERT_TRUE(w.Wait().ok());
  const net::HttpRequest r = sink.requests().at(0).first;
  EXPECT_EQ(r.target, "/v1/logs");
  EXPECT_EQ(r.headers.Get("Content-Type").value_or(""), "application/json");
  EXPECT_FALSE(r.headers.Get("Content-Encoding").has_value());
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.body;
  EXPECT_EQ(j["resourceLogs"][0]["scopeLogs"][0]["logRecords"].size(), 2u);
}

TEST(OtlpHttpExporterTest, AQueuedBatchIsAckedAtOnceAndAFullQueueRefuses) {
  Sink sink;
  sink.set_delay(300ms);
  OtlpHttpExporterConfig c = BaseConfig(sink);
  c.queue.enabled = true;
  c.queue.num_consumers = 1;
  c.queue.queue_size = 1;
  auto e = Make(c);
  Waiter first;
  e->ConsumeTraces(MakeSpans(1), first.Callback());
  EXPECT_TRUE(first.Wait().ok());
  ASSERT_TRUE(sink.WaitForRequests(1));  // the worker is busy with it
  Waiter second;
  e->ConsumeTraces(MakeSpans(1), second.Callback());
  EXPECT_TRUE(second.Wait().ok());
  Waiter third;
  e->ConsumeTraces(MakeSpans(1), third.Callback());
  EXPECT_EQ(third.Wait().code(), StatusCode::kResourceExhausted);
  ASSERT_TRUE(e->Shutdown().ok());  // drains the queued one
  EXPECT_EQ(sink.requests().size(), 2u);
}

TEST(OtlpHttpExporterTest, AnUnreachableEndpointIsUnavailable) {
  OtlpHttpExporterConfig c;
  c.traces_url = "http://127.0.0.1:1/v1/traces";
  c.queue.enabled = false;
  c.queue.num_consumers = 1;
  c.retry.enabled = false;
  c.log = [](std::string_view) {};
  auto e = Make(c);
  Waiter w;
  e->ConsumeTraces(MakeSpans(1), w.Callback());
  EXPECT_EQ(w.Wait().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace tracewire::collector

namespace tracewire::collector {
namespace {

TEST(OtlpHttpExporterConfigTest, BuildsSignalUrlsFromTheBaseEndpoint) {
  StatusOr<std::unique_ptr<OtlpHttpExporterConfig>> c = ParseOtlpHttpExporterConfig(
      YAML::Load("{endpoint: 'http://h:4318/', logs_endpoint: 'http://l:1/custom', "
                 "timeout: 3s, retry_on_failure: {max_elapsed_time: 0}, "
                 "sending_queue: {num_consumers: 2, queue_size: 50}}"),
      "exporters.otlphttp");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ((*c)->traces_url, "http://h:4318/v1/traces");
  EXPECT_EQ((*c)->logs_url, "http://l:1/custom");
  EXPECT_TRUE((*c)->gzip);  // the OTel Collector's default
  EXPECT_EQ((*c)->timeout, std::chrono::seconds(3));
  EXPECT_EQ((*c)->retry.max_elapsed_time.count(), 0);
  EXPECT_EQ((*c)->retry.initial_interval, std::chrono::seconds(5));
  EXPECT_EQ((*c)->queue.num_consumers, 2u);
  EXPECT_EQ((*c)->queue.queue_size, 50u);
}

}  // namespace
}  // namespace tracewire::collector
