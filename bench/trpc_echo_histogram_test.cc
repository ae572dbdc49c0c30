#include "trpc_echo_histogram.h"

#include <gtest/gtest.h>

namespace tracewire::bench {
namespace {

TEST(LatencyHistogramTest, EmptyHistogramReportsZero) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.ValueAtQuantile(0.99), 0);
}

TEST(LatencyHistogramTest, SmallValuesAreExact) {
  LatencyHistogram h;
  for (int v = 1; v <= 100; ++v) h.Record(v);
  EXPECT_EQ(h.ValueAtQuantile(0.5), 50);
  EXPECT_EQ(h.ValueAtQuantile(0.99), 99);
  EXPECT_EQ(h.ValueAtQuantile(1.0), 100);
  EXPECT_EQ(h.max_ns(), 100);
  EXPECT_DOUBLE_EQ(h.mean_ns(), 50.5);
}

TEST(LatencyHistogramTest, LargeValuesStayWithinHalfAPercent) {
  for (int64_t v : {513LL, 1'000LL, 45'678LL, 1'234'567LL, 987'654'321LL, 3'600'000'000'000LL}) {
    LatencyHistogram h;
    h.Record(v);
    h.Record(v + v / 2);  // a larger maximum so the bucket bound is not capped
    const int64_t p50 = h.ValueAtQuantile(0.5);
    EXPECT_GE(p50, v);
    EXPECT_LE(static_cast<double>(p50 - v), 0.004 * static_cast<double>(v)) << v;
  }
}

TEST(LatencyHistogramTest, BucketsAreContiguousAndOrdered) {
  for (size_t b = 1; b < 5000; ++b) {
    const uint64_t lower = LatencyHistogram::BucketUpperBound(b - 1) + 1;
    EXPECT_EQ(LatencyHistogram::BucketOf(lower), b);
    EXPECT_EQ(LatencyHistogram::BucketOf(LatencyHistogram::BucketUpperBound(b)), b);
  }
}

TEST(LatencyHistogramTest, TailQuantilesFindTheRareSlowValues) {
  LatencyHistogram h;
  for (int i = 0; i < 9990; ++i) h.Record(50'000);
  for (int i = 0; i < 10; ++i) h.Record(5'000'000);
  EXPECT_LT(h.ValueAtQuantile(0.99), 51'000);
  EXPECT_GE(h.ValueAtQuantile(0.9995), 5'000'000);
  EXPECT_EQ(h.max_ns(), 5'000'000);
}

TEST(LatencyHistogramTest, MergeAddsCountsAndKeepsTheMaximum) {
  LatencyHistogram a;
  LatencyHistogram b;
  a.Record(10);
  b.Record(20);
  b.Record(30);
  a.Merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.max_ns(), 30);
  EXPECT_EQ(a.ValueAtQuantile(0.5), 20);
}

TEST(LatencyHistogramTest, NegativeValuesCountAsZero) {
  LatencyHistogram h;
  h.Record(-5);
  EXPECT_EQ(h.ValueAtQuantile(1.0), 0);
}

}  // namespace
}  // namespace tracewire::bench
