#include "trace/propagation/traceparent.h"

#include <gtest/gtest.h>

namespace tracewire::trace::propagation {
namespace {

constexpr std::string_view kValid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceparentTest, ParsesTheSpecExample) {
  auto tp = ParseTraceparent(kValid);
  ASSERT_TRUE(tp.ok()) << tp.status().ToString();
  EXPECT_EQ(tp->trace_id.ToHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(tp->span_id.ToHex(), "00f067aa0ba902b7");
  EXPECT_TRUE(tp->flags.sampled());
}

TEST(TraceparentTest, FormatRoundTrips) {
  auto tp = ParseTraceparent(kValid);
  ASSERT_TRUE(tp.ok());
  EXPECT_EQ(FormatTraceparent(tp->trace_id, tp->span_id, tp->flags), kValid);
}

TEST(TraceparentTest, FormatWritesOnlyTheSampledFlag) {
  auto tp = ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff");
  ASSERT_TRUE(tp.ok());
  EXPECT_EQ(tp->flags.bits(), 0xff);
  EXPECT_EQ(FormatTraceparent(tp->trace_id, tp->span_id, tp->flags).substr(53), "01");
}

TEST(TraceparentTest, RejectsVersionFf) {
  EXPECT_FALSE(ParseTraceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").ok());
}

TEST(TraceparentTest, RejectsUpperCaseAnywhere) {
  EXPECT_FALSE(ParseTraceparent("0A-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").ok());
  EXPECT_FALSE(ParseTraceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01").ok());
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01").ok());
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A").ok());
}

TEST(TraceparentTest, RejectsAllZeroIds) {
  EXPECT_FALSE(ParseTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01").ok());
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01").ok());
}

TEST(TraceparentTest, Version00MustBeExactly55Chars) {
  EXPECT_FALSE(ParseTraceparent(std::string(kValid) + "-").ok());
  EXPECT_FALSE(ParseTraceparent(std::string(kValid) + "-00").ok());
  EXPECT_FALSE(ParseTraceparent(kValid.substr(0, 54)).ok());
}

TEST(TraceparentTest, AHigherVersionIsParsedByItsVersion00Prefix) {
  auto tp = ParseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future");
  ASSERT_TRUE(tp.ok());
  EXPECT_EQ(tp->span_id.ToHex(), "00f067aa0ba902b7");
  EXPECT_TRUE(ParseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").ok());
}

TEST(TraceparentTest, AHigherVersionNeedsADashAfterTheFlags) {
  EXPECT_FALSE(
      ParseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.future").ok());
}

TEST(TraceparentTest, RejectsMissingOrMisplacedDashes) {
  EXPECT_FALSE(ParseTraceparent("00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").ok());
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01").ok());
  EXPECT_FALSE(ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b701-").ok());
}

TEST(TraceparentTest, EveryByteInEveryHexPositionIsCheckedExactly) {
  const std::string valid(kValid);
  for (size_t pos : {3, 10, 11, 34, 36, 43, 51, 53, 54}) {
    for (int c = 0; c < 256; ++c) {
      std::string v = valid;
      v[pos] = static_cast<char>(c);
      const bool lower_hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      EXPECT_EQ(ParseTraceparent(v).ok(), lower_hex) << "pos " << pos << " byte " << c;
    }
  }
}

TEST(TraceparentTest, FormatMatchesTheGenericHexEncoderForManyIds) {
  uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (int i = 0; i < 1000; ++i) {
    TraceId t;
    SpanId s;
    for (size_t b = 0; b < TraceId::kSize; ++b) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      t.mutable_data()[b] = static_cast<uint8_t>(x);
      if (b < SpanId::kSize) s.mutable_data()[b] = static_cast<uint8_t>(x >> 8);
    }
    const std::string tp = FormatTraceparent(t, s, TraceFlags(1));
    EXPECT_EQ(tp, "00-" + t.ToHex() + "-" + s.ToHex() + "-01");
    auto back = ParseTraceparent(tp);
    if (t.IsValid() && s.IsValid()) {
      ASSERT_TRUE(back.ok());
      EXPECT_EQ(back->trace_id, t);
      EXPECT_EQ(back->span_id, s);
    }
  }
}

}  // namespace
}  // namespace tracewire::trace::propagation
