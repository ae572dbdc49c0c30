// The hand-written decoders on bytes produced by libprotobuf, and on malformed bytes.
#include <gtest/gtest.h>

#include <string>

#include "trpc.pb.h"
#include "trpc/protocol.h"

namespace tracewire::trpc {
namespace {

using std::string_literals::operator""s;

::trpc::RequestProtocol SampleRequest() {
  ::trpc::RequestProtocol p;
  p.set_version(1);
  p.set_call_type(1);
  p.set_request_id(123456);
  p.set_timeout(500);
  p.set_caller("caller");
  p.set_callee("callee");
  p.set_func("/trpc.test.echo.Echo/Echo");
  p.set_message_type(2);
  (*p.mutable_trans_info())["traceparent"] = "tp";
  (*p.mutable_trans_info())["bin"] = "\0\1"s;
  p.set_content_type(2);
  p.set_content_encoding(1);
  p.set_attachment_size(9);
  return p;
}

CodecError DecodeReq(const std::string& bytes, RequestHead* out) {
  return DecodeRequestHead(bytes, out);
}

CodecError DecodeReq(const std::string& bytes) {
  RequestHead out;
  return DecodeRequestHead(bytes, &out);
}

TEST(ProtocolDecode, RequestFieldsEqualLibprotobufs) {
  const ::trpc::RequestProtocol p = SampleRequest();
  const std::string bytes = p.SerializeAsString();
  RequestHead h;
  ASSERT_EQ(DecodeReq(bytes, &h), CodecError::kOk);
  EXPECT_EQ(h.version, 1u);
  EXPECT_EQ(h.call_type, 1u);
  EXPECT_EQ(h.request_id, 123456u);
  EXPECT_EQ(h.timeout_ms, 500u);
  EXPECT_EQ(h.caller, "caller");
  EXPECT_EQ(h.callee, "callee");
  EXPECT_EQ(h.func, "/trpc.test.echo.Echo/Echo");
  EXPECT_EQ(h.message_type, 2u);
  EXPECT_EQ(h.content_type, 2u);
  EXPECT_EQ(h.content_encoding, 1u);
  EXPECT_EQ(h.attachment_size, 9u);
  ASSERT_EQ(h.trans_info.size(), 2u);
  for (const auto& [k, v] : p.trans_info()) {
    const std::string_view* found = FindTransInfo(h.trans_info, k);
    ASSERT_NE(found, nullptr) << k;
    EXPECT_EQ(*found, v);
  }
}

TEST(ProtocolDecode, StringsAreViewsIntoTheInput) {
  const std::string bytes = SampleRequest().SerializeAsString();
  RequestHead h;
  ASSERT_EQ(DecodeReq(bytes, &h), CodecError::kOk);
  EXPECT_GE(h.func.data(), bytes.data());
  EXPECT_LE(h.func.data() + h.func.size(), bytes.data() + bytes.size());
}

TEST(ProtocolDecode, ResponseNegativeCodesEqualLibprotobufs) {
  ::trpc::ResponseProtocol p;
  p.set_request_id(7);
  p.set_ret(-1);
  p.set_func_ret(-2147483647 - 1);
  p.set_error_msg("boom");
  p.set_message_type(3);
  (*p.mutable_trans_info())["k"] = "v";
  p.set_content_type(4);
  p.set_content_encoding(2);
  p.set_attachment_size(1);
  const std::string bytes = p.SerializeAsString();
  ResponseHead h;
  ASSERT_EQ(DecodeResponseHead(bytes, &h), CodecError::kOk);
  EXPECT_EQ(h.request_id, 7u);
  EXPECT_EQ(h.ret, -1);
  EXPECT_EQ(h.func_ret, -2147483647 - 1);
  EXPECT_EQ(h.error_msg, "boom");
  EXPECT_EQ(h.message_type, 3u);
  EXPECT_EQ(h.trans_info, (TransInfoView{{"k", "v"}}));
  EXPECT_EQ(h.content_type, 4u);
  EXPECT_EQ(h.content_encoding, 2u);
  EXPECT_EQ(h.attachment_size, 1u);
}

TEST(ProtocolDecode, SkipsUnknownFieldsOfEveryValidWireType) {
  ::trpc::RequestProtocol p = SampleRequest();
  auto* unknown = p.GetReflection()->MutableUnknownFields(&p);
  unknown->AddVarint(13, 99);
  unknown->AddFixed32(100, 1);
  unknown->AddFixed64(2000, 2);
  unknown->AddLengthDelimited(536870911, "skip me");
  const std::string bytes = p.SerializeAsString();
  RequestHead h;
  ASSERT_EQ(DecodeReq(bytes, &h), CodecError::kOk);
  EXPECT_EQ(h.func, "/trpc.test.echo.Echo/Echo");
  EXPECT_EQ(h.attachment_size, 9u);
}

TEST(ProtocolDecode, SkipsResponseFieldEleven) {
  // ResponseProtocol has no field 11: a varint there is an unknown field.
  ResponseHead h;
  ASSERT_EQ(DecodeResponseHead("\x58\x05\x18\x01"s, &h), CodecError::kOk);
  EXPECT_EQ(h.request_id, 1u);
  EXPECT_EQ(h.content_encoding, 0u);
}

TEST(ProtocolDecode, RepeatedScalarsKeepTheLastValueLikeLibprotobuf) {
  ::trpc::RequestProtocol a = SampleRequest();
  ::trpc::RequestProtocol b;
  b.set_request_id(42);
  b.set_func("/x.Y/Z");
  (*b.mutable_trans_info())["traceparent"] = "later";
  const std::string bytes = a.SerializeAsString() + b.SerializeAsString();
  ::trpc::RequestProtocol merged;
  ASSERT_TRUE(merged.ParseFromString(bytes));
  RequestHead h;
  ASSERT_EQ(DecodeReq(bytes, &h), CodecError::kOk);
  EXPECT_EQ(h.request_id, merged.request_id());
  EXPECT_EQ(h.func, merged.func());
  EXPECT_EQ(h.caller, merged.caller());
  EXPECT_EQ(*FindTransInfo(h.trans_info, "traceparent"), merged.trans_info().at("traceparent"));
  EXPECT_EQ(*FindTransInfo(h.trans_info, "traceparent"), "later");
}

TEST(ProtocolDecode, MapEntryWithoutKeyOrValueIsEmpty) {
  // trans_info entry with only a value; then one with only a key.
  const std::string bytes = "\x4a\x03\x12\x01v\x4a\x03\x0a\x01k"s;
  RequestHead h;
  ASSERT_EQ(DecodeReq(bytes, &h), CodecError::kOk);
  EXPECT_EQ(h.trans_info, (TransInfoView{{"", "v"}, {"k", ""}}));
  ::trpc::RequestProtocol p;
  ASSERT_TRUE(p.ParseFromString(bytes));
  EXPECT_EQ(p.trans_info().at(""), "v");
  EXPECT_EQ(p.trans_info().at("k"), "");
}

TEST(ProtocolDecode, MapEntrySkipsUnknownFields) {
  const std::string bytes = "\x4a\x08\x0a\x01k\x18\x05\x12\x01v"s;
  RequestHead h;
  ASSERT_EQ(DecodeReq(bytes, &h), CodecError::kOk);
  EXPECT_EQ(h.trans_info, (TransInfoView{{"k", "v"}}));
}

TEST(ProtocolDecode, ReusedHeadIsResetBeforeDecoding) {
  RequestHead h;
  ASSERT_EQ(DecodeReq(SampleRequest().SerializeAsString(), &h), CodecError::kOk);
  ASSERT_EQ(DecodeReq("\x18\x02"s, &h), CodecError::kOk);
  EXPECT_EQ(h.request_id, 2u);
  EXPECT_TRUE(h.func.empty());
  EXPECT_TRUE(h.trans_info.empty());
  EXPECT_EQ(h.attachment_size, 0u);
}

TEST(ProtocolDecode, EmptyInputIsADefaultHead) {
  RequestHead h;
  ASSERT_EQ(DecodeReq("", &h), CodecError::kOk);
  EXPECT_EQ(h.request_id, 0u);
}

TEST(ProtocolDecode, AcceptsATenByteVarintForAUint32Field) {
  RequestHead h;
  // request_id = 2^64-1 sign-extended style; uint32 keeps the low 32 bits.
  ASSERT_EQ(DecodeReq("\x18\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"s, &h), CodecError::kOk);
  EXPECT_EQ(h.request_id, 0xffffffffu);
}

TEST(ProtocolDecode, RejectsAVarintLongerThanTenBytes) {
  EXPECT_EQ(DecodeReq("\x18\xff\xff\xff\xff\xff\xff\xff\xff\xff\x81\x01"s),
            CodecError::kBadProtocolHeader);
}

TEST(ProtocolDecode, RejectsATruncatedVarint) {
  EXPECT_EQ(DecodeReq("\x18\x80"s), CodecError::kBadProtocolHeader);
  EXPECT_EQ(DecodeReq("\x18"s), CodecError::kBadProtocolHeader);
}

TEST(ProtocolDecode, RejectsATruncatedTag) {
  EXPECT_EQ(DecodeReq("\x80"s), CodecError::kBadProtocolHeader);
}

TEST(ProtocolDecode, RejectsALengthPastTheEnd) {
  EXPECT_EQ(DecodeReq("\x3a\x05/a.B"s), CodecError::kBadProtocolHeader);
  EXPECT_EQ(DecodeReq("\x3a"s), CodecError::kBadProtocolHeader);
}

TEST(ProtocolDecode, RejectsAWrongWireTypeForAKnownField) {
  EXPECT_EQ(DecodeReq("\x1a\x01x"s), CodecError::kBadProtocolHeader);  // request_id as bytes
  EXPECT_EQ(DecodeReq("\x38\x01"s), CodecError::kBadProtocolHeader);   // func as varint
  EXPECT_EQ(DecodeReq("\x4d\x00\x00\x00\x00"s), CodecError::kBadProtocolHeader);  // fixed32
}

TEST(ProtocolDecode, RejectsGroupWireTypes) {
  EXPECT_EQ(DecodeReq("\x6b\x6c"s), CodecError::kBadProtocolHeader);  // start/end group 13
  EXPECT_EQ(DecodeReq("\x6c"s), CodecError::kBadProtocolHeader);
}

TEST(ProtocolDecode, RejectsWireTypesSixAndSeven) {
  EXPECT_EQ(DecodeReq("\x6e\x00"s), CodecError::kBadProtocolHeader);
  EXPECT_EQ(DecodeReq("\x6f\x00"s), CodecError::kBadProtocolHeader);
}

TEST(ProtocolDecode, RejectsFieldNumberZero) {
  EXPECT_EQ(DecodeReq("\x00\x01"s), CodecError::kBadProtocolHeader);
  EXPECT_EQ(DecodeReq("\x02\x00"s), CodecError::kBadProtocolHeader);
}

TEST(ProtocolDecode, RejectsATruncatedOrMistypedMapEntry) {
  EXPECT_EQ(DecodeReq("\x4a\x02\x0a\x05"s), CodecError::kBadProtocolHeader);
  EXPECT_EQ(DecodeReq("\x4a\x02\x08\x01"s), CodecError::kBadProtocolHeader);  // key as varint
}

TEST(ProtocolDecode, ResponseRejectsMalformedInput) {
  ResponseHead h;
  EXPECT_EQ(DecodeResponseHead("\x20"s, &h), CodecError::kBadProtocolHeader);
  EXPECT_EQ(DecodeResponseHead("\x32\x01x\x42\x01"s, &h), CodecError::kBadProtocolHeader);
}

TEST(ProtocolDecode, StreamInitMetaEqualsLibprotobufs) {
  ::trpc::TrpcStreamInitMeta p;
  p.mutable_request_meta()->set_caller("c");
  p.mutable_request_meta()->set_callee("d");
  p.mutable_request_meta()->set_func("/a.B/C");
  p.mutable_request_meta()->set_message_type(8);
  (*p.mutable_request_meta()->mutable_trans_info())["baggage"] = "k=v";
  p.mutable_response_meta()->set_ret(-5);
  p.mutable_response_meta()->set_error_msg("bad");
  p.set_init_window_size(65536);
  p.set_content_type(2);
  p.set_content_encoding(1);
  const std::string bytes = p.SerializeAsString();
  StreamInitMeta m;
  ASSERT_EQ(DecodeStreamInitMeta(bytes, &m), CodecError::kOk);
  EXPECT_TRUE(m.has_request_meta);
  EXPECT_EQ(m.request_meta.caller, "c");
  EXPECT_EQ(m.request_meta.callee, "d");
  EXPECT_EQ(m.request_meta.func, "/a.B/C");
  EXPECT_EQ(m.request_meta.message_type, 8u);
  EXPECT_EQ(m.request_meta.trans_info, (TransInfoView{{"baggage", "k=v"}}));
  EXPECT_TRUE(m.has_response_meta);
  EXPECT_EQ(m.response_meta.ret, -5);
  EXPECT_EQ(m.response_meta.error_msg, "bad");
  EXPECT_EQ(m.init_window_size, 65536u);
  EXPECT_EQ(m.content_type, 2u);
  EXPECT_EQ(m.content_encoding, 1u);
}

TEST(ProtocolDecode, StreamInitMetaWithoutSubmessagesHasNoneMarkedPresent) {
  StreamInitMeta m;
  m.has_request_meta = true;
  ASSERT_EQ(DecodeStreamInitMeta("\x18\x10"s, &m), CodecError::kOk);
  EXPECT_FALSE(m.has_request_meta);
  EXPECT_FALSE(m.has_response_meta);
  EXPECT_EQ(m.init_window_size, 16u);
}

TEST(ProtocolDecode, RepeatedInitRequestMetaMergesLikeLibprotobuf) {
  ::trpc::TrpcStreamInitMeta a;
  a.mutable_request_meta()->set_caller("first");
  a.mutable_request_meta()->set_func("/a.B/C");
  (*a.mutable_request_meta()->mutable_trans_info())["x"] = "1";
  ::trpc::TrpcStreamInitMeta b;
  b.mutable_request_meta()->set_caller("second");
  (*b.mutable_request_meta()->mutable_trans_info())["y"] = "2";
  const std::string bytes = a.SerializeAsString() + b.SerializeAsString();
  ::trpc::TrpcStreamInitMeta merged;
  ASSERT_TRUE(merged.ParseFromString(bytes));
  StreamInitMeta m;
  ASSERT_EQ(DecodeStreamInitMeta(bytes, &m), CodecError::kOk);
  EXPECT_EQ(m.request_meta.caller, merged.request_meta().caller());
  EXPECT_EQ(m.request_meta.func, merged.request_meta().func());
  EXPECT_EQ(m.request_meta.trans_info.size(), 2u);
  EXPECT_EQ(merged.request_meta().trans_info_size(), 2);
}

TEST(ProtocolDecode, StreamInitMetaRejectsMalformedSubmessages) {
  StreamInitMeta m;
  EXPECT_EQ(DecodeStreamInitMeta("\x0a\x02\x08\x01"s, &m), CodecError::kBadProtocolHeader);
  EXPECT_EQ(DecodeStreamInitMeta("\x12\x02\x0a\x01"s, &m), CodecError::kBadProtocolHeader);
  EXPECT_EQ(DecodeStreamInitMeta("\x08\x01"s, &m), CodecError::kBadProtocolHeader);
}

TEST(ProtocolDecode, StreamFeedbackMetaEqualsLibprotobufs) {
  ::trpc::TrpcStreamFeedBackMeta p;
  p.set_window_size_increment(4096);
  StreamFeedbackMeta m;
  ASSERT_EQ(DecodeStreamFeedbackMeta(p.SerializeAsString(), &m), CodecError::kOk);
  EXPECT_EQ(m.window_size_increment, 4096u);
  EXPECT_EQ(DecodeStreamFeedbackMeta("\x0a\x00"s, &m), CodecError::kBadProtocolHeader);
}

TEST(ProtocolDecode, StreamCloseMetaEqualsLibprotobufs) {
  ::trpc::TrpcStreamCloseMeta p;
  p.set_close_type(1);
  p.set_ret(-9);
  p.set_msg("bye");
  p.set_message_type(2);
  (*p.mutable_trans_info())["traceparent"] = "tp";
  p.set_func_ret(3);
  const std::string bytes = p.SerializeAsString();
  StreamCloseMeta m;
  ASSERT_EQ(DecodeStreamCloseMeta(bytes, &m), CodecError::kOk);
  EXPECT_EQ(m.close_type, 1);
  EXPECT_EQ(m.ret, -9);
  EXPECT_EQ(m.msg, "bye");
  EXPECT_EQ(m.message_type, 2u);
  EXPECT_EQ(m.trans_info, (TransInfoView{{"traceparent", "tp"}}));
  EXPECT_EQ(m.func_ret, 3);
  EXPECT_EQ(DecodeStreamCloseMeta("\x2a\x01"s, &m), CodecError::kBadProtocolHeader);
}

}  // namespace
}  // namespace tracewire::trpc
