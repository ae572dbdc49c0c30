// OTLP/HTTP: real requests with net::HttpClient against the "otlp" receiver on port 0.
#include <gtest/gtest.h>

#include <chrono>

#include "collector/partial_success.h"
#include "collector/receiver/testing/capturing_consumer.h"
#include "collector/receiver/testing/otlp_requests.h"
#include "net/http_client.h"
#include "net/testing/raw_tcp.h"
#include "otlp/export_response.h"
#include "otlp/gzip.h"

namespace tracewire::collector {
namespace {

using net::HttpRequest;
using net::HttpResponse;
using std::chrono::milliseconds;
using testing::CapturingConsumer;

constexpr char kHttpOnly[] = "protocols: {http: {endpoint: '127.0.0.1:0'}}";

class OtlpHttpReceiverTest : public ::testing::Test {
 protected:
  void Start(const std::string& yaml = kHttpOnly, bool logs = true) {
    Status error;
    receiver_ = testing::StartReceiver(*NewOtlpReceiverFactory(), yaml, &consumer_,
                                       logs ? &consumer_ : nullptr, &error);
    ASSERT_NE(receiver_, nullptr) << error.ToString();
    client_ = net::HttpClient::Create("127.0.0.1", receiver_->port("http"));
  }
  HttpResponse Post(std::string path, std::string type, std::string body,
                    std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpRequest r;
    r.method = "POST";
    r.target = std::move(path);
    if (!type.empty()) r.headers.Add("Content-Type", type);
    for (auto& [k, v] : headers) r.headers.Add(k, v);
    r.body = std::move(body);
    StatusOr<HttpResponse> response = client_->Send(r, milliseconds(5000));
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : HttpResponse{};
  }
  HttpResponse PostTraces(std::string body) {
    return Post("/v1/traces", "application/x-protobuf", std::move(body));
  }

  CapturingConsumer consumer_;
  std::unique_ptr<Receiver> receiver_;
  std::unique_ptr<net::HttpClient> client_;
};

TEST_F(OtlpHttpReceiverTest, TakesProtobufTracesAndAnswers200WithAnEmptyResponse) {
  Start();
  HttpResponse r = PostTraces(testing::TraceRequestProto(3));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("content-type"), "application/x-protobuf");
  EXPECT_EQ(r.body, "");  // partial_success unset
  ASSERT_EQ(consumer_.traces().size(), 1u);
  EXPECT_EQ(consumer_.traces()[0]->spans.size(), 3u);
  EXPECT_EQ(consumer_.traces()[0]->resources[0].service_name, "svc");
  ReceiverStats stats = receiver_->stats();
  EXPECT_EQ(stats.accepted_spans, 3u);
  EXPECT_EQ(stats.requests["http 200"], 1u);
}

TEST_F(OtlpHttpReceiverTest, TakesJsonTracesAndAnswersInJson) {
  Start();
  HttpResponse r =
      Post("/v1/traces", "application/json; charset=utf-8", testing::kTraceRequestJson);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.Get("content-type"), "application/json");
  EXPECT_EQ(r.body, "{}");
  ASSERT_EQ(consumer_.traces().size(), 1u);
  const model::Span& span = consumer_.traces()[0]->spans[0];
  EXPECT_EQ(span.trace_id.ToHex(), "5b8efff798038103d269b633813fc60c");
  EXPECT_EQ(span.kind, model::SpanKind::kServer);
}

