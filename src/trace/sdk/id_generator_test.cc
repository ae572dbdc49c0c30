#include "trace/sdk/id_generator.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace tracewire::trace {
namespace {

TEST(IdGeneratorTest, GeneratedIdsAreValid) {
  auto gen = MakeRandomIdGenerator();
  for (int i = 0; i < 10000; ++i) {
    ASSERT_TRUE(gen->NewTraceId().IsValid());
    ASSERT_TRUE(gen->NewSpanId().IsValid());
  }
}

TEST(IdGeneratorTest, GeneratedIdsDoNotRepeat) {
  std::set<TraceId> traces;
  std::set<SpanId> spans;
  for (int i = 0; i < 100000; ++i) {
    traces.insert(NewRandomTraceId());
    spans.insert(NewRandomSpanId());
  }
  EXPECT_EQ(traces.size(), 100000u);
  EXPECT_EQ(spans.size(), 100000u);
}

TEST(IdGeneratorTest, ThreadsDrawDifferentSequences) {
  std::vector<SpanId> a(1000), b(1000);
  std::thread ta([&] {
    for (auto& id : a) id = NewRandomSpanId();
  });
  std::thread tb([&] {
    for (auto& id : b) id = NewRandomSpanId();
  });
  ta.join();
  tb.join();
  std::set<SpanId> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  EXPECT_EQ(all.size(), 2000u);
}

TEST(IdGeneratorTest, TraceIdBitsLookUniform) {
  // Every bit of the trace id should be set in roughly half of the ids.
  constexpr int kN = 20000;
  int ones[128] = {};
  for (int i = 0; i < kN; ++i) {
    const TraceId id = NewRandomTraceId();
    for (int bit = 0; bit < 128; ++bit) ones[bit] += (id.data()[bit / 8] >> (bit % 8)) & 1;
  }
  for (int bit = 0; bit < 128; ++bit) {
    EXPECT_GT(ones[bit], kN * 45 / 100) << "bit " << bit;
    EXPECT_LT(ones[bit], kN * 55 / 100) << "bit " << bit;
  }
}

}  // namespace
}  // namespace tracewire::trace
