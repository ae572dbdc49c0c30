#include "trace/propagation/b3.h"

#include <gtest/gtest.h>

#include "trace/propagation/b3_propagator.h"
#include "trace/propagation/carriers.h"
#include "trace/propagation/test_util.h"

namespace tracewire::trace::propagation {
namespace {

using testing::ContextWith;

TEST(B3SingleTest, ParsesAllFourFields) {
  auto b3 = ParseB3Single("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90");
  ASSERT_TRUE(b3.ok());
  EXPECT_EQ(b3->trace_id.ToHex(), "80f198ee56343ba864fe8b2a57d3eff7");
  EXPECT_EQ(b3->span_id.ToHex(), "e457b5a2e4d86bd1");
  EXPECT_EQ(b3->sampling, B3Sampling::kAccept);
}

TEST(B3SingleTest, LeftPadsA64BitTraceId) {
  auto b3 = ParseB3Single("64fe8b2a57d3eff7-e457b5a2e4d86bd1");
  ASSERT_TRUE(b3.ok());
  EXPECT_EQ(b3->trace_id.ToHex(), "000000000000000064fe8b2a57d3eff7");
  EXPECT_EQ(b3->sampling, B3Sampling::kUnset);
}

TEST(B3SingleTest, DebugImpliesSampled) {
  auto b3 = ParseB3Single("64fe8b2a57d3eff7-e457b5a2e4d86bd1-d");
  ASSERT_TRUE(b3.ok());
  EXPECT_TRUE(b3->Flags().sampled());
}

TEST(B3SingleTest, ALoneSamplingStateHasNoIds) {
  for (const char* v : {"0", "1", "d"}) {
    auto b3 = ParseB3Single(v);
    ASSERT_TRUE(b3.ok()) << v;
    EXPECT_FALSE(b3->HasIds());
  }
  EXPECT_FALSE(ParseB3Single("x").ok());
}

TEST(B3SingleTest, RejectsMalformedValues) {
  for (const char* v : {"", "64fe8b2a57d3eff7", "64FE8B2A57D3EFF7-e457b5a2e4d86bd1",
                        "64fe8b2a57d3eff-e457b5a2e4d86bd1", "64fe8b2a57d3eff7-e457b5a2e4d86bd1-2",
                        "64fe8b2a57d3eff7-e457b5a2e4d86bd1-1-",
                        "64fe8b2a57d3eff7-e457b5a2e4d86bd1-05e3ac9a4f6e3b90",
                        "0000000000000000-e457b5a2e4d86bd1", "64fe8b2a57d3eff7-0000000000000000"}) {
    EXPECT_FALSE(ParseB3Single(v).ok()) << v;
  }
}

TEST(B3MultiTest, ParsesIdsAndSampled) {
  B3MultiValues v;
  v.trace_id = "463ac35c9f6413ad48485a3953bb6124";
  v.span_id = "a2fb4a1d1a96d312";
  v.parent_span_id = "0020000000000001";
  v.sampled = "true";
  auto b3 = ParseB3Multi(v);
  ASSERT_TRUE(b3.ok());
  EXPECT_EQ(b3->sampling, B3Sampling::kAccept);
}

TEST(B3MultiTest, FlagsOneMeansDebugAndOverridesSampled) {
  B3MultiValues v;
  v.trace_id = "463ac35c9f6413ad";
  v.span_id = "a2fb4a1d1a96d312";
  v.sampled = "0";
  v.flags = "1";
  auto b3 = ParseB3Multi(v);
  ASSERT_TRUE(b3.ok());
  EXPECT_EQ(b3->sampling, B3Sampling::kDebug);
}

TEST(B3MultiTest, NeedsBothIdsOrNeither) {
  B3MultiValues v;
  v.trace_id = "463ac35c9f6413ad";
  EXPECT_FALSE(ParseB3Multi(v).ok());
  EXPECT_EQ(ParseB3Multi(B3MultiValues()).status().code(), StatusCode::kNotFound);
}

TEST(B3MultiTest, RejectsUnknownSampledValues) {
  B3MultiValues v;
  v.trace_id = "463ac35c9f6413ad";
  v.span_id = "a2fb4a1d1a96d312";
  v.sampled = "yes";
  EXPECT_FALSE(ParseB3Multi(v).ok());
}

TEST(B3PropagatorTest, SingleHeaderWinsOverMulti) {
  HttpHeaders h{{"b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-0"},
                {"X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124"},
                {"X-B3-SpanId", "a2fb4a1d1a96d312"}};
  Context ctx = B3Propagator().Extract(HttpHeaderCarrier(h), Context());
  EXPECT_EQ(ctx.span_context().span_id().ToHex(), "e457b5a2e4d86bd1");
  EXPECT_FALSE(ctx.span_context().IsSampled());
}

TEST(B3PropagatorTest, FallsBackToMultiWhenSingleIsInvalid) {
  HttpHeaders h{{"b3", "garbage"},
                {"X-B3-TraceId", "463ac35c9f6413ad48485a3953bb6124"},
                {"X-B3-SpanId", "a2fb4a1d1a96d312"},
                {"X-B3-Sampled", "1"}};
  Context ctx = B3Propagator().Extract(HttpHeaderCarrier(h), Context());
  EXPECT_EQ(ctx.span_context().span_id().ToHex(), "a2fb4a1d1a96d312");
  EXPECT_TRUE(ctx.span_context().IsSampled());
  EXPECT_TRUE(ctx.span_context().IsRemote());
}

TEST(B3PropagatorTest, InjectsSingleOrMulti) {
  HttpHeaders single;
  HttpHeaderCarrier a(single);
  B3Propagator(B3InjectFormat::kSingle).Inject(ContextWith(TraceFlags(1)), a);
  EXPECT_EQ(a.Get("b3"), "4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1");
  HttpHeaders multi;
  HttpHeaderCarrier b(multi);
  B3Propagator(B3InjectFormat::kMulti).Inject(ContextWith(TraceFlags(0)), b);
  EXPECT_EQ(b.Get("x-b3-traceid"), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(b.Get("x-b3-spanid"), "00f067aa0ba902b7");
  EXPECT_EQ(b.Get("x-b3-sampled"), "0");
  EXPECT_FALSE(b.Get("x-b3-parentspanid").has_value());
}

}  // namespace
}  // namespace tracewire::trace::propagation
