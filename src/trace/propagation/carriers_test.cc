#include "trace/propagation/carriers.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <unordered_map>

namespace tracewire::trace::propagation {
namespace {

TEST(MapCarrierTest, GetsAndSetsExactKeysOverAStdMap) {
  std::map<std::string, std::string> m{{"traceparent", "a"}};
  MapCarrier carrier(m);
  EXPECT_EQ(carrier.Get("traceparent"), "a");
  EXPECT_FALSE(carrier.Get("Traceparent").has_value());
  carrier.Set("traceparent", "b");
  carrier.Set("baggage", "c");
  EXPECT_EQ(m["traceparent"], "b");
  EXPECT_EQ(m["baggage"], "c");
}

TEST(MapCarrierTest, WorksOverTransparentAndUnorderedMaps) {
  std::map<std::string, std::string, std::less<>> transparent;
  MapCarrier a(transparent);
  a.Set("k", "v");
  EXPECT_EQ(a.Get("k"), "v");
  std::unordered_map<std::string, std::string> unordered;
  MapCarrier b(unordered);
  b.Set("k", "v");
  EXPECT_EQ(b.Get("k"), "v");
}

TEST(MapCarrierTest, KeepsBinaryValuesWhole) {
  std::map<std::string, std::string> m;
  MapCarrier carrier(m);
  carrier.Set("grpc-trace-bin", std::string_view("\0\1\0", 3));
  std::optional<std::string_view> v = carrier.Get("grpc-trace-bin");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v.value_or("").size(), 3u);
}

TEST(MapCarrierTest, AConstMapIsReadOnly) {
  const std::map<std::string, std::string> m{{"k", "v"}};
  MapCarrier carrier(m);
  carrier.Set("k", "other");
  EXPECT_EQ(carrier.Get("k"), "v");
}

TEST(HttpHeaderCarrierTest, NamesAreCaseInsensitive) {
  HttpHeaders h{{"TraceParent", "x"}};
  HttpHeaderCarrier carrier(h);
  EXPECT_EQ(carrier.Get("traceparent"), "x");
}

TEST(HttpHeaderCarrierTest, RepeatedHeadersAreJoinedWithCommas) {
  HttpHeaders h{{"tracestate", "a=1"}, {"other", "z"}, {"TRACESTATE", "b=2"}, {"tracestate", ""}};
  HttpHeaderCarrier carrier(h);
  EXPECT_EQ(carrier.Get("tracestate"), "a=1,b=2,");
  EXPECT_EQ(carrier.Get("other"), "z");
}

TEST(HttpHeaderCarrierTest, SetReplacesAllHeadersOfThatName) {
  HttpHeaders h{{"Baggage", "a=1"}, {"x", "y"}, {"baggage", "b=2"}};
  HttpHeaderCarrier carrier(h);
  carrier.Set("baggage", "c=3");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].second, "c=3");
  EXPECT_EQ(h[1].first, "x");
}

TEST(HttpHeaderCarrierTest, SetAppendsAMissingHeader) {
  HttpHeaders h;
  HttpHeaderCarrier carrier(h);
  carrier.Set("traceparent", "v");
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0], (std::pair<std::string, std::string>("traceparent", "v")));
  EXPECT_FALSE(carrier.Get("missing").has_value());
}

}  // namespace
}  // namespace tracewire::trace::propagation
