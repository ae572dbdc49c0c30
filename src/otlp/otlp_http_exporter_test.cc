#include "otlp/otlp_http_exporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "google/rpc/status.pb.h"
#include "net/http_server.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/gzip.h"
#include "otlp/testing/test_spans.h"

namespace tracewire::otlp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
namespace pb = ::opentelemetry::proto::collector::trace::v1;

constexpr char kSecret[] = "s3cr3t-token-value";

// A local OTLP/HTTP endpoint: answers with scripted responses (then 200) and records requests.
class FakeCollector {
 public:
  FakeCollector() {
    auto server =
        net::HttpServer::Start({}, [this](const net::HttpRequest& r) { return Handle(r); });
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }
  ~FakeCollector() {
    Release();
    server_->Stop();
  }

  std::string endpoint() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/v1/traces";
  }

  void Script(net::HttpResponse response) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(response));
  }
  // Makes the handler block (up to 10 s) until Release().
  void Hang() { hang_ = true; }
  void Release() {
    std::lock_guard lock(mu_);
    hang_ = false;
    cv_.notify_all();
  }

  std::vector<net::HttpRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  net::HttpResponse Handle(const net::HttpRequest& request) {
    std::unique_lock lock(mu_);
    requests_.push_back(request);
    cv_.wait_for(lock, std::chrono::seconds(10), [this] { return !hang_.load(); });
    if (script_.empty()) return net::HttpResponse{};
    net::HttpResponse r = std::move(script_.front());
    script_.pop_front();
    return r;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> hang_{false};
  std::deque<net::HttpResponse> script_;
  std::vector<net::HttpRequest> requests_;
  std::unique_ptr<net::HttpServer> server_;
};

net::HttpResponse Respond(int status, std::string body = {}, const std::string& retry_after = {}) {
  net::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  if (!retry_after.empty()) r.headers.Add("Retry-After", retry_after);
  return r;
}

class OtlpHttpExporterTest : public ::testing::Test {
 protected:
  OtlpHttpExporterTest() {
    testing::FillResourceAndScope(set_);
    set_.spans.push_back(testing::FullSpan(set_, 1));
    set_.spans.push_back(testing::FullSpan(set_, 2));
    batch_ = set_.Pointers();
  }

  OtlpHttpExporterOptions Options() {
    OtlpHttpExporterOptions o;
    o.endpoint = collector_.endpoint();
    o.headers = {{"x-sls-token", kSecret}, {"x-project", "demo"}};
    o.retry.initial_backoff = milliseconds(10);
    o.retry.max_backoff = milliseconds(40);
    o.log = [this](std::string_view m) {
      std::lock_guard lock(log_mu_);
      log_ += std::string(m) + "\n";
    };
    return o;
  }

  std::unique_ptr<OtlpHttpExporter> Make(OtlpHttpExporterOptions o) {
    auto e = OtlpHttpExporter::Create(std::move(o));
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    return std::move(*e);
  }

  std::string log() {
    std::lock_guard lock(log_mu_);
    return log_;
  }

  FakeCollector collector_;
  testing::SpanSet set_;
  std::vector<const trace::SpanData*> batch_;
  std::mutex log_mu_;
  std::string log_;
};

TEST_F(OtlpHttpExporterTest, PostsProtobufWithItsContentTypeAndConfiguredHeaders) {
  auto exporter = Make(Options());
  ASSERT_TRUE(exporter->Export(batch_).ok());
  const auto requests = collector_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const net::HttpRequest& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/v1/traces");
  EXPECT_EQ(r.headers.Get("Content-Type"), "application/x-protobuf");
  EXPECT_EQ(r.headers.Get("x-sls-token"), kSecret);
  EXPECT_EQ(r.headers.Get("x-project"), "demo");
  EXPECT_FALSE(r.headers.Get("Content-Encoding").has_value());
  pb::ExportTraceServiceRequest body;
  ASSERT_TRUE(body.ParseFromString(r.body));
  ASSERT_EQ(body.resource_spans(0).scope_spans(0).spans_size(), 2);
  EXPECT_EQ(body.resource_spans(0).scope_spans(0).spans(1).name(), batch_[1]->name);
  EXPECT_EQ(exporter->stats().exported_spans, 2u);
}

