// The "zipkin" receiver: Envoy-shaped Zipkin v2 JSON posted with net::HttpClient.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "collector/receiver/testing/capturing_consumer.h"
#include "collector/receiver/testing/otlp_requests.h"
#include "collector/receiver/zipkin_v2_decoder.h"
#include "net/http_client.h"
#include "otlp/gzip.h"

namespace tracewire::collector {
namespace {

using net::HttpRequest;
using net::HttpResponse;
using std::chrono::milliseconds;

std::string EnvoyPayload() {
  std::ifstream in(std::string(TW_SOURCE_DIR) + "/testdata/zipkin/envoy_shared_span_context.json");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ZipkinReceiverTest : public ::testing::Test {
 protected:
  void Start(const std::string& yaml = "endpoint: '127.0.0.1:0'") {
    Status error;
    receiver_ =
        testing::StartReceiver(*NewZipkinReceiverFactory(), yaml, &consumer_, nullptr, &error);
    ASSERT_NE(receiver_, nullptr) << error.ToString();
    client_ = net::HttpClient::Create("127.0.0.1", receiver_->port("http"));
  }
  HttpResponse Post(std::string body, std::string type = "application/json",
                    std::string encoding = "", std::string path = "/api/v2/spans") {
    HttpRequest r;
    r.method = "POST";
    r.target = std::move(path);
    if (!type.empty()) r.headers.Add("Content-Type", type);
    if (!encoding.empty()) r.headers.Add("Content-Encoding", encoding);
    r.body = std::move(body);
    auto response = client_->Send(r, milliseconds(5000));
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : HttpResponse{};
  }

  testing::CapturingConsumer consumer_;
  std::unique_ptr<Receiver> receiver_;
  std::unique_ptr<net::HttpClient> client_;
};

TEST_F(ZipkinReceiverTest, TakesEnvoysPayloadAndAnswers202) {
  Start();
  HttpResponse r = Post(EnvoyPayload());
  EXPECT_EQ(r.status, 202);
  ASSERT_EQ(consumer_.traces().size(), 1u);
  const model::SpanBatch& batch = *consumer_.traces()[0];
  ASSERT_EQ(batch.spans.size(), 3u);
  model::SpanId caller = model::SpanId::FromHex("6b221d5bc9e6496c");
  EXPECT_EQ(batch.spans[1].parent_span_id, caller);
  EXPECT_EQ(batch.spans[1].span_id, SharedServerSpanId(caller));
  EXPECT_EQ(batch.spans[2].parent_span_id, caller);
  EXPECT_EQ(receiver_->stats().accepted_spans, 3u);
  EXPECT_EQ(receiver_->stats().requests["http 202"], 1u);
}

TEST_F(ZipkinReceiverTest, TakesGzipAndAnEmptyList) {
  Start();
  std::string zipped;
  ASSERT_TRUE(otlp::GzipCompress(EnvoyPayload(), zipped).ok());
  EXPECT_EQ(Post(zipped, "application/json", "gzip").status, 202);
  EXPECT_EQ(Post("[]").status, 202);
  EXPECT_EQ(consumer_.traces().size(), 1u);  // the empty list reaches no pipeline
}

TEST_F(ZipkinReceiverTest, RefusesBadDataOtherMediaTypesAndOversizedBodies) {
  Start("{endpoint: '127.0.0.1:0', max_request_body_size: 4096}");
  HttpResponse r = Post(R"([{"traceId":"zz","id":"1"}])");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("span[0].traceId"), std::string::npos) << r.body;
  EXPECT_EQ(Post("x", "application/x-protobuf").status, 415);
  std::string zipped;
  ASSERT_TRUE(otlp::GzipCompress(std::string(10000, ' ') + "[]", zipped).ok());
  EXPECT_EQ(Post(zipped, "application/json", "gzip").status, 413);
  EXPECT_EQ(Post("[]", "application/json", "", "/api/v1/spans").status, 404);
  EXPECT_TRUE(consumer_.traces().empty());
}

TEST_F(ZipkinReceiverTest, ThrottlesWithRetryAfter) {
  Start();
  consumer_.AnswerWith(ResourceExhaustedError("memory limit"));
  HttpResponse r = Post(EnvoyPayload());
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.headers.Get("retry-after"), "1");
  consumer_.AnswerWith(UnavailableError("disk full"));
  EXPECT_EQ(Post(EnvoyPayload()).status, 503);
  EXPECT_EQ(receiver_->stats().refused_spans, 6u);
}

TEST_F(ZipkinReceiverTest, CarriesNoLogs) {
  testing::CapturingConsumer logs;
  Status error;
  auto receiver =
      testing::StartReceiver(*NewZipkinReceiverFactory(), "", &consumer_, &logs, &error);
  EXPECT_EQ(receiver, nullptr);
  EXPECT_EQ(error.code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tracewire::collector
