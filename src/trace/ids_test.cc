#include "trace/ids.h"

#include <gtest/gtest.h>

#include "trace/span_context.h"

namespace tracewire::trace {
namespace {

TEST(IdsTest, DefaultIdsAreInvalid) {
  EXPECT_FALSE(TraceId().IsValid());
  EXPECT_FALSE(SpanId().IsValid());
  EXPECT_FALSE(SpanContext().IsValid());
}

TEST(IdsTest, HexRoundTrip) {
  TraceId t = TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  ASSERT_TRUE(t.IsValid());
  EXPECT_EQ(t.ToHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  SpanId s = SpanId::FromHex("00f067aa0ba902b7");
  ASSERT_TRUE(s.IsValid());
  EXPECT_EQ(s.ToHex(), "00f067aa0ba902b7");
}

TEST(IdsTest, BadHexGivesInvalidId) {
  EXPECT_FALSE(TraceId::FromHex("4BF92F3577B34DA6A3CE929D0E0E4736").IsValid());
  EXPECT_FALSE(TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e473").IsValid());
  EXPECT_FALSE(SpanId::FromHex("0000000000000000").IsValid());
}

TEST(IdsTest, OnlyTheLastByteSetIsStillValid) {
  EXPECT_TRUE(TraceId::FromHex("00000000000000000000000000000001").IsValid());
  EXPECT_TRUE(SpanId::FromHex("0000000000000001").IsValid());
}

TEST(SpanContextTest, ValidNeedsBothIds) {
  TraceId t = TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  SpanId s = SpanId::FromHex("00f067aa0ba902b7");
  EXPECT_TRUE(SpanContext(t, s, TraceFlags(1), true).IsValid());
  EXPECT_FALSE(SpanContext(t, SpanId(), TraceFlags(1), true).IsValid());
  EXPECT_FALSE(SpanContext(TraceId(), s, TraceFlags(1), true).IsValid());
}

TEST(TraceFlagsTest, SampledBit) {
  EXPECT_TRUE(TraceFlags(0x01).sampled());
  EXPECT_FALSE(TraceFlags(0x02).sampled());
  EXPECT_EQ(TraceFlags(0x02).WithSampled(true).bits(), 0x03);
  EXPECT_EQ(TraceFlags(0x03).WithSampled(false).bits(), 0x02);
}

}  // namespace
}  // namespace tracewire::trace
