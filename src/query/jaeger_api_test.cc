// The Jaeger HTTP API over real HTTP: response shapes (structuredResponse, uimodel) and values,
// search semantics and order, and errors in Jaeger's shape.
#include <string>
#include <vector>

#include "query/query_test_fixture.h"

namespace tracewire::query::testing {
namespace {

using nlohmann::json;

class JaegerApiTest : public QueryHttpTest {
 protected:
  // The traceIDs of a /api/traces answer, in order.
  std::vector<std::string> SearchIds(const std::string& query) {
    json j = GetJson("/api/traces?" + query);
    std::vector<std::string> ids;
    if (!j["data"].is_array()) return ids;
    for (const json& t : j["data"]) ids.push_back(t["traceID"].get<std::string>());
    return ids;
  }

  // The span of `trace` (a uimodel.Trace) with `id`.
  static const json& SpanOf(const json& trace, const model::SpanId& id) {
    for (const json& s : trace["spans"]) {
      if (s["spanID"] == Hex(id)) return s;
    }
    static const json kNone;
    ADD_FAILURE() << "no span " << Hex(id);
    return kNone;
  }

  // The tag `key` of a tag list, or null.
  static json TagOf(const json& tags, const std::string& key) {
    for (const json& t : tags) {
      if (t["key"] == key) return t;
    }
    return nullptr;
  }
};

void ExpectStructuredShape(const json& j) {
  EXPECT_TRUE(j.contains("data"));
  EXPECT_EQ(j["limit"], 0);
  EXPECT_EQ(j["offset"], 0);
  EXPECT_TRUE(j.contains("total"));
}

TEST_F(JaegerApiTest, ServicesListsEveryServiceSorted) {
  json j = GetJson("/api/services");
  ExpectStructuredShape(j);
  EXPECT_EQ(j["data"], json({"backend", "batch-job", "frontend"}));
  EXPECT_EQ(j["total"], 3);
  EXPECT_TRUE(j["errors"].is_null());
}

TEST_F(JaegerApiTest, LegacyOperationsListsDistinctNamesOfOneService) {
  json j = GetJson("/api/services/frontend/operations");
  EXPECT_EQ(j["data"], json({"GET /checkout", "GET /home", "call backend"}));
  EXPECT_EQ(j["total"], 3);
  EXPECT_EQ(GetJson("/api/services/backend/operations")["data"], json({"POST /charge", "SELECT"}));
  EXPECT_EQ(GetJson("/api/services/nobody/operations")["data"], json::array());
}

TEST_F(JaegerApiTest, OperationsCarrySpanKindsAndFilterByThem) {
  json j = GetJson("/api/operations?service=frontend");
  EXPECT_EQ(j["data"], json::parse(R"([{"name":"GET /checkout","spanKind":"server"},
      {"name":"GET /home","spanKind":"server"},{"name":"call backend","spanKind":"client"}])"));
  EXPECT_EQ(j["total"], 3);
  j = GetJson("/api/operations?service=frontend&spanKind=client");
  EXPECT_EQ(j["data"], json::parse(R"([{"name":"call backend","spanKind":"client"}])"));
  EXPECT_EQ(GetJson("/api/operations?service=batch-job")["data"][0]["spanKind"], "internal");
}

TEST_F(JaegerApiTest, OperationsNeedAServiceAndAKnownSpanKind) {
  json j = GetJson("/api/operations", 400);
  EXPECT_TRUE(j["data"].is_null());
  EXPECT_EQ(j["errors"][0]["code"], 400);
  EXPECT_EQ(j["errors"][0]["msg"], "parameter 'service' is required");
  GetJson("/api/operations?service=frontend&spanKind=sideways", 400);
}

TEST_F(JaegerApiTest, TraceByIdIsOneUiModelTrace) {
  json j = GetJson("/api/traces/" + Hex(data_.trace_a));
  ExpectStructuredShape(j);
  EXPECT_TRUE(j["errors"].is_null());
  ASSERT_EQ(j["data"].size(), 1u);
  const json& trace = j["data"][0];
  EXPECT_EQ(trace["traceID"], Hex(data_.trace_a));
  EXPECT_TRUE(trace.contains("warnings"));
  ASSERT_EQ(trace["spans"].size(), 4u);
  // Spans by start time; processes per distinct resource, in order of first use.
  EXPECT_EQ(trace["spans"][0]["spanID"], Hex(data_.a_root));
  EXPECT_EQ(trace["spans"][3]["spanID"], Hex(data_.a_select));
  EXPECT_EQ(trace["processes"], json::parse(R"({
      "p1": {"serviceName": "frontend", "tags": [
        {"key": "host.name", "type": "string", "value": "web-1"},
        {"key": "process.pid", "type": "int64", "value": 42}]},
      "p2": {"serviceName": "backend", "tags": [
        {"key": "deployment.environment", "type": "string", "value": "prod"}]}})"));
}

TEST_F(JaegerApiTest, RootSpanCarriesEveryTagTypeAndItsEventAsALog) {
  const json trace = GetJson("/api/traces/" + Hex(data_.trace_a))["data"][0];
  const json& root = SpanOf(trace, data_.a_root);
  EXPECT_EQ(root["traceID"], Hex(data_.trace_a));
  EXPECT_EQ(root["operationName"], "GET /checkout");
  EXPECT_EQ(root["references"], json::array());
  EXPECT_EQ(root["startTime"], BaseUs());
  EXPECT_EQ(root["duration"], 100'000);
  EXPECT_EQ(root["processID"], "p1");
  EXPECT_FALSE(root.contains("flags"));
  EXPECT_EQ(root["tags"], json::parse(R"([
      {"key": "otel.scope.name", "type": "string", "value": "tracewire.test"},
      {"key": "otel.scope.version", "type": "string", "value": "1.2.3"},
      {"key": "http.request.method", "type": "string", "value": "GET"},
      {"key": "http.response.status_code", "type": "int64", "value": 200},
      {"key": "ratio", "type": "float64", "value": 0.25},
      {"key": "cache.hit", "type": "bool", "value": true},
      {"key": "blob", "type": "binary", "value": "AQID"},
      {"key": "list", "type": "string", "value": "[\"a\",1]"},
      {"key": "map", "type": "string", "value": "{\"k\":\"v\"}"},
      {"key": "big", "type": "int64", "value": "1152921504606846976"},
      {"key": "unset", "type": "string", "value": ""},
      {"key": "span.kind", "type": "string", "value": "server"},
      {"key": "otel.status_code", "type": "string", "value": "OK"},
      {"key": "w3c.tracestate", "type": "string", "value": "vendor=1"}])"));
  EXPECT_EQ(root["logs"], json::parse("[{\"timestamp\": " + std::to_string(BaseUs() + 1000) +
                                      R"(, "fields": [
      {"key": "event", "type": "string", "value": "cache.miss"},
      {"key": "cache.key", "type": "string", "value": "cart"}]}])"));
}

TEST_F(JaegerApiTest, ErrorSpanHasStatusTagsParentAndLinkReferences) {
  const json trace = GetJson("/api/traces/" + Hex(data_.trace_a))["data"][0];
  const json& charge = SpanOf(trace, data_.a_charge);
  EXPECT_EQ(charge["processID"], "p2");
  EXPECT_EQ(charge["references"],
            json::parse(R"([
      {"refType": "CHILD_OF", "traceID": ")" +
                        Hex(data_.trace_a) + R"(", "spanID": ")" + Hex(data_.a_client) + R"("},
      {"refType": "FOLLOWS_FROM", "traceID": ")" +
                        Hex(data_.trace_b) + R"(", "spanID": ")" + Hex(data_.b_root) + R"("}])"));
  EXPECT_EQ(TagOf(charge["tags"], "otel.status_code")["value"], "ERROR");
  EXPECT_EQ(TagOf(charge["tags"], "error"),
            json::parse(R"({"key":"error","type":"bool","value":true})"));
  EXPECT_EQ(TagOf(charge["tags"], "otel.status_description")["value"], "card declined");
  EXPECT_EQ(charge["logs"][0]["fields"][0]["value"], "exception");
  EXPECT_EQ(charge["logs"][0]["fields"][1]["key"], "exception.message");
  // A link marked opentracing.ref_type=child_of stays CHILD_OF.
  const json& select = SpanOf(trace, data_.a_select);
  ASSERT_EQ(select["references"].size(), 2u);
  EXPECT_EQ(select["references"][0]["spanID"], Hex(data_.a_charge));
  EXPECT_EQ(select["references"][1]["refType"], "CHILD_OF");
  EXPECT_EQ(select["references"][1]["spanID"], Hex(data_.a_root));
  EXPECT_EQ(TagOf(select["tags"], "span.kind")["value"], "client");
  EXPECT_TRUE(TagOf(select["tags"], "otel.status_code").is_null());
}

TEST_F(JaegerApiTest, TraceByIdAcceptsShortAndUpperCaseIds) {
  EXPECT_EQ(GetJson("/api/traces/abc123")["data"][0]["traceID"], Hex(data_.trace_d));
  EXPECT_EQ(GetJson("/api/traces/0000ABC123")["data"][0]["spans"].size(), 1u);
  std::string upper = Hex(data_.trace_a);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(GetJson("/api/traces/" + upper)["data"][0]["traceID"], Hex(data_.trace_a));
}

TEST_F(JaegerApiTest, MissingTraceIs404InJaegersShape) {
  json j = GetJson("/api/traces/0123456789abcdef", 404);
  EXPECT_TRUE(j["data"].is_null());
  EXPECT_EQ(j["total"], 0);
  EXPECT_EQ(j["errors"], json::parse(R"([{"code": 404, "msg": "trace not found"}])"));
}

TEST_F(JaegerApiTest, MalformedTraceIdsAre400) {
  for (const std::string id : {"xyz", "0", "0123456789abcdef0123456789abcdef0", "%zz"}) {
    json j = GetJson("/api/traces/" + id, 400);
    EXPECT_EQ(j["errors"][0]["code"], 400) << id;
  }
  GetJson("/api/traces/" + Hex(data_.trace_a) + "?start=soon", 400);
}

TEST_F(JaegerApiTest, SearchByServiceIsNewestFirstWithWholeTraces) {
  EXPECT_EQ(SearchIds("service=frontend"),
            (std::vector<std::string>{Hex(data_.trace_a), Hex(data_.trace_c)}));
  EXPECT_EQ(SearchIds("service=backend"),
            (std::vector<std::string>{Hex(data_.trace_b), Hex(data_.trace_a)}));
  json j = GetJson("/api/traces?service=backend");
  ExpectStructuredShape(j);
  EXPECT_TRUE(j["errors"].is_null());
  EXPECT_EQ(j["data"][1]["spans"].size(), 4u);  // every span, not only the matching ones
}

TEST_F(JaegerApiTest, SearchFiltersByOperationTagsDurationsTimeAndLimit) {
  const std::string a = Hex(data_.trace_a);
  const std::string b = Hex(data_.trace_b);
  const std::string c = Hex(data_.trace_c);
  using Ids = std::vector<std::string>;
  EXPECT_EQ(SearchIds("service=backend&operation=POST%20%2Fcharge"), (Ids{b, a}));
  EXPECT_EQ(SearchIds("service=backend&operation=SELECT"), (Ids{a}));
  EXPECT_EQ(SearchIds("service=backend&tags=%7B%22error%22%3A%22true%22%7D"), (Ids{a}));
  EXPECT_EQ(SearchIds("service=backend&tag=otel.status_code:ERROR"), (Ids{a}));
  EXPECT_EQ(SearchIds("service=backend&tag=payment.provider:acme"), (Ids{a}));
  EXPECT_EQ(SearchIds("service=backend&tags=%7B%22deployment.environment%22%3A%22prod%22%7D"),
            (Ids{b, a}));  // resource attributes match too
  EXPECT_EQ(SearchIds("service=frontend&tag=http.response.status_code:200"), (Ids{a}));
  EXPECT_EQ(SearchIds("service=frontend&tag=cache.hit:true"), (Ids{a}));
  EXPECT_EQ(SearchIds("service=frontend&tag=http.request.method:POST"), (Ids{}));
  EXPECT_EQ(SearchIds("service=backend&minDuration=40ms"), (Ids{a}));
  EXPECT_EQ(SearchIds("service=backend&maxDuration=10ms"), (Ids{b, a}));  // SELECT is 10 ms
  EXPECT_EQ(SearchIds("service=backend&maxDuration=6ms"), (Ids{b}));
  EXPECT_EQ(SearchIds("service=frontend&minDuration=200000"), (Ids{c}));  // integer µs
  EXPECT_EQ(SearchIds("service=backend&limit=1"), (Ids{b}));
  const std::string window =
      "&start=" + std::to_string(BaseUs() - 1000) + "&end=" + std::to_string(BaseUs() + 100'000);
  EXPECT_EQ(SearchIds("service=frontend" + window), (Ids{a}));
  EXPECT_EQ(SearchIds("service=backend" + window), (Ids{a}));
  // end is inclusive: a span starting exactly at `end` µs matches.
  EXPECT_EQ(SearchIds("service=frontend&start=" + std::to_string(BaseUs()) +
                      "&end=" + std::to_string(BaseUs())),
            (Ids{a}));
}

TEST_F(JaegerApiTest, SearchAsGrafanaSendsIt) {
  // Grafana: service, operation, tags as JSON, min/maxDuration, limit, start/end in µs,
  // lookback=custom.
  const std::string query =
      "service=backend&operation=POST%20%2Fcharge&tags=%7B%22rpc.method%22%3A%22Charge%22%7D"
      "&minDuration=1ms&maxDuration=1s&limit=20&start=" +
      std::to_string(BaseUs() - 3'600'000'000ull) +
      "&end=" + std::to_string(BaseUs() + 3'600'000'000ull) + "&lookback=custom";
  EXPECT_EQ(SearchIds(query), (std::vector<std::string>{Hex(data_.trace_a)}));
}

TEST_F(JaegerApiTest, SearchByTraceIdsListsTheMissingOnesAsErrors) {
  json j = GetJson("/api/traces?traceID=" + Hex(data_.trace_c) + "&traceID=" + Hex(data_.trace_a) +
                   "&traceID=fff");
  ASSERT_EQ(j["data"].size(), 2u);
  EXPECT_EQ(j["data"][0]["traceID"], Hex(data_.trace_c));  // in the order asked
  EXPECT_EQ(j["data"][1]["traceID"], Hex(data_.trace_a));
  EXPECT_EQ(j["errors"], json::parse(R"([{"msg": "trace not found",
      "traceID": "00000000000000000000000000000fff"}])"));
}

TEST_F(JaegerApiTest, BadSearchParametersAre400WithTheReason) {
  auto msg = [&](const std::string& query) {
    json j = GetJson("/api/traces?" + query, 400);
    EXPECT_TRUE(j["data"].is_null());
    EXPECT_EQ(j["errors"][0]["code"], 400);
    return j["errors"][0]["msg"].get<std::string>();
  };
  EXPECT_EQ(msg(""), "parameter 'service' is required");
  EXPECT_EQ(msg("service=a&minDuration=2s&maxDuration=1s"),
            "'maxDuration' should be greater than 'minDuration'");
  EXPECT_NE(msg("service=a&minDuration=quick").find("minDuration"), std::string::npos);
  EXPECT_NE(msg("service=a&tags=notjson").find("tags"), std::string::npos);
  EXPECT_NE(msg("service=a&tag=nocolon").find("tag"), std::string::npos);
  EXPECT_NE(msg("service=a&limit=many").find("limit"), std::string::npos);
  EXPECT_NE(msg("service=a&start=-5").find("start"), std::string::npos);
  EXPECT_NE(msg("traceID=nothex").find("traceID"), std::string::npos);
}

TEST_F(JaegerApiTest, DependenciesCountCallsBetweenServices) {
  const uint64_t now_ms = NowNs() / 1'000'000;
  json j = GetJson("/api/dependencies?endTs=" + std::to_string(now_ms) + "&lookback=3600000");
  ExpectStructuredShape(j);
  EXPECT_EQ(j["data"], json::parse(R"([{"parent":"frontend","child":"backend","callCount":1}])"));
  EXPECT_EQ(GetJson("/api/dependencies")["data"].size(), 1u);  // default: the last 24 h
  EXPECT_EQ(GetJson("/api/dependencies?service=backend")["data"].size(), 1u);
  EXPECT_EQ(GetJson("/api/dependencies?service=batch-job")["data"], json::array());
  // A window that ends before trace A.
  const std::string before = std::to_string(data_.base_ns / 1'000'000 - 1);
  EXPECT_EQ(GetJson("/api/dependencies?endTs=" + before + "&lookback=60000")["data"],
            json::array());
  GetJson("/api/dependencies?endTs=yesterday", 400);
  GetJson("/api/dependencies?lookback=-1", 400);
}

TEST_F(JaegerApiTest, DefaultSearchWindowIsTwoDaysBeforeNow) {
  QueryOptions options;
  const uint64_t now = data_.base_ns + 48ull * 3600 * 1'000'000'000 + 30 * 1'000'000'000ull;
  options.now_ns = [now] { return now; };
  StartServer(std::move(options));
  // now − 48 h is 30 s after trace A's start, and B started 1 s after A: neither is in.
  EXPECT_EQ(SearchIds("service=backend"), std::vector<std::string>{});
  EXPECT_EQ(SearchIds("service=backend&lookback=49h"),
            (std::vector<std::string>{Hex(data_.trace_b), Hex(data_.trace_a)}));
}

TEST_F(JaegerApiTest, SearchLimitIsCappedAtMaxLimit) {
  QueryOptions options;
  options.max_limit = 1;
  StartServer(std::move(options));
  EXPECT_EQ(SearchIds("service=backend&limit=100"), (std::vector<std::string>{Hex(data_.trace_b)}));
}

}  // namespace
}  // namespace tracewire::query::testing
