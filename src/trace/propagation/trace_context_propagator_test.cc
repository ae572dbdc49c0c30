#include "trace/propagation/trace_context_propagator.h"

#include <gtest/gtest.h>

#include "trace/propagation/carriers.h"
#include "trace/propagation/test_util.h"

namespace tracewire::trace::propagation {
namespace {

using testing::ContextWith;

constexpr const char* kTp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceContextPropagatorTest, ExtractsARemoteSpanContextWithTraceState) {
  HttpHeaders h{{"traceparent", kTp}, {"tracestate", "rojo=1,congo=2"}};
  Context ctx = TraceContextPropagator().Extract(HttpHeaderCarrier(h), Context());
  const SpanContext& sc = ctx.span_context();
  ASSERT_TRUE(sc.IsValid());
  EXPECT_TRUE(sc.IsRemote());
  EXPECT_TRUE(sc.IsSampled());
  EXPECT_EQ(sc.trace_id(), testing::TestTraceId());
  EXPECT_EQ(sc.trace_state().ToHeader(), "rojo=1,congo=2");
}

TEST(TraceContextPropagatorTest, AnInvalidTraceparentLeavesTheContextUnchanged) {
  HttpHeaders h{{"traceparent", "00-xyz"}, {"tracestate", "a=1"}};
  Context before = ContextWith(TraceFlags(0));
  EXPECT_EQ(TraceContextPropagator().Extract(HttpHeaderCarrier(h), before), before);
}

TEST(TraceContextPropagatorTest, AnInvalidTracestateIsDiscardedButTheSpanIsKept) {
  HttpHeaders h{{"traceparent", kTp}, {"tracestate", "a=1,a=2"}};
  Context ctx = TraceContextPropagator().Extract(HttpHeaderCarrier(h), Context());
  EXPECT_TRUE(ctx.span_context().IsValid());
  EXPECT_TRUE(ctx.span_context().trace_state().empty());
}

TEST(TraceContextPropagatorTest, RepeatedTraceparentHeadersAreInvalid) {
  HttpHeaders h{{"traceparent", kTp}, {"traceparent", kTp}};
  EXPECT_FALSE(
      TraceContextPropagator().Extract(HttpHeaderCarrier(h), Context()).span_context().IsValid());
}

TEST(TraceContextPropagatorTest, InjectWritesVersion00AndTheTraceState) {
  std::map<std::string, std::string> m;
  MapCarrier carrier(m);
  TraceContextPropagator().Inject(ContextWith(TraceFlags(1), TraceState().Set("k", "v")), carrier);
  EXPECT_EQ(m["traceparent"], kTp);
  EXPECT_EQ(m["tracestate"], "k=v");
}

TEST(TraceContextPropagatorTest, InjectOmitsAnEmptyTraceState) {
  std::map<std::string, std::string> m;
  MapCarrier carrier(m);
  TraceContextPropagator().Inject(ContextWith(TraceFlags(0)), carrier);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m["traceparent"].substr(53), "00");
}

TEST(TraceContextPropagatorTest, InjectWritesNothingWithoutASpan) {
  std::map<std::string, std::string> m;
  MapCarrier carrier(m);
  TraceContextPropagator().Inject(Context(), carrier);
  EXPECT_TRUE(m.empty());
}

TEST(TraceContextPropagatorTest, ExtractKeepsTheIncomingBaggage) {
  HttpHeaders h{{"traceparent", kTp}};
  Context before = Context().WithBaggage(Baggage().Set("k", "v"));
  Context ctx = TraceContextPropagator().Extract(HttpHeaderCarrier(h), before);
  EXPECT_EQ(ctx.baggage(), before.baggage());
  EXPECT_EQ(ctx.span_context().span_id(), testing::TestSpanId());
}

}  // namespace
}  // namespace tracewire::trace::propagation
