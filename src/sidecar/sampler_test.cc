#include "sidecar/sampler.h"

#include <gtest/gtest.h>

namespace tracewire::sidecar {
namespace {

uint64_t g_now_ns = 0;
uint64_t FakeNow() { return g_now_ns; }

trace::SamplingDecision Decide(const trace::Sampler& sampler, const trace::Context& parent,
                               bool forced = false) {
  const trace::TraceId id = trace::TraceId::FromHex("0af7651916cd43dd8448eb211c80319c");
  trace::SamplingParams params{
      parent,
      id,
      "x",
      trace::SpanKind::kServer,
      forced ? ForcedSamplingAttributes() : std::span<const trace::Attribute>{},
      {}};
  return sampler.ShouldSample(params).decision;
}

constexpr auto kSampled = trace::SamplingDecision::kRecordAndSample;
constexpr auto kDrop = trace::SamplingDecision::kDrop;

TEST(SidecarSamplerTest, RateLimiterRefillsContinuouslyWithABurstOfOneSecond) {
  RateLimiter limiter(4);  // a token every 250 ms, burst 4
  uint64_t now = 1'000'000'000;
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(limiter.TryAcquire(now)) << i;
  EXPECT_FALSE(limiter.TryAcquire(now));
  EXPECT_FALSE(limiter.TryAcquire(now + 200'000'000));
  EXPECT_TRUE(limiter.TryAcquire(now + 250'000'000));
  EXPECT_FALSE(limiter.TryAcquire(now + 250'000'000));
  now += 10'000'000'000;  // a long pause refills only up to the burst
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(limiter.TryAcquire(now)) << i;
  EXPECT_FALSE(limiter.TryAcquire(now));
  RateLimiter slow(0.5);  // burst 1, a token every 2 s
  EXPECT_TRUE(slow.TryAcquire(now));
  EXPECT_FALSE(slow.TryAcquire(now + 1'999'000'000));
  EXPECT_TRUE(slow.TryAcquire(now + 2'000'000'000));
}

TEST(SidecarSamplerTest, ForcedBeatsRatioRateAndParent) {
  SamplingConfig config;
  config.ratio = 0;
  config.rate_limit = 1;
  auto sampler = MakeSidecarSampler(config, &FakeNow);
  const trace::Context root;
  EXPECT_EQ(Decide(*sampler, root), kDrop);
  EXPECT_EQ(Decide(*sampler, root, /*forced=*/true), kSampled);
  const trace::SpanContext unsampled(trace::TraceId::FromHex("0af7651916cd43dd8448eb211c80319c"),
                                     trace::SpanId::FromHex("b7ad6b7169203331"),
                                     trace::TraceFlags(0), true);
  const trace::Context parent = root.WithSpanContext(unsampled);
  EXPECT_EQ(Decide(*sampler, parent), kDrop);
  EXPECT_EQ(Decide(*sampler, parent, /*forced=*/true), kSampled);
}

TEST(SidecarSamplerTest, RateLimitsRootsButFollowsSampledParents) {
  SamplingConfig config;
  config.rate_limit = 2;
  g_now_ns = 5'000'000'000;
  auto sampler = MakeSidecarSampler(config, &FakeNow);
  const trace::Context root;
  EXPECT_EQ(Decide(*sampler, root), kSampled);
  EXPECT_EQ(Decide(*sampler, root), kSampled);
  EXPECT_EQ(Decide(*sampler, root), kDrop);
  const trace::SpanContext sampled(trace::TraceId::FromHex("0af7651916cd43dd8448eb211c80319c"),
                                   trace::SpanId::FromHex("b7ad6b7169203331"), trace::TraceFlags(1),
                                   true);
  EXPECT_EQ(Decide(*sampler, root.WithSpanContext(sampled)), kSampled);
  g_now_ns += 500'000'000;
  EXPECT_EQ(Decide(*sampler, root), kSampled);
  config.parent_based = false;
  auto not_parent_based = MakeSidecarSampler(config, &FakeNow);
  EXPECT_EQ(Decide(*not_parent_based, root.WithSpanContext(sampled)), kSampled);
  EXPECT_EQ(Decide(*not_parent_based, root.WithSpanContext(sampled)), kSampled);
  EXPECT_EQ(Decide(*not_parent_based, root.WithSpanContext(sampled)), kDrop);
}

TEST(SidecarSamplerTest, ForceValues) {
  EXPECT_TRUE(IsForceValue("1"));
  EXPECT_TRUE(IsForceValue("true"));
  EXPECT_TRUE(IsForceValue("True"));
  EXPECT_FALSE(IsForceValue("0"));
  EXPECT_FALSE(IsForceValue("yes"));
  EXPECT_FALSE(IsForceValue(""));
  EXPECT_FALSE(IsForceValue("truee"));
}

}  // namespace
}  // namespace tracewire::sidecar
