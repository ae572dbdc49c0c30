#include "otlp/export_response.h"

#include <gtest/gtest.h>

#include "google/rpc/status.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace tracewire::otlp {
namespace {

namespace pb = ::opentelemetry::proto::collector::trace::v1;

TEST(ExportResponseTest, AnEmptyBodyIsAFullSuccess) {
  auto proto = ParseExportTraceResponseProto("");
  ASSERT_TRUE(proto.ok());
  EXPECT_EQ(proto->rejected_spans, 0);
  auto json = ParseExportTraceResponseJson("  ");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->rejected_spans, 0);
}

TEST(ExportResponseTest, ReadsPartialSuccessFromAGeneratedProtobufResponse) {
  pb::ExportTraceServiceResponse response;
  response.mutable_partial_success()->set_rejected_spans(7);
  response.mutable_partial_success()->set_error_message("spans too old");
  auto got = ParseExportTraceResponseProto(response.SerializeAsString());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->rejected_spans, 7);
  EXPECT_EQ(got->error_message, "spans too old");
}

TEST(ExportResponseTest, ReadsPartialSuccessFromJsonWithStringOrNumberCounts) {
  auto s = ParseExportTraceResponseJson(
      R"({"partialSuccess":{"rejectedSpans":"3","errorMessage":"bad"}})");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->rejected_spans, 3);
  EXPECT_EQ(s->error_message, "bad");
  auto n = ParseExportTraceResponseJson(R"({"partialSuccess":{"rejectedSpans":4}})");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->rejected_spans, 4);
  auto none = ParseExportTraceResponseJson(R"({"partialSuccess":{}})");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->rejected_spans, 0);
}

TEST(ExportResponseTest, MalformedBodiesAreDataLoss) {
  EXPECT_EQ(ParseExportTraceResponseProto("\x0a\x05\x08").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(
      ParseExportTraceResponseProto("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff").status().code(),
      StatusCode::kDataLoss);
  EXPECT_EQ(ParseExportTraceResponseJson("{").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(ParseExportTraceResponseJson("[]").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(
      ParseExportTraceResponseJson(R"({"partialSuccess":{"rejectedSpans":"x"}})").status().code(),
      StatusCode::kDataLoss);
}

TEST(ExportResponseTest, UnknownFieldsAreSkipped) {
  pb::ExportTraceServiceResponse response;
  response.mutable_partial_success()->set_rejected_spans(2);
  std::string body =
      "\x10\x05"
      "\x1d\x01\x02\x03\x04" +
      response.SerializeAsString();  // fields 2, 3
  auto got = ParseExportTraceResponseProto(body);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->rejected_spans, 2);
}

TEST(ExportResponseTest, ExtractsTheMessageOfAGoogleRpcStatus) {
  google::rpc::Status status;
  status.set_code(3);
  status.set_message("invalid trace id");
  EXPECT_EQ(StatusMessageFromProto(status.SerializeAsString()), "invalid trace id");
  EXPECT_EQ(StatusMessageFromJson(R"({"code":3,"message":"invalid span"})"), "invalid span");
  EXPECT_EQ(StatusMessageFromJson("<html>oops</html>"), "");
  EXPECT_EQ(StatusMessageFromProto("\x12\x10short"), "");
}

}  // namespace
}  // namespace tracewire::otlp