TEST_F(OtlpHttpReceiverTest, DecompressesGzipBodies) {
  Start();
  std::string zipped;
  ASSERT_TRUE(otlp::GzipCompress(testing::TraceRequestProto(2), zipped).ok());
  HttpResponse r =
      Post("/v1/traces", "application/x-protobuf", zipped, {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(consumer_.traces().size(), 1u);
  EXPECT_EQ(consumer_.traces()[0]->spans.size(), 2u);
}

TEST_F(OtlpHttpReceiverTest, Answers400ForUnknownEncodingsAndCorruptGzip) {
  Start();
  HttpResponse r = Post("/v1/traces", "application/x-protobuf", "x", {{"Content-Encoding", "br"}});
  EXPECT_EQ(r.status, 400);
  r = Post("/v1/traces", "application/x-protobuf", "not gzip", {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(otlp::StatusMessageFromProto(r.body).find("gzip"), std::string::npos);
}

TEST_F(OtlpHttpReceiverTest, Answers415ForOtherMediaTypes) {
  Start();
  EXPECT_EQ(Post("/v1/traces", "text/plain", "x").status, 415);
  EXPECT_EQ(Post("/v1/traces", "", "x").status, 415);
  EXPECT_TRUE(consumer_.traces().empty());
}

TEST_F(OtlpHttpReceiverTest, Answers413OverTheLimitBeforeAndAfterDecompression) {
  Start("protocols: {http: {endpoint: '127.0.0.1:0', max_request_body_size: 1000}}");
  std::string zipped;
  ASSERT_TRUE(otlp::GzipCompress(std::string(5000, 'a'), zipped).ok());
  ASSERT_LT(zipped.size(), 1000u);
  HttpResponse r =
      Post("/v1/traces", "application/x-protobuf", zipped, {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(otlp::StatusMessageFromProto(r.body).find("1000"), std::string::npos);
  client_ = net::HttpClient::Create("127.0.0.1", receiver_->port("http"));
  EXPECT_EQ(Post("/v1/traces", "application/x-protobuf", std::string(1001, 'a')).status, 413);
}

TEST_F(OtlpHttpReceiverTest, Answers400WithAStatusInTheRequestsEncodingForBadData) {
  Start();
  HttpResponse r = PostTraces("\xff\xff\xff");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.headers.Get("content-type"), "application/x-protobuf");
  EXPECT_FALSE(otlp::StatusMessageFromProto(r.body).empty());
  r = Post("/v1/traces", "application/json", "{\"resourceSpans\":");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.headers.Get("content-type"), "application/json");
  EXPECT_FALSE(otlp::StatusMessageFromJson(r.body).empty());
  EXPECT_TRUE(consumer_.traces().empty());
}

TEST_F(OtlpHttpReceiverTest, ReportsSpansTheDecoderLeftOutAsPartialSuccess) {
  Start();
  HttpResponse r = PostTraces(testing::TraceRequestProto(2, /*bad_ids=*/1));
  EXPECT_EQ(r.status, 200);
  auto partial = otlp::ParseExportTraceResponseProto(r.body);
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->rejected_spans, 1);
  EXPECT_FALSE(partial->error_message.empty());
  EXPECT_EQ(consumer_.traces()[0]->spans.size(), 2u);
  EXPECT_EQ(receiver_->stats().refused_spans, 1u);
}

TEST_F(OtlpHttpReceiverTest, ReportsThePipelinesPartialSuccess) {
  Start();
  consumer_.AnswerWith(PartialSuccessStatus(2, "spans per trace over the limit"));
  HttpResponse r = Post("/v1/traces", "application/json", testing::kTraceRequestJson);
  EXPECT_EQ(r.status, 200);
  auto partial = otlp::ParseExportTraceResponseJson(r.body);
  ASSERT_TRUE(partial.ok()) << r.body;
  EXPECT_EQ(partial->rejected_spans, 1);  // capped at what was sent
  EXPECT_EQ(partial->error_message, "spans per trace over the limit");
}

TEST_F(OtlpHttpReceiverTest, MapsPipelineErrorsToStatusesWithRetryAfterWhenThrottled) {
  Start();
  struct Case {
    Status status;
    int http;
    bool retry_after;
  } cases[] = {
      {ResourceExhaustedError("memory limit"), 429, true},
      {UnavailableError("disk full"), 503, true},
      {InvalidArgumentError("bad"), 400, false},
      {InternalError("oops"), 500, false},
  };
  for (const Case& c : cases) {
    consumer_.AnswerWith(c.status);
    HttpResponse r = PostTraces(testing::TraceRequestProto(1));
    EXPECT_EQ(r.status, c.http) << c.status.ToString();
    EXPECT_EQ(r.headers.Get("retry-after").has_value(), c.retry_after);
    EXPECT_EQ(otlp::StatusMessageFromProto(r.body), c.status.message());
  }
  ReceiverStats stats = receiver_->stats();
  EXPECT_EQ(stats.refused_spans, 4u);
  EXPECT_EQ(stats.requests["http 429"], 1u);
  EXPECT_EQ(stats.requests["http 503"], 1u);
}

TEST_F(OtlpHttpReceiverTest, TakesLogsAndHasNoRouteForASignalWithoutPipeline) {
  Start(kHttpOnly, /*logs=*/true);
  HttpResponse r = Post("/v1/logs", "application/x-protobuf", testing::LogsRequestProto(4));
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(consumer_.logs().size(), 1u);
  EXPECT_EQ(consumer_.logs()[0]->records.size(), 4u);
  EXPECT_EQ(receiver_->stats().accepted_log_records, 4u);
  receiver_.reset();
  Start(kHttpOnly, /*logs=*/false);
  EXPECT_EQ(Post("/v1/logs", "application/x-protobuf", testing::LogsRequestProto(1)).status, 404);
}

TEST_F(OtlpHttpReceiverTest, ServesConfiguredPathsAndRefusesOtherMethods) {
  Start("protocols: {http: {endpoint: '127.0.0.1:0', traces_url_path: /t}}");
  EXPECT_EQ(Post("/t", "application/x-protobuf", testing::TraceRequestProto(1)).status, 200);
  EXPECT_EQ(Post("/v1/traces", "application/x-protobuf", "").status, 404);
  HttpRequest get;
  get.target = "/t";
  auto r = client_->Send(get, milliseconds(5000));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 405);
}

TEST_F(OtlpHttpReceiverTest, RequiresTheBearerTokenWhenConfigured) {
  Start("protocols: {http: {endpoint: '127.0.0.1:0', auth: {bearer_token: s3cret}}}");
  HttpResponse r = PostTraces(testing::TraceRequestProto(1));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers.Get("www-authenticate"), "Bearer");
  r = Post("/v1/traces", "application/x-protobuf", testing::TraceRequestProto(1),
           {{"Authorization", "Bearer wrong"}});
  EXPECT_EQ(r.status, 401);
  r = Post("/v1/traces", "application/x-protobuf", testing::TraceRequestProto(1),
           {{"Authorization", "bearer s3cret"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(consumer_.traces().size(), 1u);
}

TEST_F(OtlpHttpReceiverTest, AnswersCorsPreflightsForAllowedOrigins) {
  Start(
      "protocols: {http: {endpoint: '127.0.0.1:0', cors: {allowed_origins: "
      "['https://*.example.com'], max_age: 600}}}");
  HttpRequest preflight;
  preflight.method = "OPTIONS";
  preflight.target = "/v1/traces";
  preflight.headers.Add("Origin", "https://app.example.com");
  preflight.headers.Add("Access-Control-Request-Method", "POST");
  preflight.headers.Add("Access-Control-Request-Headers", "content-type, x-secret");
  auto r = client_->Send(preflight, milliseconds(5000));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->headers.Get("access-control-allow-origin"), "https://app.example.com");
  EXPECT_EQ(r->headers.Get("access-control-allow-headers"), "content-type");
  EXPECT_EQ(r->headers.Get("access-control-max-age"), "600");
  preflight.headers.Set("Origin", "https://evil.test");
  r = client_->Send(preflight, milliseconds(5000));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->headers.Get("access-control-allow-origin").has_value());
  HttpResponse post = Post("/v1/traces", "application/json", testing::kTraceRequestJson,
                           {{"Origin", "https://app.example.com"}});
  EXPECT_EQ(post.headers.Get("access-control-allow-origin"), "https://app.example.com");
}

TEST_F(OtlpHttpReceiverTest, KeepsManyPipelinedRequestsInFlightAndAnswersInOrder) {
  Start();
  consumer_.Hold();
  constexpr int kRequests = 32;
  std::string wire;
  for (int i = 0; i < kRequests; ++i) {
    bool json = i % 2 == 0;
    std::string body =
        json ? std::string(testing::kTraceRequestJson) : testing::TraceRequestProto(i % 5 + 1);
    wire += "POST /v1/traces HTTP/1.1\r\nHost: h\r\nContent-Type: ";
    wire += json ? "application/json" : "application/x-protobuf";
    wire += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  auto conn = net::testing::RawConnection::Connect(receiver_->port("http"));
  ASSERT_TRUE(conn->Send(wire));
  ASSERT_TRUE(consumer_.WaitForBatches(kRequests));  // all in the pipeline at once
  consumer_.Release();                               // answered in reverse order
  std::string all;
  size_t responses = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (responses < kRequests && std::chrono::steady_clock::now() < deadline) {
    all += conn->ReadUntil("\r\n\r\n", milliseconds(200));
    responses = 0;
    for (size_t at = all.find("HTTP/1.1 200"); at != std::string::npos;
         at = all.find("HTTP/1.1 200", at + 1)) {
      ++responses;
    }
  }
  EXPECT_EQ(responses, size_t{kRequests});
  // Answers follow request order: JSON (even) and protobuf (odd) alternate.
  size_t first_json = all.find("application/json");
  size_t first_proto = all.find("application/x-protobuf");
  EXPECT_LT(first_json, first_proto);
}

}  // namespace
}  // namespace tracewire::collector