TEST_F(OtlpHttpExporterTest, JsonProtocolPostsApplicationJson) {
  auto o = Options();
  o.protocol = OtlpProtocol::kHttpJson;
  auto exporter = Make(std::move(o));
  ASSERT_TRUE(exporter->Export(batch_).ok());
  const auto requests = collector_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].headers.Get("Content-Type"), "application/json");
  const auto doc = nlohmann::json::parse(requests[0].body, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["resourceSpans"][0]["scopeSpans"][0]["spans"][0]["traceId"],
            batch_[0]->trace_id.ToHex());
}

TEST_F(OtlpHttpExporterTest, GzipCompressionSetsContentEncodingAndTheBodyInflates) {
  auto o = Options();
  o.compression = OtlpCompression::kGzip;
  auto exporter = Make(std::move(o));
  ASSERT_TRUE(exporter->Export(batch_).ok());
  const auto requests = collector_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].headers.Get("Content-Encoding"), "gzip");
  std::string inflated;
  ASSERT_TRUE(GzipDecompress(requests[0].body, inflated, 1 << 20).ok());
  pb::ExportTraceServiceRequest body;
  ASSERT_TRUE(body.ParseFromString(inflated));
  EXPECT_EQ(body.resource_spans(0).scope_spans(0).spans_size(), 2);
}

TEST_F(OtlpHttpExporterTest, A503IsRetriedAfterTheRetryAfterDelay) {
  collector_.Script(Respond(503, {}, "1"));
  auto exporter = Make(Options());
  const auto start = Clock::now();
  const Status s = exporter->Export(batch_);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_GE(Clock::now() - start, milliseconds(950));
  EXPECT_EQ(collector_.requests().size(), 2u);
  EXPECT_EQ(exporter->stats().retries, 1u);
}

TEST_F(OtlpHttpExporterTest, Statuses429And502And504AreRetriedWithBackoff) {
  collector_.Script(Respond(429));
  collector_.Script(Respond(502));
  collector_.Script(Respond(504));
  auto exporter = Make(Options());
  ASSERT_TRUE(exporter->Export(batch_).ok());
  EXPECT_EQ(collector_.requests().size(), 4u);
  EXPECT_EQ(exporter->stats().retries, 3u);
}

TEST_F(OtlpHttpExporterTest, A400IsNotRetriedAndCarriesTheServerMessage) {
  google::rpc::Status error;
  error.set_code(3);
  error.set_message("trace_id is empty");
  collector_.Script(Respond(400, error.SerializeAsString()));
  auto exporter = Make(Options());
  const Status s = exporter->Export(batch_);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("HTTP 400"));
  EXPECT_THAT(s.message(), HasSubstr("trace_id is empty"));
  EXPECT_EQ(collector_.requests().size(), 1u);
  EXPECT_EQ(exporter->stats().failed_batches, 1u);
}

TEST_F(OtlpHttpExporterTest, OtherServerErrorsAreNotRetried) {
  collector_.Script(Respond(500));
  auto exporter = Make(Options());
  EXPECT_EQ(exporter->Export(batch_).code(), StatusCode::kInternal);
  EXPECT_EQ(collector_.requests().size(), 1u);
}

TEST_F(OtlpHttpExporterTest, RetriesStopAfterMaxAttempts) {
  for (int i = 0; i < 5; ++i) collector_.Script(Respond(503));
  auto o = Options();
  o.retry.max_attempts = 3;
  auto exporter = Make(std::move(o));
  const Status s = exporter->Export(batch_);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_EQ(collector_.requests().size(), 3u);
}

