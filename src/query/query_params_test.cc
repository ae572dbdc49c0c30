// Parsers of the query API: query strings, paths, durations, times, ids, and the Jaeger and
// native search parameters.
#include <gtest/gtest.h>

#include "query/internal/param_values.h"
#include "query/internal/query_string.h"
#include "query/internal/request_params.h"

namespace tracewire::query::internal {
namespace {

constexpr uint64_t kMs = 1'000'000;
constexpr uint64_t kSec = 1'000'000'000;

QueryParams Params(std::string_view query) {
  StatusOr<QueryParams> p = QueryParams::Parse(query);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : QueryParams();
}

TEST(QueryStringTest, DecodesNamesAndValuesWithPlusAsSpace) {
  QueryParams p = Params("service=my+svc&tag=a%3Ab&empty=&bare&&x=%E2%9C%93");
  ASSERT_EQ(p.items().size(), 5u);
  EXPECT_EQ(*p.Find("service"), "my svc");
  EXPECT_EQ(*p.Find("tag"), "a:b");
  EXPECT_EQ(p.Find("empty"), nullptr);  // empty means absent, as Go's FormValue
  EXPECT_EQ(p.Find("bare"), nullptr);
  EXPECT_EQ(*p.Find("x"), "\xE2\x9C\x93");
  EXPECT_EQ(p.All("empty").size(), 1u);
}

TEST(QueryStringTest, FindReturnsTheFirstNonEmptyValueAndAllKeepsOrder) {
  QueryParams p = Params("k=&k=1&k=2");
  EXPECT_EQ(*p.Find("k"), "1");
  EXPECT_EQ(p.All("k"), (std::vector<std::string_view>{"", "1", "2"}));
}

TEST(QueryStringTest, RejectsBadEscapesAndTooManyParameters) {
  EXPECT_FALSE(QueryParams::Parse("a=%zz").ok());
  EXPECT_FALSE(QueryParams::Parse("a=%4").ok());
  EXPECT_FALSE(QueryParams::Parse("%=1").ok());
  std::string many;
  for (size_t i = 0; i <= kMaxParams; ++i) many += "a=1&";
  EXPECT_FALSE(QueryParams::Parse(many).ok());
  EXPECT_TRUE(QueryParams::Parse(many, kMaxParams + 1).ok());
}

TEST(QueryStringTest, SplitsPathsBeforeDecodingSegments) {
  StatusOr<std::vector<std::string>> s = SplitPath("/api/services/a%2Fb+c/operations");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, (std::vector<std::string>{"api", "services", "a/b+c", "operations"}));
  EXPECT_FALSE(SplitPath("/api//x").ok());
  EXPECT_FALSE(SplitPath("/api/").ok());
  EXPECT_FALSE(SplitPath("/api/%G0").ok());
  EXPECT_FALSE(SplitPath("/a/b/c/d/e/f/g/h/i").ok());
}

TEST(QueryStringTest, SplitsTargetsIntoPathAndQuery) {
  EXPECT_EQ(SplitTarget("/a?b=1#frag"),
            std::make_pair(std::string_view("/a"), std::string_view("b=1")));
  EXPECT_EQ(SplitTarget("/a#x?y").second, "");
}

TEST(DurationTest, ParsesGoDurations) {
  EXPECT_EQ(*ParseDurationNs("0", 1000), 0u);
  EXPECT_EQ(*ParseDurationNs("1.5ms", 1000), 1'500'000u);
  EXPECT_EQ(*ParseDurationNs("2h45m", 1000), (2 * 3600 + 45 * 60) * kSec);
  EXPECT_EQ(*ParseDurationNs("300us", 1000), 300'000u);
  EXPECT_EQ(*ParseDurationNs("300\xC2\xB5s", 1000), 300'000u);
  EXPECT_EQ(*ParseDurationNs("300\xCE\xBCs", 1000), 300'000u);
  EXPECT_EQ(*ParseDurationNs("7ns", 1000), 7u);
  EXPECT_EQ(*ParseDurationNs(".5s", 1000), kSec / 2);
  EXPECT_EQ(*ParseDurationNs("1.s", 1000), kSec);
  EXPECT_EQ(*ParseDurationNs("+2s", 1000), 2 * kSec);
  EXPECT_EQ(*ParseDurationNs("1.000000001s", 1), kSec + 1);
}

TEST(DurationTest, ReadsPlainIntegersInTheGivenUnit) {
  EXPECT_EQ(*ParseDurationNs("1500", 1000), 1'500'000u);  // µs (Jaeger)
  EXPECT_EQ(*ParseDurationNs("1500", 1), 1500u);          // ns (native)
  EXPECT_EQ(*ParseDurationNs("20", kMs), 20 * kMs);       // ms (dependencies lookback)
}

TEST(DurationTest, DaysAndWeeksOnlyWhenAllowed) {
  EXPECT_FALSE(ParseDurationNs("2d", 1000).ok());
  EXPECT_EQ(*ParseDurationNs("2d", 1000, true), 48 * 3600 * kSec);
  EXPECT_EQ(*ParseDurationNs("1w", 1000, true), 7 * 24 * 3600 * kSec);
}

TEST(DurationTest, RejectsMalformedNegativeAndOverflowingDurations) {
  for (std::string_view bad : {"", "-1s", "1", "s", "1x", "1.2.3s", ".s", "1s2", "ms",
                               "99999999999h", "9223372036854775808ns", "1e3s"}) {
    if (bad == "1") continue;  // a plain integer is valid
    EXPECT_FALSE(ParseDurationNs(bad, 1000).ok()) << bad;
  }
  EXPECT_FALSE(ParseDurationNs("99999999999999999999", 1000).ok());
  EXPECT_FALSE(ParseDurationNs("9223372036854776", 1000).ok());  // × 1000 overflows int64
}

TEST(IntegerTest, ParsesUnsignedAndSigned) {
  EXPECT_EQ(*ParseUint("18446744073709551615"), UINT64_MAX);
  EXPECT_FALSE(ParseUint("18446744073709551616").ok());
  EXPECT_FALSE(ParseUint("-1").ok());
  EXPECT_FALSE(ParseUint("1 ").ok());
  EXPECT_EQ(*ParseInt("-5"), -5);
  EXPECT_EQ(*ParseInt("-9223372036854775808"), INT64_MIN);
  EXPECT_FALSE(ParseInt("9223372036854775808").ok());
}

TEST(Rfc3339Test, ParsesUtcOffsetsAndFractions) {
  EXPECT_EQ(*ParseRfc3339Ns("1970-01-01T00:00:00Z"), 0u);
  EXPECT_EQ(*ParseRfc3339Ns("2026-12-01T19:30:45Z"), 1796153445ull * kSec);
  EXPECT_EQ(*ParseRfc3339Ns("2026-12-01t19:30:45.5z"), 1796153445ull * kSec + kSec / 2);
  EXPECT_EQ(*ParseRfc3339Ns("2026-12-02T03:30:45.000000001+08:00"), 1796153445ull * kSec + 1);
  EXPECT_EQ(*ParseRfc3339Ns("2024-02-29 00:00:00-00:30"), 1709166600ull * kSec);
}

TEST(Rfc3339Test, RejectsMalformedTimes) {
  for (std::string_view bad :
       {"", "2026-12-01", "2026-12-01T19:30:45", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
        "2026-12-01T24:00:00Z", "2026-12-01T19:30:45.Z", "2026-12-01T19:30:45+0800",
        "1969-12-31T23:59:59Z", "2026-12-01T19:30:45Zjunk", "abcd-12-01T19:30:45Z"}) {
    EXPECT_FALSE(ParseRfc3339Ns(bad).ok()) << bad;
  }
}

TEST(BoolTest, AcceptsGoSpellings) {
  EXPECT_TRUE(*ParseBool("true"));
  EXPECT_TRUE(*ParseBool("1"));
  EXPECT_FALSE(*ParseBool("False"));
  EXPECT_FALSE(ParseBool("yes").ok());
}

TEST(IdTest, LeftPadsShortHexAndAcceptsUpperCase) {
  StatusOr<model::TraceId> t = ParseTraceId("ABC");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->ToHex(), "00000000000000000000000000000abc");
  EXPECT_EQ(ParseTraceId("0123456789abcdef0123456789abcdef")->ToHex(),
            "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(ParseSpanId("1f")->ToHex(), "000000000000001f");
  EXPECT_FALSE(ParseTraceId("").ok());
  EXPECT_FALSE(ParseTraceId("0").ok());
  EXPECT_FALSE(ParseTraceId("0123456789abcdef0123456789abcdef0").ok());
  EXPECT_FALSE(ParseTraceId("xyz").ok());
  EXPECT_FALSE(ParseSpanId("0123456789abcdef0").ok());
}

constexpr uint64_t kNow = 1'800'000'000ull * kSec;

TEST(JaegerSearchTest, AppliesJaegerDefaults) {
  StatusOr<JaegerSearch> s = ParseJaegerSearch(Params("service=a"), kNow, 1500);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->query.service, "a");
  EXPECT_EQ(s->query.limit, 100u);
  EXPECT_EQ(s->query.start_ns, kNow - 48 * 3600 * kSec);
  EXPECT_EQ(s->query.end_ns, kNow + 1);
  EXPECT_FALSE(s->query.min_duration_ns.has_value());
  EXPECT_TRUE(s->trace_ids.empty());
}

TEST(JaegerSearchTest, ReadsEveryParameter) {
  StatusOr<JaegerSearch> s = ParseJaegerSearch(
      Params("service=a&operation=GET+%2F&start=1000&end=2000&minDuration=1.5ms&maxDuration=2s"
             "&limit=7&tag=http.method:GET&tag=url:http://x&"
             "tags=%7B%22rpc.method%22%3A%22Charge%22%2C%22error%22%3A%22true%22%7D"),
      kNow, 1500);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const store::TraceQuery& q = s->query;
  EXPECT_EQ(q.operation, "GET /");
  EXPECT_EQ(q.start_ns, 1'000'000u);
  EXPECT_EQ(q.end_ns, 2'001'000u);  // end inclusive at µs precision
  EXPECT_EQ(*q.min_duration_ns, 1'500'000u);
  EXPECT_EQ(*q.max_duration_ns, 2 * kSec);
  EXPECT_EQ(q.limit, 7u);
  EXPECT_TRUE(q.errors_only);  // error=true is the span status, not an attribute
  using Pair = std::pair<std::string, std::string>;
  EXPECT_EQ(
      q.attributes,
      (std::vector<Pair>{{"http.method", "GET"}, {"rpc.method", "Charge"}, {"url", "http://x"}}));
}

TEST(JaegerSearchTest, LookbackCountsBackFromEndOrNow) {
  StatusOr<JaegerSearch> s =
      ParseJaegerSearch(Params("service=a&lookback=1h&end=5000000000"), kNow, 1500);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->query.start_ns, 5000 * kSec - 3600 * kSec);
  s = ParseJaegerSearch(Params("service=a&lookback=2d"), kNow, 1500);
  EXPECT_EQ(s->query.start_ns, kNow - 48 * 3600 * kSec);
  s = ParseJaegerSearch(Params("service=a&lookback=custom&start=10"), kNow, 1500);
  EXPECT_EQ(s->query.start_ns, 10'000u);
}

TEST(JaegerSearchTest, CapsTheLimitAndTreatsZeroAsDefault) {
  EXPECT_EQ(ParseJaegerSearch(Params("service=a&limit=100000"), kNow, 1500)->query.limit, 1500u);
  EXPECT_EQ(ParseJaegerSearch(Params("service=a&limit=0"), kNow, 1500)->query.limit, 100u);
  EXPECT_EQ(ParseJaegerSearch(Params("service=a&limit=5000"), kNow, 0)->query.limit, 1u);
}

TEST(JaegerSearchTest, TraceIdsMakeTheServiceOptional) {
  StatusOr<JaegerSearch> s = ParseJaegerSearch(Params("traceID=abc&traceID=DEF"), kNow, 1500);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->trace_ids.size(), 2u);
  EXPECT_EQ(s->trace_ids[1].ToHex(), "00000000000000000000000000000def");
}

TEST(JaegerSearchTest, RejectsBadParametersWithJaegersMessages) {
  auto message = [](std::string_view q) {
    StatusOr<JaegerSearch> s = ParseJaegerSearch(Params(q), kNow, 1500);
    EXPECT_FALSE(s.ok()) << q;
    return s.ok() ? std::string() : s.status().message();
  };
  EXPECT_EQ(message(""), "parameter 'service' is required");
  EXPECT_EQ(message("service=a&minDuration=2s&maxDuration=1s"),
            "'maxDuration' should be greater than 'minDuration'");
  EXPECT_NE(message("service=a&start=abc").find("'start'"), std::string::npos);
  EXPECT_NE(message("service=a&end=-1").find("'end'"), std::string::npos);
  EXPECT_NE(message("service=a&limit=x").find("'limit'"), std::string::npos);
  EXPECT_NE(message("service=a&limit=-1").find("'limit'"), std::string::npos);
  EXPECT_NE(message("service=a&minDuration=fast").find("'minDuration'"), std::string::npos);
  EXPECT_NE(message("service=a&lookback=soon").find("'lookback'"), std::string::npos);
  EXPECT_NE(message("service=a&tag=novalue").find("'tag'"), std::string::npos);
  EXPECT_NE(message("service=a&tags=%5B1%5D").find("'tags'"), std::string::npos);
  EXPECT_NE(message("service=a&tags=%7B%22a%22%3A1%7D").find("'tags'"), std::string::npos);
  EXPECT_NE(message("service=a&tags=%7Bbroken").find("'tags'"), std::string::npos);
  EXPECT_NE(message("traceID=xyz").find("traceID"), std::string::npos);
}

TEST(JaegerDependenciesTest, EndTsAndLookbackInMilliseconds) {
  StatusOr<TimeRange> r = ParseJaegerDependencies(Params("endTs=10000&lookback=4000"), kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->end_ns, 10000 * kMs + 1);
  EXPECT_EQ(r->start_ns, 6000 * kMs);
  r = ParseJaegerDependencies(Params(""), kNow);
  EXPECT_EQ(r->end_ns, kNow + 1);
  EXPECT_EQ(r->start_ns, kNow - 24 * 3600 * kSec);
  r = ParseJaegerDependencies(Params("endTs=1000&lookback=1h"), kNow);
  EXPECT_EQ(r->start_ns, 0u);
  EXPECT_FALSE(ParseJaegerDependencies(Params("endTs=x"), kNow).ok());
  EXPECT_FALSE(ParseJaegerDependencies(Params("lookback=-5"), kNow).ok());
}

TEST(NativeSearchTest, ReadsEveryParameter) {
  StatusOr<store::TraceQuery> q = ParseNativeSearch(
      Params("service=a&operation=b&attr=k%3D1=x&attr=e=&errors=true&minDuration=1500"
             "&maxDuration=1s&start=2026-12-01T19:30:45Z&end=1796153446000000000&limit=3"),
      1500);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  using Pair = std::pair<std::string, std::string>;
  EXPECT_EQ(q->attributes, (std::vector<Pair>{{"k", "1=x"}, {"e", ""}}));
  EXPECT_TRUE(q->errors_only);
  EXPECT_EQ(*q->min_duration_ns, 1500u);  // integers are ns here
  EXPECT_EQ(*q->max_duration_ns, kSec);
  EXPECT_EQ(q->start_ns, 1796153445ull * kSec);
  EXPECT_EQ(q->end_ns, 1796153446ull * kSec);
  EXPECT_EQ(q->limit, 3u);
}

TEST(NativeSearchTest, DefaultsToAllTimeAndTwentyTraces) {
  StatusOr<store::TraceQuery> q = ParseNativeSearch(Params(""), 1500);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->start_ns, 0u);
  EXPECT_EQ(q->end_ns, UINT64_MAX);
  EXPECT_EQ(q->limit, 20u);
  EXPECT_FALSE(q->errors_only);
}

TEST(NativeSearchTest, RejectsBadParameters) {
  for (std::string_view bad : {"attr=novalue", "attr==x", "errors=maybe", "minDuration=1x",
                               "start=yesterday", "start=10&end=5", "limit=-3"}) {
    EXPECT_FALSE(ParseNativeSearch(Params(bad), 1500).ok()) << bad;
  }
}

TEST(NativeDependenciesTest, DefaultsToTheLastDay) {
  StatusOr<TimeRange> r = ParseNativeDependencies(Params(""), kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->end_ns, kNow + 1);
  EXPECT_EQ(r->start_ns, kNow + 1 - 24 * 3600 * kSec);
  r = ParseNativeDependencies(Params("start=5&end=9"), kNow);
  EXPECT_EQ(r->start_ns, 5u);
  EXPECT_EQ(r->end_ns, 9u);
  EXPECT_FALSE(ParseNativeDependencies(Params("start=9&end=5"), kNow).ok());
}

}  // namespace
}  // namespace tracewire::query::internal
