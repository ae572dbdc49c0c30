#include "trpc/frame_codec.h"

#include <gtest/gtest.h>

#include <string>

#include "trpc.pb.h"
#include "trpc/ret_code.h"

namespace tracewire::trpc {
namespace {

using std::string_literals::operator""s;

RequestHead SampleRequest() {
  RequestHead h;
  h.request_id = 9;
  h.timeout_ms = 250;
  h.caller = "trpc.app.server.Caller";
  h.callee = "trpc.test.echo.Echo";
  h.func = "/trpc.test.echo.Echo/Echo";
  h.trans_info = {{"traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}};
  return h;
}

std::string RequestFrameBytes(std::string_view body = "hello", std::string_view att = "att") {
  std::string out;
  EXPECT_EQ(AppendRequestFrame(SampleRequest(), body, att, kDefaultMaxFrameSize, &out),
            CodecError::kOk);
  return out;
}

// A frame assembled from raw parts: header fields, proto header bytes, payload.
std::string RawFrame(uint8_t data_type, uint8_t stream_type, std::string_view proto,
                     std::string_view payload) {
  FrameHeader h;
  h.total_size = static_cast<uint32_t>(kFrameHeaderSize + proto.size() + payload.size());
  h.proto_header_size = static_cast<uint16_t>(proto.size());
  std::string out(kFrameHeaderSize, '\0');
  EncodeFrameHeader(h, out.data());
  out[2] = static_cast<char>(data_type);
  out[3] = static_cast<char>(stream_type);
  return out + std::string(proto) + std::string(payload);
}

CodecError DecodeReq(std::string_view frame, size_t max = kDefaultMaxFrameSize) {
  RequestFrame f;
  return DecodeRequestFrame(frame, max, &f);
}

TEST(PeekFrame, NeedsMoreBytesBelowSixteen) {
  const std::string frame = RequestFrameBytes();
  FrameHeader h;
  size_t size = 99;
  EXPECT_EQ(PeekFrame(frame.substr(0, 15), kDefaultMaxFrameSize, &h, &size), CodecError::kOk);
  EXPECT_EQ(size, 0u);
}

TEST(PeekFrame, NeedsMoreBytesForAPartialFrame) {
  const std::string frame = RequestFrameBytes();
  FrameHeader h;
  size_t size = 99;
  EXPECT_EQ(PeekFrame(std::string_view(frame).substr(0, frame.size() - 1), kDefaultMaxFrameSize, &h,
                      &size),
            CodecError::kOk);
  EXPECT_EQ(size, 0u);
  EXPECT_EQ(h.total_size, frame.size());
}

TEST(PeekFrame, FindsTheFirstFrameOfSeveral) {
  const std::string first = RequestFrameBytes("a", "");
  const std::string input = first + RequestFrameBytes("bb", "");
  FrameHeader h;
  size_t size = 0;
  ASSERT_EQ(PeekFrame(input, kDefaultMaxFrameSize, &h, &size), CodecError::kOk);
  EXPECT_EQ(size, first.size());
}

TEST(PeekFrame, ReportsHeaderErrors) {
  std::string frame = RequestFrameBytes();
  FrameHeader h;
  size_t size = 0;
  EXPECT_EQ(PeekFrame(frame, 20, &h, &size), CodecError::kTooLarge);
  frame[0] = 'G';
  EXPECT_EQ(PeekFrame(frame, kDefaultMaxFrameSize, &h, &size), CodecError::kBadMagic);
}

TEST(RequestFrame, RoundTripsHeadBodyAndAttachment) {
  const std::string frame = RequestFrameBytes("hello", "attachment");
  RequestFrame f;
  ASSERT_EQ(DecodeRequestFrame(frame, kDefaultMaxFrameSize, &f), CodecError::kOk);
  EXPECT_EQ(f.header.data_frame_type, DataFrameType::kUnary);
  EXPECT_EQ(f.header.total_size, frame.size());
  EXPECT_EQ(f.head.request_id, 9u);
  EXPECT_EQ(f.head.func, "/trpc.test.echo.Echo/Echo");
  EXPECT_EQ(f.head.trans_info, SampleRequest().trans_info);
  EXPECT_EQ(f.head.attachment_size, 10u);
  EXPECT_EQ(f.body, "hello");
  EXPECT_EQ(f.attachment, "attachment");
}

TEST(RequestFrame, HeaderCarriesVersionOneAndTheRequestIdLikeTrpcGo) {
  const std::string frame = RequestFrameBytes();
  RequestFrame f;
  ASSERT_EQ(DecodeRequestFrame(frame, kDefaultMaxFrameSize, &f), CodecError::kOk);
  EXPECT_EQ(f.header.stream_id, 9u);
  EXPECT_EQ(f.header.version, 1);
  EXPECT_EQ(f.header.reserved, 0);
}

TEST(RequestFrame, ProtoHeaderParsesWithLibprotobuf) {
  const std::string frame = RequestFrameBytes("hello", "xyz");
  RequestFrame f;
  ASSERT_EQ(DecodeRequestFrame(frame, kDefaultMaxFrameSize, &f), CodecError::kOk);
  ::trpc::RequestProtocol p;
  ASSERT_TRUE(p.ParseFromString(
      std::string(std::string_view(frame).substr(kFrameHeaderSize, f.header.proto_header_size))));
  EXPECT_EQ(p.func(), "/trpc.test.echo.Echo/Echo");
  EXPECT_EQ(p.attachment_size(), 3u);
}

TEST(RequestFrame, AppendSetsAttachmentSizeFromTheAttachment) {
  RequestHead head = SampleRequest();
  head.attachment_size = 1234;  // ignored
  std::string out;
  ASSERT_EQ(AppendRequestFrame(head, "b", "", kDefaultMaxFrameSize, &out), CodecError::kOk);
  RequestFrame f;
  ASSERT_EQ(DecodeRequestFrame(out, kDefaultMaxFrameSize, &f), CodecError::kOk);
  EXPECT_EQ(f.head.attachment_size, 0u);
  EXPECT_EQ(f.body, "b");
}

TEST(RequestFrame, AppendKeepsWhatIsAlreadyInTheOutput) {
  std::string out = "previous";
  ASSERT_EQ(AppendRequestFrame(SampleRequest(), "b", "a", kDefaultMaxFrameSize, &out),
            CodecError::kOk);
  EXPECT_EQ(out, "previous" + RequestFrameBytes("b", "a"));
}

TEST(RequestFrame, AppendRefusesAFrameAboveTheMaximum) {
  std::string out = "x";
  const std::string body(100, 'b');
  const size_t exact = RequestFrameBytes(body, "").size();
  EXPECT_EQ(AppendRequestFrame(SampleRequest(), body, "", exact - 1, &out), CodecError::kTooLarge);
  EXPECT_EQ(out, "x");
  EXPECT_EQ(AppendRequestFrame(SampleRequest(), body, "", exact, &out), CodecError::kOk);
}

TEST(RequestFrame, AppendRefusesAProtoHeaderAbove65535Bytes) {
  RequestHead head = SampleRequest();
  const std::string big(70000, 'v');
  head.trans_info = {{"big", big}};
  std::string out;
  EXPECT_EQ(AppendRequestFrame(head, "", "", kDefaultMaxFrameSize, &out), CodecError::kTooLarge);
  EXPECT_TRUE(out.empty());
}

TEST(RequestFrame, DecodeRejectsFewerThanSixteenBytes) {
  EXPECT_EQ(DecodeReq(RequestFrameBytes().substr(0, 10)), CodecError::kTruncated);
}

TEST(RequestFrame, DecodeRejectsAFrameShorterThanItsTotalSize) {
  const std::string frame = RequestFrameBytes();
  EXPECT_EQ(DecodeReq(std::string_view(frame).substr(0, frame.size() - 1)), CodecError::kTruncated);
}

TEST(RequestFrame, DecodeRejectsAFrameLongerThanItsTotalSize) {
  EXPECT_EQ(DecodeReq(RequestFrameBytes() + "x"), CodecError::kBadSize);
}

TEST(RequestFrame, DecodeRejectsAFrameAboveTheMaximum) {
  EXPECT_EQ(DecodeReq(RequestFrameBytes(), 30), CodecError::kTooLarge);
}

TEST(RequestFrame, DecodeRejectsABadMagic) {
  std::string frame = RequestFrameBytes();
  frame[0] = '\x0a';
  EXPECT_EQ(DecodeReq(frame), CodecError::kBadMagic);
}

TEST(RequestFrame, DecodeRejectsAProtoHeaderPastTheTotal) {
  std::string frame = RequestFrameBytes();
  frame[8] = '\x7f';
  EXPECT_EQ(DecodeReq(frame), CodecError::kBadSize);
}

TEST(RequestFrame, DecodeRejectsAStreamFrame) {
  EXPECT_EQ(DecodeReq(RawFrame(1, 2, "", "data")), CodecError::kBadFrameType);
}

TEST(RequestFrame, DecodeRejectsABadProtocolHeader) {
  EXPECT_EQ(DecodeReq(RawFrame(0, 0, "\x3a\x09/a"s, "")), CodecError::kBadProtocolHeader);
}

TEST(RequestFrame, DecodeRejectsAnAttachmentSizePastTheEnd) {
  // attachment_size (field 12) = 5 with only 4 payload bytes.
  EXPECT_EQ(DecodeReq(RawFrame(0, 0, "\x60\x05"s, "abcd")), CodecError::kBadAttachmentSize);
  RequestFrame f;
  const std::string ok = RawFrame(0, 0, "\x60\x04"s, "abcd");
  ASSERT_EQ(DecodeRequestFrame(ok, kDefaultMaxFrameSize, &f), CodecError::kOk);
  EXPECT_EQ(f.body, "");
  EXPECT_EQ(f.attachment, "abcd");
}

TEST(ResponseFrame, RoundTripsHeadBodyAndAttachment) {
  ResponseHead head;
  head.request_id = 9;
  head.ret = kRetServerNoFunc;
  head.func_ret = -1;
  head.error_msg = "no func";
  head.trans_info = {{"k", "v"}};
  std::string out;
  ASSERT_EQ(AppendResponseFrame(head, "body", "at", kDefaultMaxFrameSize, &out), CodecError::kOk);
  ResponseFrame f;
  ASSERT_EQ(DecodeResponseFrame(out, kDefaultMaxFrameSize, &f), CodecError::kOk);
  EXPECT_EQ(f.head.request_id, 9u);
  EXPECT_EQ(f.head.ret, kRetServerNoFunc);
  EXPECT_EQ(f.head.func_ret, -1);
  EXPECT_EQ(f.head.error_msg, "no func");
  EXPECT_EQ(f.head.trans_info, head.trans_info);
  EXPECT_EQ(f.head.attachment_size, 2u);
  EXPECT_EQ(f.body, "body");
  EXPECT_EQ(f.attachment, "at");
}

TEST(ResponseFrame, DecodeRejectsEveryMalformedFrame) {
  ResponseFrame f;
  const size_t max = kDefaultMaxFrameSize;
  EXPECT_EQ(DecodeResponseFrame("short", max, &f), CodecError::kTruncated);
  EXPECT_EQ(DecodeResponseFrame(RawFrame(1, 4, "", ""), max, &f), CodecError::kBadFrameType);
  EXPECT_EQ(DecodeResponseFrame(RawFrame(0, 0, "\x20"s, ""), max, &f),
            CodecError::kBadProtocolHeader);
  EXPECT_EQ(DecodeResponseFrame(RawFrame(0, 0, "\x60\x01"s, ""), max, &f),
            CodecError::kBadAttachmentSize);
  EXPECT_EQ(DecodeResponseFrame(RawFrame(0, 0, "", "") + "!", max, &f), CodecError::kBadSize);
  std::string cut = RawFrame(0, 0, "", "abc");
  cut.pop_back();
  EXPECT_EQ(DecodeResponseFrame(cut, max, &f), CodecError::kTruncated);
  EXPECT_EQ(DecodeResponseFrame(RawFrame(0, 0, "", "abc"), 17, &f), CodecError::kTooLarge);
}

TEST(StreamFrame, InitFrameCarriesItsMetaAndStreamId) {
  StreamInitMeta meta;
  meta.has_request_meta = true;
  meta.request_meta.func = "/a.B/C";
  meta.request_meta.trans_info = {{"traceparent", "tp"}};
  meta.init_window_size = 65535;
  std::string encoded;
  EncodeStreamInitMeta(meta, &encoded);
  std::string out;
  ASSERT_EQ(AppendStreamFrame(StreamFrameType::kInit, 77, encoded, "", kDefaultMaxFrameSize, &out),
            CodecError::kOk);
  StreamFrame f;
  ASSERT_EQ(DecodeStreamFrame(out, kDefaultMaxFrameSize, &f), CodecError::kOk);
  EXPECT_EQ(f.header.data_frame_type, DataFrameType::kStream);
  EXPECT_EQ(f.header.stream_frame_type, StreamFrameType::kInit);
  EXPECT_EQ(f.header.stream_id, 77u);
  EXPECT_EQ(f.header.proto_header_size, 0u);
  EXPECT_EQ(f.header.version, 0);
  EXPECT_EQ(f.meta, encoded);
  EXPECT_EQ(f.body, "");
  StreamInitMeta decoded;
  ASSERT_EQ(DecodeStreamInitMeta(f.meta, &decoded), CodecError::kOk);
  EXPECT_EQ(decoded.request_meta.func, "/a.B/C");
  EXPECT_EQ(decoded.request_meta.trans_info, meta.request_meta.trans_info);
}

TEST(StreamFrame, DataFrameHasAnEmptyMetaAndTheBody) {
  std::string out;
  ASSERT_EQ(AppendStreamFrame(StreamFrameType::kData, 3, "", "payload", kDefaultMaxFrameSize, &out),
            CodecError::kOk);
  StreamFrame f;
  ASSERT_EQ(DecodeStreamFrame(out, kDefaultMaxFrameSize, &f), CodecError::kOk);
  EXPECT_EQ(f.header.stream_frame_type, StreamFrameType::kData);
  EXPECT_EQ(f.header.proto_header_size, 0u);
  EXPECT_EQ(f.meta, "");
  EXPECT_EQ(f.body, "payload");
}

TEST(StreamFrame, MetaIsEverythingAfterTheHeaderWhateverTheProtoHeaderSize) {
  StreamFrame f;
  const std::string frame = RawFrame(1, 4, "\x08\x01"s, "\x10\x02"s);  // close meta, split
  ASSERT_EQ(DecodeStreamFrame(frame, kDefaultMaxFrameSize, &f), CodecError::kOk);
  EXPECT_EQ(f.meta, "\x08\x01\x10\x02"s);
  EXPECT_EQ(f.body, "");
}

TEST(StreamFrame, DataIsEverythingAfterTheHeader) {
  StreamFrame f;
  const std::string frame = RawFrame(1, 2, "ab", "cd");
  ASSERT_EQ(DecodeStreamFrame(frame, kDefaultMaxFrameSize, &f), CodecError::kOk);
  EXPECT_EQ(f.meta, "");
  EXPECT_EQ(f.body, "abcd");
}

TEST(StreamFrame, AppendRefusesTheUnaryFrameType) {
  std::string out;
  EXPECT_EQ(AppendStreamFrame(StreamFrameType::kUnary, 1, "", "", kDefaultMaxFrameSize, &out),
            CodecError::kBadFrameType);
  EXPECT_TRUE(out.empty());
}

TEST(StreamFrame, AppendRefusesAFrameAboveTheMaximum) {
  std::string out;
  EXPECT_EQ(AppendStreamFrame(StreamFrameType::kData, 1, "", "0123", 19, &out),
            CodecError::kTooLarge);
  EXPECT_EQ(AppendStreamFrame(StreamFrameType::kClose, 1, "0123", "", 19, &out),
            CodecError::kTooLarge);
  EXPECT_TRUE(out.empty());
}

TEST(StreamFrame, MetaAbove65535BytesFitsBecauseItIsNotAProtoHeader) {
  const std::string big_meta(70000, 'm');
  std::string out;
  ASSERT_EQ(AppendStreamFrame(StreamFrameType::kClose, 1, big_meta, "", kDefaultMaxFrameSize, &out),
            CodecError::kOk);
  StreamFrame f;
  ASSERT_EQ(DecodeStreamFrame(out, kDefaultMaxFrameSize, &f), CodecError::kOk);
  EXPECT_EQ(f.meta.size(), 70000u);
}

TEST(StreamFrame, DecodeRejectsAUnaryFrame) {
  StreamFrame f;
  EXPECT_EQ(DecodeStreamFrame(RequestFrameBytes(), kDefaultMaxFrameSize, &f),
            CodecError::kBadFrameType);
}

TEST(StreamFrame, DecodeRejectsTruncatedAndOversizedFrames) {
  StreamFrame f;
  std::string frame = RawFrame(1, 2, "", "abc");
  EXPECT_EQ(DecodeStreamFrame(frame + "x", kDefaultMaxFrameSize, &f), CodecError::kBadSize);
  frame.pop_back();
  EXPECT_EQ(DecodeStreamFrame(frame, kDefaultMaxFrameSize, &f), CodecError::kTruncated);
  EXPECT_EQ(DecodeStreamFrame("", kDefaultMaxFrameSize, &f), CodecError::kTruncated);
}

}  // namespace
}  // namespace tracewire::trpc
