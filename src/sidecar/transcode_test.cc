#include "sidecar/transcode.h"

#include <gtest/gtest.h>

namespace tracewire::sidecar {
namespace {

TEST(SidecarTranscodeTest, ContentTypes) {
  EXPECT_EQ(TrpcContentType("application/json"), kTrpcContentJson);
  EXPECT_EQ(TrpcContentType("Application/JSON; charset=utf-8"), kTrpcContentJson);
  EXPECT_EQ(TrpcContentType("application/x-protobuf"), kTrpcContentPb);
  EXPECT_EQ(TrpcContentType("application/protobuf"), kTrpcContentPb);
  EXPECT_EQ(TrpcContentType("text/plain"), kTrpcContentNoop);
  EXPECT_EQ(TrpcContentType("application/jsonx"), kTrpcContentNoop);
  EXPECT_EQ(TrpcContentType(std::nullopt), kTrpcContentNoop);
}

TEST(SidecarTranscodeTest, MethodsAndStatusTable) {
  EXPECT_TRUE(IsTranscodable("POST", 10));
  EXPECT_TRUE(IsTranscodable("GET", 0));
  EXPECT_FALSE(IsTranscodable("GET", 1));
  EXPECT_FALSE(IsTranscodable("PUT", 0));
  // trpc-go http.ErrsToHTTPStatus; codes it does not list keep 200.
  const std::pair<int32_t, int> expected[] = {
      {1, 400},  {2, 500},  {11, 404},  {12, 404},  {21, 504},  {22, 429},   {31, 500},
      {41, 401}, {51, 400}, {999, 500}, {101, 200}, {141, 200}, {10001, 200}};
  for (const auto& [code, status] : expected)
    EXPECT_EQ(HttpStatusForTrpcCode(code), status) << code;
  EXPECT_EQ(HttpStatusForSidecarFailure(111), 503);
  EXPECT_EQ(HttpStatusForSidecarFailure(141), 502);
  EXPECT_EQ(HttpStatusForSidecarFailure(101), 504);
  EXPECT_EQ(HttpStatusForSidecarFailure(122), 502);
}

TEST(SidecarTranscodeTest, RequestFrameCarriesTheCall) {
  const TransInfoPair entries[] = {{"traceparent", "00-abc"}, {"x-request-id", "rid-1"}};
  TranscodedCall call;
  call.func = "/trpc.test.echo.Echo/Echo";
  call.caller = "edge";
  call.content_type = "application/json";
  call.body = R"({"a":1})";
  call.request_id = 7;
  call.timeout_ms = 1500;
  call.trans_info = entries;
  std::vector<trpc::TransInfoEntry> scratch;
  std::string frame;
  ASSERT_EQ(AppendTranscodedRequest(call, 1 << 20, &scratch, &frame), trpc::CodecError::kOk);
  trpc::RequestFrame decoded;
  ASSERT_EQ(trpc::DecodeRequestFrame(frame, 1 << 20, &decoded), trpc::CodecError::kOk);
  EXPECT_EQ(decoded.head.func, "/trpc.test.echo.Echo/Echo");
  EXPECT_EQ(decoded.head.callee, "trpc.test.echo.Echo");
  EXPECT_EQ(decoded.head.caller, "edge");
  EXPECT_EQ(decoded.head.request_id, 7u);
  EXPECT_EQ(decoded.head.timeout_ms, 1500u);
  EXPECT_EQ(decoded.head.content_type, kTrpcContentJson);
  EXPECT_EQ(decoded.head.call_type, 0u);
  EXPECT_EQ(decoded.body, R"({"a":1})");
  ASSERT_NE(trpc::FindTransInfo(decoded.head.trans_info, "x-request-id"), nullptr);
  EXPECT_EQ(*trpc::FindTransInfo(decoded.head.trans_info, "traceparent"), "00-abc");
  std::string small;
  EXPECT_EQ(AppendTranscodedRequest(call, 32, &scratch, &small), trpc::CodecError::kTooLarge);
  EXPECT_TRUE(small.empty());
}

TEST(SidecarTranscodeTest, Responses) {
  trpc::ResponseHead ok;
  net::HttpResponse rsp;
  TranscodeResponse(ok, "body", "application/json", &rsp);
  EXPECT_EQ(rsp.status, 200);
  EXPECT_EQ(rsp.body, "body");
  EXPECT_EQ(rsp.headers.Get("content-type").value_or(""), "application/json");
  EXPECT_FALSE(rsp.headers.Get("trpc-ret"));

  trpc::ResponseHead failed;
  failed.ret = 12;
  failed.error_msg = "no\r\nfunc";
  net::HttpResponse err;
  TranscodeResponse(failed, "ignored", std::nullopt, &err);
  EXPECT_EQ(err.status, 404);
  EXPECT_EQ(err.body, "");
  EXPECT_EQ(err.headers.Get("trpc-ret").value_or(""), "12");
  EXPECT_EQ(err.headers.Get("trpc-func-ret").value_or(""), "0");
  EXPECT_EQ(err.headers.Get("trpc-error-msg").value_or(""), "no\\r\\nfunc");
  EXPECT_FALSE(err.headers.Get("content-type"));

  trpc::ResponseHead business;
  business.func_ret = 10001;
  net::HttpResponse biz;
  TranscodeResponse(business, "", "text/plain", &biz);
  EXPECT_EQ(biz.status, 200);
  EXPECT_EQ(biz.headers.Get("trpc-func-ret").value_or(""), "10001");
}

}  // namespace
}  // namespace tracewire::sidecar
