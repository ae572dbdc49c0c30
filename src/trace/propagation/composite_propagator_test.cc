#include "trace/propagation/composite_propagator.h"

#include <gtest/gtest.h>

#include "trace/propagation/b3_propagator.h"
#include "trace/propagation/baggage_propagator.h"
#include "trace/propagation/binary_propagator.h"
#include "trace/propagation/carriers.h"
#include "trace/propagation/test_util.h"
#include "trace/propagation/trace_context_propagator.h"

namespace tracewire::trace::propagation {
namespace {

constexpr const char* kTp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr const char* kB3 = "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1";

CompositePropagator W3cThenB3WithBaggage() {
  std::vector<std::unique_ptr<TextMapPropagator>> v;
  v.push_back(std::make_unique<TraceContextPropagator>());
  v.push_back(std::make_unique<B3Propagator>());
  v.push_back(std::make_unique<BaggagePropagator>());
  return CompositePropagator(std::move(v));
}

TEST(CompositePropagatorTest, TheFirstValidSpanContextWins) {
  HttpHeaders h{{"traceparent", kTp}, {"b3", kB3}};
  Context ctx = W3cThenB3WithBaggage().Extract(HttpHeaderCarrier(h), Context());
  EXPECT_EQ(ctx.span_context().trace_id(), testing::TestTraceId());
}

TEST(CompositePropagatorTest, ALaterFormatIsUsedWhenEarlierOnesAreInvalid) {
  HttpHeaders h{{"traceparent", "00-bogus"}, {"b3", kB3}};
  Context ctx = W3cThenB3WithBaggage().Extract(HttpHeaderCarrier(h), Context());
  EXPECT_EQ(ctx.span_context().span_id().ToHex(), "e457b5a2e4d86bd1");
}

TEST(CompositePropagatorTest, BaggageIsExtractedAlongsideTheSpan) {
  HttpHeaders h{{"b3", kB3}, {"baggage", "k=v"}};
  Context before = Context().WithBaggage(Baggage().Set("old", "1"));
  Context ctx = W3cThenB3WithBaggage().Extract(HttpHeaderCarrier(h), before);
  EXPECT_TRUE(ctx.span_context().IsValid());
  EXPECT_EQ(ctx.baggage().ToHeader(), "old=1,k=v");
}

TEST(CompositePropagatorTest, NothingFoundKeepsTheIncomingSpanContext) {
  HttpHeaders h;
  Context before = testing::ContextWith(TraceFlags(1));
  EXPECT_EQ(W3cThenB3WithBaggage().Extract(HttpHeaderCarrier(h), before), before);
}

TEST(CompositePropagatorTest, InjectRunsEveryPropagator) {
  HttpHeaders h;
  HttpHeaderCarrier carrier(h);
  Context ctx = testing::ContextWith(TraceFlags(1)).WithBaggage(Baggage().Set("k", "v"));
  W3cThenB3WithBaggage().Inject(ctx, carrier);
  EXPECT_EQ(carrier.Get("traceparent"), kTp);
  EXPECT_TRUE(carrier.Get("b3").has_value());
  EXPECT_EQ(carrier.Get("baggage"), "k=v");
}

TEST(CompositePropagatorTest, FieldsAreTheUnionInOrder) {
  CompositePropagator composite = W3cThenB3WithBaggage();
  auto fields = composite.Fields();
  ASSERT_EQ(fields.size(), 4u);
  EXPECT_EQ(fields[0], "traceparent");
  EXPECT_EQ(fields[2], "b3");
  EXPECT_EQ(fields[3], "baggage");
}

}  // namespace
}  // namespace tracewire::trace::propagation
