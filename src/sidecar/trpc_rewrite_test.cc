#include "sidecar/trpc_rewrite.h"

#include <gtest/gtest.h>

#include <array>
#include <string>

#include "trpc.pb.h"
#include "trpc/frame_codec.h"

namespace tracewire::sidecar {
namespace {

::trpc::RequestProtocol SampleRequest() {
  ::trpc::RequestProtocol req;
  req.set_version(1);
  req.set_request_id(77);
  req.set_timeout(500);
  req.set_caller("trpc.a.A");
  req.set_callee("trpc.b.B");
  req.set_func("/trpc.b.B/Get");
  (*req.mutable_trans_info())["user"] = "42";
  (*req.mutable_trans_info())["traceparent"] = "00-stale";
  (*req.mutable_trans_info())["b3"] = "stale";
  req.set_attachment_size(3);
  return req;
}

TEST(TrpcRewriteTest, RequestKeepsEveryFieldButIdAndTraceKeys) {
  const std::string head = SampleRequest().SerializeAsString();
  const std::array<std::string_view, 2> drop = {"b3", "tracestate"};
  const std::array<TransInfoPair, 2> add = {
      TransInfoPair{"traceparent", "00-new"},
      TransInfoPair{"grpc-trace-bin", std::string_view("\0\1", 2)}};
  std::string out;
  ASSERT_TRUE(RewriteRequestHead(head, 9, drop, add, &out));
  ::trpc::RequestProtocol got;
  ASSERT_TRUE(got.ParseFromString(out));
  EXPECT_EQ(got.request_id(), 9u);
  EXPECT_EQ(got.timeout(), 500u);
  EXPECT_EQ(got.caller(), "trpc.a.A");
  EXPECT_EQ(got.func(), "/trpc.b.B/Get");
  EXPECT_EQ(got.attachment_size(), 3u);
  EXPECT_EQ(got.trans_info().size(), 3u);
  EXPECT_EQ(got.trans_info().at("user"), "42");
  EXPECT_EQ(got.trans_info().at("traceparent"), "00-new");
  EXPECT_EQ(got.trans_info().at("grpc-trace-bin"), std::string("\0\1", 2));
  EXPECT_EQ(got.trans_info().count("b3"), 0u);
}

TEST(TrpcRewriteTest, UnknownFieldsSurvive) {
  ::trpc::RequestProtocol req = SampleRequest();
  std::string head = req.SerializeAsString();
  head.append("\xa8\x06\x05", 3);  // field 101, varint 5: unknown to every decoder
  std::string out;
  ASSERT_TRUE(RewriteRequestHead(head, 1, {}, {}, &out));
  EXPECT_NE(out.find(std::string("\xa8\x06\x05", 3)), std::string::npos);
}

TEST(TrpcRewriteTest, ResponseIdIsRemapped) {
  ::trpc::ResponseProtocol rsp;
  rsp.set_request_id(1234);
  rsp.set_ret(0);
  rsp.set_func_ret(7);
  rsp.set_error_msg("biz");
  (*rsp.mutable_trans_info())["k"] = "v";
  std::string out;
  ASSERT_TRUE(RewriteResponseRequestId(rsp.SerializeAsString(), 5, &out));
  ::trpc::ResponseProtocol got;
  ASSERT_TRUE(got.ParseFromString(out));
  EXPECT_EQ(got.request_id(), 5u);
  EXPECT_EQ(got.func_ret(), 7);
  EXPECT_EQ(got.error_msg(), "biz");
  EXPECT_EQ(got.trans_info().at("k"), "v");
}

TEST(TrpcRewriteTest, MalformedHeadsAreRefused) {
  std::string out;
  EXPECT_FALSE(RewriteRequestHead(std::string("\x4a\x05\x0a", 3), 1, {}, {}, &out));  // short
  EXPECT_FALSE(
      RewriteRequestHead(std::string("\x4a\x02\x0a\x09", 4), 1, {}, {}, &out));  // bad entry
  EXPECT_FALSE(RewriteResponseRequestId(std::string("\x1b", 1), 1, &out));       // group
}

TEST(TrpcRewriteTest, WholeFrameCarriesBodyAndAttachmentByteForByte) {
  trpc::RequestHead head;
  head.request_id = 77;
  head.func = "/trpc.b.B/Get";
  std::string frame;
  ASSERT_EQ(trpc::AppendRequestFrame(head, "body\0x", "att", trpc::kDefaultMaxFrameSize, &frame),
            trpc::CodecError::kOk);
  trpc::RequestFrame decoded;
  ASSERT_EQ(trpc::DecodeRequestFrame(frame, trpc::kDefaultMaxFrameSize, &decoded),
            trpc::CodecError::kOk);
  const std::string_view proto =
      std::string_view(frame).substr(16, decoded.header.proto_header_size);
  const std::string_view tail =
      std::string_view(frame).substr(16 + decoded.header.proto_header_size);
  const std::array<TransInfoPair, 1> add = {TransInfoPair{"traceparent", "00-x"}};
  std::string new_head;
  ASSERT_TRUE(RewriteRequestHead(proto, 3, {}, add, &new_head));
  std::string out;
  ASSERT_EQ(
      AppendRewrittenFrame(decoded.header, 3, new_head, tail, trpc::kDefaultMaxFrameSize, &out),
      trpc::CodecError::kOk);
  trpc::RequestFrame again;
  ASSERT_EQ(trpc::DecodeRequestFrame(out, trpc::kDefaultMaxFrameSize, &again),
            trpc::CodecError::kOk);
  EXPECT_EQ(again.head.request_id, 3u);
  EXPECT_EQ(again.header.stream_id, 3u);
  EXPECT_EQ(again.body, "body");
  EXPECT_EQ(again.attachment, "att");
  EXPECT_EQ(*trpc::FindTransInfo(again.head.trans_info, "traceparent"), "00-x");
  EXPECT_EQ(AppendRewrittenFrame(decoded.header, 3, new_head, tail, 20, &out),
            trpc::CodecError::kTooLarge);
}

TEST(TrpcRewriteTest, StreamInitKeepsItsMetaButTheTraceKeys) {
  ::trpc::TrpcStreamInitMeta init;
  ::trpc::TrpcStreamInitRequestMeta* req = init.mutable_request_meta();
  req->set_caller("trpc.a.A");
  req->set_callee("trpc.b.B");
  req->set_func("/trpc.b.B/Chat");
  req->set_message_type(2);
  (*req->mutable_trans_info())["user"] = "42";
  (*req->mutable_trans_info())["traceparent"] = "00-stale";
  (*req->mutable_trans_info())["b3"] = "stale";
  init.set_init_window_size(65536);
  init.set_content_type(2);
  std::string meta = init.SerializeAsString();
  meta.append("\xa8\x06\x05", 3);  // an unknown field
  const std::array<std::string_view, 1> drop = {"b3"};
  const std::array<TransInfoPair, 1> add = {TransInfoPair{"traceparent", "00-new"}};
  std::string out = "prefix";
  ASSERT_TRUE(RewriteStreamInitMeta(meta, drop, add, &out));
  ASSERT_EQ(out.substr(0, 6), "prefix");
  ::trpc::TrpcStreamInitMeta got;
  ASSERT_TRUE(got.ParseFromString(out.substr(6)));
  EXPECT_EQ(got.init_window_size(), 65536u);
  EXPECT_EQ(got.content_type(), 2u);
  EXPECT_EQ(got.request_meta().caller(), "trpc.a.A");
  EXPECT_EQ(got.request_meta().callee(), "trpc.b.B");
  EXPECT_EQ(got.request_meta().func(), "/trpc.b.B/Chat");
  EXPECT_EQ(got.request_meta().message_type(), 2u);
  EXPECT_EQ(got.request_meta().trans_info().size(), 2u);
  EXPECT_EQ(got.request_meta().trans_info().at("user"), "42");
  EXPECT_EQ(got.request_meta().trans_info().at("traceparent"), "00-new");
  EXPECT_NE(out.find(std::string("\xa8\x06\x05", 3)), std::string::npos);

  // No request meta: one holding just the new entries.
  ::trpc::TrpcStreamInitMeta bare;
  bare.set_init_window_size(10);
  out.clear();
  ASSERT_TRUE(RewriteStreamInitMeta(bare.SerializeAsString(), drop, add, &out));
  ASSERT_TRUE(got.ParseFromString(out));
  EXPECT_EQ(got.init_window_size(), 10u);
  EXPECT_EQ(got.request_meta().trans_info().at("traceparent"), "00-new");
}

TEST(TrpcRewriteTest, StreamInitThatCannotBeRewrittenIsRefused) {
  std::string out = "kept";
  // A request meta whose length runs past the end, a bad trans_info entry, two request metas.
  EXPECT_FALSE(RewriteStreamInitMeta(std::string("\x0a\x05\x0a", 3), {}, {}, &out));
  EXPECT_FALSE(RewriteStreamInitMeta(std::string("\x0a\x04\x2a\x02\x0a\x09", 6), {}, {}, &out));
  EXPECT_FALSE(RewriteStreamInitMeta(std::string("\x0a\x00\x0a\x00", 4), {}, {}, &out));
  EXPECT_EQ(out, "kept");
}

TEST(TrpcRewriteTest, StreamFrameGetsItsNewSize) {
  std::string frame;
  ASSERT_EQ(trpc::AppendStreamFrame(trpc::StreamFrameType::kInit, 5, "old", {}, 1 << 20, &frame),
            trpc::CodecError::kOk);
  trpc::StreamFrame decoded;
  ASSERT_EQ(trpc::DecodeStreamFrame(frame, 1 << 20, &decoded), trpc::CodecError::kOk);
  std::string out;
  ASSERT_EQ(AppendRewrittenStreamFrame(decoded.header, "a longer meta", 1 << 20, &out),
            trpc::CodecError::kOk);
  trpc::StreamFrame again;
  ASSERT_EQ(trpc::DecodeStreamFrame(out, 1 << 20, &again), trpc::CodecError::kOk);
  EXPECT_EQ(again.header.stream_id, 5u);
  EXPECT_EQ(again.header.stream_frame_type, trpc::StreamFrameType::kInit);
  EXPECT_EQ(again.meta, "a longer meta");
  EXPECT_EQ(AppendRewrittenStreamFrame(decoded.header, "a longer meta", 20, &out),
            trpc::CodecError::kTooLarge);
}

}  // namespace
}  // namespace tracewire::sidecar
