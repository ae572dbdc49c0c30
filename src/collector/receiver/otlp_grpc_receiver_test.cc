// OTLP/gRPC: real calls through grpc::GenericStub against the "otlp" receiver on port 0.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <future>

#include "collector/partial_success.h"
#include "collector/receiver/otlp_grpc_server.h"
#include "collector/receiver/testing/capturing_consumer.h"
#include "collector/receiver/testing/otlp_requests.h"
#include "google/rpc/status.pb.h"

namespace tracewire::collector {
namespace {

using testing::CapturingConsumer;

struct CallResult {
  grpc::Status status;
  std::string response;
};

class OtlpGrpcReceiverTest : public ::testing::Test {
 protected:
  void Start(const std::string& grpc_yaml = "endpoint: '127.0.0.1:0'", bool logs = true) {
    Status error;
    receiver_ =
        testing::StartReceiver(*NewOtlpReceiverFactory(), "protocols: {grpc: {" + grpc_yaml + "}}",
                               &consumer_, logs ? &consumer_ : nullptr, &error);
    ASSERT_NE(receiver_, nullptr) << error.ToString();
    EXPECT_EQ(receiver_->port("http"), 0);  // only the protocol named is started
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(receiver_->port("grpc")),
                                   grpc::InsecureChannelCredentials());
  }

  CallResult Call(const std::string& method, const std::string& body, const std::string& token = "",
                  bool gzip = false) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    if (gzip) context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
    grpc::Slice slice(body);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status s) { done.set_value(std::move(s)); });
    CallResult result;
    result.status = done.get_future().get();
    std::vector<grpc::Slice> slices;
    if (result.status.ok() && response.Dump(&slices).ok()) {
      for (auto& s : slices)
        result.response.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    return result;
  }
  CallResult ExportTraces(const std::string& body) {
    return Call(internal::kTraceExportMethod, body);
  }

  CapturingConsumer consumer_;
  std::unique_ptr<Receiver> receiver_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(OtlpGrpcReceiverTest, ExportsTracesAndAnswersAFullSuccess) {
  Start();
  CallResult r = ExportTraces(testing::TraceRequestProto(3));
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse response;
  ASSERT_TRUE(response.ParseFromString(r.response));
  EXPECT_FALSE(response.has_partial_success());
  ASSERT_EQ(consumer_.traces().size(), 1u);
  EXPECT_EQ(consumer_.traces()[0]->spans.size(), 3u);
  EXPECT_EQ(receiver_->stats().requests["grpc OK"], 1u);
}

TEST_F(OtlpGrpcReceiverTest, TakesGzipCompressedMessages) {
  Start();
  CallResult r = Call(internal::kTraceExportMethod, testing::TraceRequestProto(2), "", true);
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(consumer_.traces()[0]->spans.size(), 2u);
}

TEST_F(OtlpGrpcReceiverTest, AnswersInvalidArgumentForBadData) {
  Start();
  CallResult r = ExportTraces("\xff\xff\xff");
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(consumer_.traces().empty());
}

TEST_F(OtlpGrpcReceiverTest, ReportsPartialSuccess) {
  Start();
  CallResult r = ExportTraces(testing::TraceRequestProto(2, /*bad_ids=*/2));
  ASSERT_TRUE(r.status.ok());
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceResponse response;
  ASSERT_TRUE(response.ParseFromString(r.response));
  EXPECT_EQ(response.partial_success().rejected_spans(), 2);
  EXPECT_FALSE(response.partial_success().error_message().empty());

  consumer_.AnswerWith(PartialSuccessStatus(1, "dropped one"));
  r = ExportTraces(testing::TraceRequestProto(2));
  ASSERT_TRUE(response.ParseFromString(r.response));
  EXPECT_EQ(response.partial_success().rejected_spans(), 1);
  EXPECT_EQ(response.partial_success().error_message(), "dropped one");
}

TEST_F(OtlpGrpcReceiverTest, ThrottlesWithRetryInfoAndPassesOtherCodes) {
  Start();
  for (Status status : {UnavailableError("busy"), ResourceExhaustedError("memory")}) {
    consumer_.AnswerWith(status);
    CallResult r = ExportTraces(testing::TraceRequestProto(1));
    EXPECT_EQ(static_cast<int>(r.status.error_code()), static_cast<int>(status.code()));
    EXPECT_EQ(r.status.error_message(), status.message());
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(r.status.error_details()));
    ASSERT_EQ(details.details_size(), 1);
    EXPECT_EQ(details.details(0).type_url(), "type.googleapis.com/google.rpc.RetryInfo");
  }
  consumer_.AnswerWith(InternalError("disk"));
  CallResult r = ExportTraces(testing::TraceRequestProto(1));
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_TRUE(r.status.error_details().empty());
  EXPECT_EQ(receiver_->stats().refused_spans, 3u);
}

TEST_F(OtlpGrpcReceiverTest, ExportsLogsAndRefusesUnknownMethods) {
  Start();
  CallResult r = Call(internal::kLogsExportMethod, testing::LogsRequestProto(3));
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  EXPECT_EQ(consumer_.logs()[0]->records.size(), 3u);
  r = Call("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", "");
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  receiver_.reset();
  Start("endpoint: '127.0.0.1:0'", /*logs=*/false);
  r = Call(internal::kLogsExportMethod, testing::LogsRequestProto(1));
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST_F(OtlpGrpcReceiverTest, RequiresTheBearerTokenWhenConfigured) {
  Start("endpoint: '127.0.0.1:0', auth: {bearer_token: t0ken}");
  EXPECT_EQ(ExportTraces(testing::TraceRequestProto(1)).status.error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(
      Call(internal::kTraceExportMethod, testing::TraceRequestProto(1), "nope").status.error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(
      Call(internal::kTraceExportMethod, testing::TraceRequestProto(1), "t0ken").status.ok());
}

TEST_F(OtlpGrpcReceiverTest, RefusesMessagesOverMaxRecvMsgSize) {
  Start("endpoint: '127.0.0.1:0', max_recv_msg_size_mib: 1");
  CallResult r = ExportTraces(std::string(size_t{2} << 20, 'x'));
  EXPECT_EQ(r.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(OtlpGrpcReceiverTest, KeepsManyCallsInFlight) {
  Start();
  consumer_.Hold();
  constexpr int kCalls = 16;
  std::vector<std::future<CallResult>> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.push_back(std::async(std::launch::async,
                               [&] { return ExportTraces(testing::TraceRequestProto(1)); }));
  }
  ASSERT_TRUE(consumer_.WaitForBatches(kCalls));
  consumer_.Release();
  for (auto& c : calls) EXPECT_TRUE(c.get().status.ok());
}

}  // namespace
}  // namespace tracewire::collector
