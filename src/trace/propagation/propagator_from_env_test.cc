#include "trace/propagation/propagator_from_env.h"

#include <gtest/gtest.h>

#include "trace/propagation/carriers.h"

namespace tracewire::trace::propagation {
namespace {

std::vector<std::string_view> FieldsOf(std::string_view env) {
  auto p = MakePropagatorFromEnvValue(env);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  if (!p.ok()) return {};
  auto f = (*p)->Fields();
  return {f.begin(), f.end()};
}

TEST(PropagatorFromEnvTest, EmptyMeansTraceContextAndBaggage) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(FieldsOf(""), (V{"traceparent", "tracestate", "baggage"}));
  EXPECT_EQ(FieldsOf("  "), (V{"traceparent", "tracestate", "baggage"}));
}

TEST(PropagatorFromEnvTest, NamesAreCaseInsensitiveTrimmedAndDeduplicated) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(FieldsOf(" B3multi , b3multi,grpc-trace-bin"),
            (V{"x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "grpc-trace-bin"}));
  EXPECT_EQ(FieldsOf("b3"), (V{"b3"}));
}

TEST(PropagatorFromEnvTest, NoneGivesAPropagatorThatDoesNothing) {
  auto p = MakePropagatorFromEnvValue("none");
  ASSERT_TRUE(p.ok());
  HttpHeaders h{{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}};
  EXPECT_FALSE((*p)->Extract(HttpHeaderCarrier(h), Context()).span_context().IsValid());
  EXPECT_TRUE((*p)->Fields().empty());
}

TEST(PropagatorFromEnvTest, UnknownNamesAreAnErrorNamingThemAll) {
  auto p = MakePropagatorFromEnvValue("tracecontext,xray,Jaeger");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find("\"xray\""), std::string::npos);
  EXPECT_NE(p.status().message().find("\"jaeger\""), std::string::npos);
}

TEST(PropagatorFromEnvTest, TheDefaultPropagatorRoundTripsAContext) {
  auto p = MakePropagatorFromEnvValue(kDefaultOtelPropagators);
  ASSERT_TRUE(p.ok());
  HttpHeaders in{{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                 {"tracestate", "a=1"},
                 {"baggage", "k=v"}};
  Context ctx = (*p)->Extract(HttpHeaderCarrier(in), Context());
  HttpHeaders out;
  HttpHeaderCarrier carrier(out);
  (*p)->Inject(ctx, carrier);
  EXPECT_EQ(out, in);
}

}  // namespace
}  // namespace tracewire::trace::propagation