TEST_F(OtlpHttpExporterTest, TheTimeoutBoundsASlowServer) {
  collector_.Hang();
  auto o = Options();
  o.timeout = milliseconds(300);
  auto exporter = Make(std::move(o));
  const auto start = Clock::now();
  EXPECT_EQ(exporter->Export(batch_).code(), StatusCode::kDeadlineExceeded);
  EXPECT_LT(Clock::now() - start, milliseconds(1500));
  collector_.Release();
}

TEST_F(OtlpHttpExporterTest, ARetryAfterBeyondTheTimeoutFailsAtOnce) {
  collector_.Script(Respond(503, {}, "30"));
  auto o = Options();
  o.timeout = milliseconds(2000);
  auto exporter = Make(std::move(o));
  const auto start = Clock::now();
  EXPECT_EQ(exporter->Export(batch_).code(), StatusCode::kUnavailable);
  EXPECT_LT(Clock::now() - start, milliseconds(1000));
  EXPECT_EQ(collector_.requests().size(), 1u);
}

TEST_F(OtlpHttpExporterTest, ConnectionFailuresAreRetriedThenReportedUnavailable) {
  auto closed =
      net::HttpServer::Start({}, [](const net::HttpRequest&) { return net::HttpResponse{}; });
  ASSERT_TRUE(closed.ok());
  const uint16_t port = (*closed)->port();
  (*closed)->Stop();
  closed->reset();
  auto o = Options();
  o.endpoint = "http://127.0.0.1:" + std::to_string(port) + "/v1/traces";
  o.retry.max_attempts = 3;
  auto exporter = Make(std::move(o));
  EXPECT_EQ(exporter->Export(batch_).code(), StatusCode::kUnavailable);
  EXPECT_EQ(exporter->stats().retries, 2u);
}

TEST_F(OtlpHttpExporterTest, PartialSuccessIsCountedAndLoggedWithoutHeaderValues) {
  pb::ExportTraceServiceResponse response;
  response.mutable_partial_success()->set_rejected_spans(1);
  response.mutable_partial_success()->set_error_message("span too large");
  collector_.Script(Respond(200, response.SerializeAsString()));
  auto exporter = Make(Options());
  ASSERT_TRUE(exporter->Export(batch_).ok());
  EXPECT_EQ(exporter->stats().rejected_spans, 1u);
  EXPECT_EQ(exporter->stats().exported_spans, 1u);
  EXPECT_THAT(log(), HasSubstr("1 of 2 spans rejected: span too large"));
  EXPECT_THAT(log(), Not(HasSubstr(kSecret)));
}

TEST_F(OtlpHttpExporterTest, ExportAfterShutdownFailsWithFailedPrecondition) {
  auto exporter = Make(Options());
  ASSERT_TRUE(exporter->Shutdown(milliseconds(100)).ok());
  ASSERT_TRUE(exporter->Shutdown(milliseconds(100)).ok());  // idempotent
  EXPECT_EQ(exporter->Export(batch_).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(collector_.requests().empty());
}

TEST_F(OtlpHttpExporterTest, ShutdownCutsARetryWaitShort) {
  collector_.Script(Respond(503, {}, "5"));
  auto exporter = Make(Options());
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(200));
    (void)exporter->Shutdown(milliseconds(100));
  });
  const auto start = Clock::now();
  EXPECT_EQ(exporter->Export(batch_).code(), StatusCode::kUnavailable);
  EXPECT_LT(Clock::now() - start, milliseconds(3000));
  stopper.join();
}

TEST_F(OtlpHttpExporterTest, ErrorsNeverQuoteHeaderValues) {
  auto o = Options();
  o.headers = {{"x-token", std::string(kSecret) + "\r\nX-Evil: 1"}};
  auto bad = OtlpHttpExporter::Create(std::move(o));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), Not(HasSubstr(kSecret)));
}

TEST_F(OtlpHttpExporterTest, AnEmptyBatchSendsNothing) {
  auto exporter = Make(Options());
  EXPECT_TRUE(exporter->Export({}).ok());
  EXPECT_TRUE(collector_.requests().empty());
}

}  // namespace
}  // namespace tracewire::otlp
