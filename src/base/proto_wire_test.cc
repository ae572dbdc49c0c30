#include "base/proto_wire.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace tracewire::proto_wire {
namespace {

std::string Varint(uint64_t v) {
  char buf[10];
  return std::string(buf, WriteVarint(buf, v));
}

TEST(ProtoWireTest, VarintSizeMatchesWhatWriteVarintWrites) {
  const uint64_t values[] = {0,     1,          127,        128,        16383,
                             16384, (1u << 21), 0xffffffff, 1ull << 56, UINT64_MAX};
  for (uint64_t v : values) EXPECT_EQ(VarintSize(v), Varint(v).size()) << v;
  EXPECT_EQ(VarintSize(UINT64_MAX), 10u);
}

TEST(ProtoWireTest, WritesTheSpecExamples) {
  EXPECT_EQ(Varint(150), "\x96\x01");  // the encoding guide's example
  EXPECT_EQ(Varint(1), "\x01");
  EXPECT_EQ(MakeTag(1, WireType::kVarint), 0x08u);
  EXPECT_EQ(MakeTag(16, WireType::kFixed32), 0x85u);  // a two-byte tag: 0x85 0x01
  char buf[8];
  WriteFixed32(buf, 0x04030201);
  EXPECT_EQ(std::string_view(buf, 4), "\x01\x02\x03\x04");
  WriteFixed64(buf, 0x0807060504030201);
  EXPECT_EQ(LoadFixed64(buf), 0x0807060504030201u);
  EXPECT_EQ(LoadFixed32(buf), 0x04030201u);
}

TEST(ProtoWireTest, ParseVarintRoundTripsEveryLength) {
  for (int bits = 0; bits <= 64; ++bits) {
    const uint64_t v = bits == 64 ? UINT64_MAX : (bits == 0 ? 0 : (1ull << bits) - 1);
    const std::string s = Varint(v) + "tail";
    uint64_t got = 0;
    const char* next = ParseVarint(s.data(), s.data() + s.size(), &got);
    ASSERT_NE(next, nullptr) << bits;
    EXPECT_EQ(got, v);
    EXPECT_EQ(std::string_view(next, 4), "tail");
    // Also when the varint ends the buffer (the inline fast path needs two bytes).
    const std::string alone = Varint(v);
    ASSERT_NE(ParseVarint(alone.data(), alone.data() + alone.size(), &got), nullptr);
    EXPECT_EQ(got, v);
  }
}

TEST(ProtoWireTest, ParseVarintRejectsTruncatedOverlongAndOverflowingInput) {
  uint64_t v = 0;
  const std::string truncated = "\x80\x80";
  EXPECT_EQ(ParseVarint(truncated.data(), truncated.data() + truncated.size(), &v), nullptr);
  const std::string eleven(11, '\x80');
  EXPECT_EQ(ParseVarint(eleven.data(), eleven.data() + eleven.size(), &v), nullptr);
  // Ten bytes whose last one sets bits past 64.
  const std::string overflow = std::string(9, '\xff') + "\x02";
  EXPECT_EQ(ParseVarint(overflow.data(), overflow.data() + overflow.size(), &v), nullptr);
  const std::string empty;
  EXPECT_EQ(ParseVarint(empty.data(), empty.data(), &v), nullptr);
}

TEST(ProtoWireTest, ReaderWalksEveryWireType) {
  std::string msg;
  msg += Varint(MakeTag(1, WireType::kVarint)) + Varint(300);
  msg += Varint(MakeTag(2, WireType::kLen)) + Varint(3) + "abc";
  msg += Varint(MakeTag(3, WireType::kFixed32)) + std::string("\x01\x00\x00\x00", 4);
  msg +=
      Varint(MakeTag(4, WireType::kFixed64)) + std::string("\x02\x00\x00\x00\x00\x00\x00\x00", 8);
  msg += Varint(MakeTag(1000, WireType::kVarint)) + Varint(7);
  WireReader r(msg);
  uint32_t field = 0;
  WireType type{};
  uint64_t v = 0;
  ASSERT_TRUE(r.ReadTag(&field, &type));
  EXPECT_EQ(field, 1u);
  EXPECT_EQ(type, WireType::kVarint);
  ASSERT_TRUE(r.ReadVarint(&v));
  EXPECT_EQ(v, 300u);
  ASSERT_TRUE(r.ReadTag(&field, &type));
  std::string_view bytes;
  ASSERT_TRUE(r.ReadLengthDelimited(&bytes));
  EXPECT_EQ(bytes, "abc");
  ASSERT_TRUE(r.ReadTag(&field, &type));
  uint32_t f32 = 0;
  ASSERT_TRUE(r.ReadFixed32(&f32));
  EXPECT_EQ(f32, 1u);
  ASSERT_TRUE(r.ReadTag(&field, &type));
  EXPECT_EQ(type, WireType::kFixed64);
  ASSERT_TRUE(r.Skip(type));
  ASSERT_TRUE(r.ReadTag(&field, &type));
  EXPECT_EQ(field, 1000u);
  ASSERT_TRUE(r.Skip(type));
  EXPECT_TRUE(r.done());
}

TEST(ProtoWireTest, ReaderRejectsBadTagsLengthsAndGroups) {
  uint32_t field = 0;
  WireType type{};
  EXPECT_FALSE(WireReader(std::string_view("\x00", 1)).ReadTag(&field, &type));  // field 0
  const std::string big_tag = Varint(uint64_t{1} << 33);
  EXPECT_FALSE(WireReader(big_tag).ReadTag(&field, &type));
  std::string_view bytes;
  EXPECT_FALSE(WireReader("\x05"
                          "ab")
                   .ReadLengthDelimited(&bytes));  // past the end
  EXPECT_FALSE(WireReader("abc").Skip(WireType::kStartGroup));
  EXPECT_FALSE(WireReader("abc").Skip(WireType::kFixed32));  // 3 bytes left
  EXPECT_FALSE(WireReader("abcdefg").Skip(WireType::kFixed64));
  uint64_t v = 0;
  EXPECT_FALSE(WireReader("").ReadVarint(&v));
}

}  // namespace
}  // namespace tracewire::proto_wire
