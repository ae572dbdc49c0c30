#include "trace/sdk/sampler.h"

#include <gtest/gtest.h>

#include "trace/sdk/id_generator.h"

namespace tracewire::trace {
namespace {

SamplingDecision Decide(const Sampler& s, const Context& parent, const TraceId& id) {
  return s.ShouldSample(SamplingParams{parent, id, "op", SpanKind::kInternal, {}, {}}).decision;
}

SamplingDecision DecideRoot(const Sampler& s, const TraceId& id = NewRandomTraceId()) {
  return Decide(s, Context(), id);
}

// A trace id whose low 56 bits (bytes 9..15) equal `r`.
TraceId IdWithRandomness(uint64_t r) {
  TraceId id = NewRandomTraceId();
  for (int i = 15; i >= 9; --i) {
    id.mutable_data()[i] = static_cast<uint8_t>(r & 0xff);
    r >>= 8;
  }
  return id;
}

Context ParentContext(bool remote, bool sampled) {
  return Context().WithSpanContext(
      SpanContext(NewRandomTraceId(), NewRandomSpanId(), TraceFlags(sampled ? 1 : 0), remote));
}

TEST(SamplerTest, AlwaysOnSamplesEverything) {
  EXPECT_EQ(DecideRoot(*MakeAlwaysOnSampler()), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(MakeAlwaysOnSampler()->Description(), "AlwaysOnSampler");
}

TEST(SamplerTest, AlwaysOffDropsEverything) {
  EXPECT_EQ(DecideRoot(*MakeAlwaysOffSampler()), SamplingDecision::kDrop);
  EXPECT_EQ(MakeAlwaysOffSampler()->Description(), "AlwaysOffSampler");
}

TEST(SamplerTest, RatioZeroAndOneAreNoneAndAll) {
  auto none = MakeTraceIdRatioSampler(0.0);
  auto all = MakeTraceIdRatioSampler(1.0);
  for (int i = 0; i < 1000; ++i) {
    const TraceId id = NewRandomTraceId();
    ASSERT_EQ(DecideRoot(*none, id), SamplingDecision::kDrop);
    ASSERT_EQ(DecideRoot(*all, id), SamplingDecision::kRecordAndSample);
  }
  EXPECT_EQ(DecideRoot(*none, IdWithRandomness((uint64_t{1} << 56) - 1)), SamplingDecision::kDrop);
  EXPECT_EQ(DecideRoot(*all, IdWithRandomness(0)), SamplingDecision::kRecordAndSample);
}

TEST(SamplerTest, RatioDecidesOnTheLow56BitsAgainstTheThreshold) {
  auto half = MakeTraceIdRatioSampler(0.5);
  const uint64_t threshold = uint64_t{1} << 55;  // (1 - 0.5) * 2^56
  EXPECT_EQ(DecideRoot(*half, IdWithRandomness(threshold)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(DecideRoot(*half, IdWithRandomness(threshold - 1)), SamplingDecision::kDrop);
  EXPECT_EQ(half->Description(), "TraceIdRatioBased{0.500000}");
}

TEST(SamplerTest, RatioIsDeterministicPerTraceId) {
  auto s = MakeTraceIdRatioSampler(0.3);
  for (int i = 0; i < 100; ++i) {
    const TraceId id = NewRandomTraceId();
    ASSERT_EQ(DecideRoot(*s, id), DecideRoot(*s, id));
  }
}

TEST(SamplerTest, RatioSamplesRoughlyThatFraction) {
  auto s = MakeTraceIdRatioSampler(0.25);
  int sampled = 0;
  for (int i = 0; i < 40000; ++i) {
    sampled += DecideRoot(*s) == SamplingDecision::kRecordAndSample;
  }
  EXPECT_GT(sampled, 9400);
  EXPECT_LT(sampled, 10600);
}

TEST(SamplerTest, ParentBasedUsesRootForRootSpans) {
  EXPECT_EQ(DecideRoot(*MakeParentBasedSampler(MakeAlwaysOffSampler())), SamplingDecision::kDrop);
  EXPECT_EQ(DecideRoot(*MakeParentBasedSampler(MakeAlwaysOnSampler())),
            SamplingDecision::kRecordAndSample);
}

TEST(SamplerTest, ParentBasedFollowsTheParentsSampledFlagByDefault) {
  auto s = MakeParentBasedSampler(MakeAlwaysOffSampler());
  const TraceId id = NewRandomTraceId();
  EXPECT_EQ(Decide(*s, ParentContext(true, true), id), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(*s, ParentContext(true, false), id), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(*s, ParentContext(false, true), id), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(*s, ParentContext(false, false), id), SamplingDecision::kDrop);
}

TEST(SamplerTest, ParentBasedDelegatesEachParentCaseToItsSampler) {
  ParentBasedOptions o;
  o.root = MakeAlwaysOffSampler();
  o.remote_parent_sampled = MakeAlwaysOffSampler();
  o.remote_parent_not_sampled = MakeAlwaysOnSampler();
  o.local_parent_sampled = MakeAlwaysOffSampler();
  o.local_parent_not_sampled = MakeAlwaysOnSampler();
  auto s = MakeParentBasedSampler(std::move(o));
  const TraceId id = NewRandomTraceId();
  EXPECT_EQ(Decide(*s, ParentContext(true, true), id), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(*s, ParentContext(true, false), id), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(*s, ParentContext(false, true), id), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(*s, ParentContext(false, false), id), SamplingDecision::kRecordAndSample);
  EXPECT_NE(s->Description().find("ParentBased{root=AlwaysOffSampler"), std::string::npos);
}

uint64_t fake_now_ns = 0;
uint64_t FakeNow() { return fake_now_ns; }

TEST(SamplerTest, RateLimitingSamplesAtMostTheRatePerSecond) {
  fake_now_ns = 1'000'000'000;
  auto s = MakeRateLimitingSampler(10, &FakeNow);
  int sampled = 0;
  for (int i = 0; i < 100; ++i) sampled += DecideRoot(*s) == SamplingDecision::kRecordAndSample;
  EXPECT_EQ(sampled, 10) << "the bucket starts full";
  fake_now_ns += 500'000'000;  // half a second refills 5 tokens
  sampled = 0;
  for (int i = 0; i < 100; ++i) sampled += DecideRoot(*s) == SamplingDecision::kRecordAndSample;
  EXPECT_EQ(sampled, 5);
}

TEST(SamplerTest, RateLimitingBalanceIsCappedAtOneSecondOfTokens) {
  fake_now_ns = 0;
  auto s = MakeRateLimitingSampler(2, &FakeNow);
  fake_now_ns += 60'000'000'000;  // a minute idle
  int sampled = 0;
  for (int i = 0; i < 100; ++i) sampled += DecideRoot(*s) == SamplingDecision::kRecordAndSample;
  EXPECT_EQ(sampled, 2);
}

TEST(SamplerTest, RateLimitingBelowOnePerSecondStillAllowsOneTrace) {
  fake_now_ns = 0;
  auto s = MakeRateLimitingSampler(0.5, &FakeNow);
  EXPECT_EQ(DecideRoot(*s), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(DecideRoot(*s), SamplingDecision::kDrop);
  fake_now_ns += 2'000'000'000;
  EXPECT_EQ(DecideRoot(*s), SamplingDecision::kRecordAndSample);
}

TEST(SamplerTest, RateLimitingAddsSamplerAttributes) {
  fake_now_ns = 0;
  auto s = MakeRateLimitingSampler(3, &FakeNow);
  const TraceId id = NewRandomTraceId();
  SamplingResult r =
      s->ShouldSample(SamplingParams{Context(), id, "op", SpanKind::kServer, {}, {}});
  ASSERT_EQ(r.decision, SamplingDecision::kRecordAndSample);
  Attributes want = {{"sampler.type", std::string("ratelimiting")}, {"sampler.param", 3.0}};
  EXPECT_EQ(r.attributes, want);
}

}  // namespace
}  // namespace tracewire::trace
