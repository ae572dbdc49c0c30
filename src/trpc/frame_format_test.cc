#include "trpc/frame_format.h"

#include <gtest/gtest.h>

#include <string>

namespace tracewire::trpc {
namespace {

// A unary frame header written out by hand: magic 0930, unary/unary, total 0x00000123,
// proto header 0x0045, stream id 0x01020304, version 0, reserved 0.
constexpr std::string_view kUnaryHeader(
    "\x09\x30\x00\x00\x00\x00\x01\x23\x00\x45\x01\x02\x03\x04\x00\x00", 16);

std::string HeaderBytes(uint8_t data_type, uint8_t stream_type, uint32_t total,
                        uint16_t proto_size) {
  FrameHeader h;
  h.total_size = total;
  h.proto_header_size = proto_size;
  std::string out(kFrameHeaderSize, '\0');
  EncodeFrameHeader(h, out.data());
  out[2] = static_cast<char>(data_type);
  out[3] = static_cast<char>(stream_type);
  return out;
}

CodecError Decode(const std::string& bytes, size_t max = kDefaultMaxFrameSize) {
  FrameHeader h;
  return DecodeFrameHeader(bytes, max, &h);
}

TEST(FrameFormat, EncodesTheBigEndianLayout) {
  FrameHeader h;
  h.total_size = 0x123;
  h.proto_header_size = 0x45;
  h.stream_id = 0x01020304;
  std::string out(kFrameHeaderSize, '\xff');
  EncodeFrameHeader(h, out.data());
  EXPECT_EQ(out, kUnaryHeader);
}

TEST(FrameFormat, DecodesTheBigEndianLayout) {
  FrameHeader h;
  ASSERT_EQ(DecodeFrameHeader(kUnaryHeader, kDefaultMaxFrameSize, &h), CodecError::kOk);
  EXPECT_EQ(h.data_frame_type, DataFrameType::kUnary);
  EXPECT_EQ(h.stream_frame_type, StreamFrameType::kUnary);
  EXPECT_EQ(h.total_size, 0x123u);
  EXPECT_EQ(h.proto_header_size, 0x45u);
  EXPECT_EQ(h.stream_id, 0x01020304u);
  EXPECT_EQ(h.version, 0);
  EXPECT_EQ(h.reserved, 0);
}

TEST(FrameFormat, RoundTripsAStreamHeaderWithVersionAndReserved) {
  FrameHeader in;
  in.data_frame_type = DataFrameType::kStream;
  in.stream_frame_type = StreamFrameType::kClose;
  in.total_size = 0xfffff;
  in.proto_header_size = 0xfffe;
  in.stream_id = 0xffffffff;
  in.version = 7;
  in.reserved = 9;
  char buf[kFrameHeaderSize];
  EncodeFrameHeader(in, buf);
  FrameHeader out;
  ASSERT_EQ(DecodeFrameHeader(std::string_view(buf, sizeof buf), kDefaultMaxFrameSize, &out),
            CodecError::kOk);
  EXPECT_EQ(out.stream_frame_type, StreamFrameType::kClose);
  EXPECT_EQ(out.total_size, in.total_size);
  EXPECT_EQ(out.proto_header_size, in.proto_header_size);
  EXPECT_EQ(out.stream_id, in.stream_id);
  EXPECT_EQ(out.version, 7);
  EXPECT_EQ(out.reserved, 9);
}

TEST(FrameFormat, RejectsAWrongMagic) {
  std::string bytes(kUnaryHeader);
  bytes[1] = '\x31';
  EXPECT_EQ(Decode(bytes), CodecError::kBadMagic);
}

TEST(FrameFormat, RejectsAnUnknownDataFrameType) {
  EXPECT_EQ(Decode(HeaderBytes(2, 0, 16, 0)), CodecError::kBadFrameType);
}

TEST(FrameFormat, RejectsAUnaryFrameWithAStreamFrameType) {
  EXPECT_EQ(Decode(HeaderBytes(0, 1, 16, 0)), CodecError::kBadFrameType);
}

TEST(FrameFormat, RejectsAStreamFrameWithStreamFrameTypeZeroOrAboveClose) {
  EXPECT_EQ(Decode(HeaderBytes(1, 0, 16, 0)), CodecError::kBadFrameType);
  EXPECT_EQ(Decode(HeaderBytes(1, 5, 16, 0)), CodecError::kBadFrameType);
  for (uint8_t t = 1; t <= 4; ++t) EXPECT_EQ(Decode(HeaderBytes(1, t, 16, 0)), CodecError::kOk);
}

TEST(FrameFormat, RejectsATotalSizeBelowTheHeaderSize) {
  EXPECT_EQ(Decode(HeaderBytes(0, 0, 15, 0)), CodecError::kBadSize);
}

TEST(FrameFormat, RejectsATotalSizeAboveTheMaximum) {
  EXPECT_EQ(Decode(HeaderBytes(0, 0, 1001, 0), 1000), CodecError::kTooLarge);
  EXPECT_EQ(Decode(HeaderBytes(0, 0, 1000, 0), 1000), CodecError::kOk);
}

TEST(FrameFormat, RejectsAProtoHeaderPastTheTotalSize) {
  EXPECT_EQ(Decode(HeaderBytes(0, 0, 20, 5)), CodecError::kBadSize);
  EXPECT_EQ(Decode(HeaderBytes(0, 0, 20, 4)), CodecError::kOk);
}

TEST(FrameFormat, AcceptsAnyVersionByte) {
  std::string bytes(kUnaryHeader);
  bytes[14] = '\x05';
  FrameHeader h;
  ASSERT_EQ(DecodeFrameHeader(bytes, kDefaultMaxFrameSize, &h), CodecError::kOk);
  EXPECT_EQ(h.version, 5);
}

TEST(FrameFormat, NamesEveryCodecError) {
  EXPECT_EQ(CodecErrorName(CodecError::kOk), "ok");
  EXPECT_EQ(CodecErrorName(CodecError::kBadMagic), "bad magic");
  EXPECT_EQ(CodecErrorName(CodecError::kBadFrameType), "bad frame type");
  EXPECT_EQ(CodecErrorName(CodecError::kTooLarge), "too large");
  EXPECT_EQ(CodecErrorName(CodecError::kBadSize), "bad size");
  EXPECT_EQ(CodecErrorName(CodecError::kTruncated), "truncated");
  EXPECT_EQ(CodecErrorName(CodecError::kBadProtocolHeader), "bad protocol header");
  EXPECT_EQ(CodecErrorName(CodecError::kBadAttachmentSize), "bad attachment size");
}

}  // namespace
}  // namespace tracewire::trpc
