// The native API (/api/v1) over real HTTP: traces as OTLP/JSON, search summaries, services,
// operations, logs and dependencies, and errors in the native shape.
#include <string>
#include <vector>

#include "query/query_test_fixture.h"

namespace tracewire::query::testing {
namespace {

using nlohmann::json;

class NativeApiTest : public QueryHttpTest {
 protected:
  std::vector<std::string> SearchIds(const std::string& query) {
    json j = GetJson("/api/v1/traces?" + query);
    std::vector<std::string> ids;
    for (const json& t : j["traces"]) ids.push_back(t["traceId"].get<std::string>());
    return ids;
  }
};

// Every span of an OTLP/JSON traces document, by span id, with its service.
struct OtlpSpan {
  json span;
  std::string service;
  json scope;
};
std::map<std::string, OtlpSpan> SpansOf(const json& doc) {
  std::map<std::string, OtlpSpan> out;
  for (const json& rs : doc.value("resourceSpans", json::array())) {
    std::string service;
    for (const json& kv : rs["resource"]["attributes"]) {
      if (kv["key"] == "service.name") service = kv["value"]["stringValue"];
    }
    for (const json& ss : rs.value("scopeSpans", json::array())) {
      for (const json& s : ss.value("spans", json::array())) {
        out[s["spanId"].get<std::string>()] = {s, service, ss.value("scope", json())};
      }
    }
  }
  return out;
}

json AttrOf(const json& attributes, const std::string& key) {
  for (const json& kv : attributes) {
    if (kv["key"] == key) return kv["value"];
  }
  return nullptr;
}

TEST_F(NativeApiTest, TraceByIdIsOtlpJson) {
  json doc = GetJson("/api/v1/traces/" + Hex(data_.trace_a));
  ASSERT_TRUE(doc["resourceSpans"].is_array());
  std::map<std::string, OtlpSpan> spans = SpansOf(doc);
  ASSERT_EQ(spans.size(), 4u);
  const json& root = spans[Hex(data_.a_root)].span;
  EXPECT_EQ(spans[Hex(data_.a_root)].service, "frontend");
  EXPECT_EQ(spans[Hex(data_.a_root)].scope["name"], "tracewire.test");
  EXPECT_EQ(root["traceId"], Hex(data_.trace_a));
  EXPECT_EQ(root["name"], "GET /checkout");
  EXPECT_EQ(root["kind"], 2);
  EXPECT_EQ(root["startTimeUnixNano"], std::to_string(data_.base_ns));
  EXPECT_EQ(root["endTimeUnixNano"], std::to_string(data_.base_ns + 100 * kMs));
  EXPECT_EQ(AttrOf(root["attributes"], "http.request.method"), json({{"stringValue", "GET"}}));
  EXPECT_EQ(AttrOf(root["attributes"], "http.response.status_code"), json({{"intValue", "200"}}));
  EXPECT_EQ(AttrOf(root["attributes"], "ratio"), json({{"doubleValue", 0.25}}));
  EXPECT_EQ(AttrOf(root["attributes"], "cache.hit"), json({{"boolValue", true}}));
  EXPECT_EQ(AttrOf(root["attributes"], "blob"), json({{"bytesValue", "AQID"}}));
  EXPECT_EQ(AttrOf(root["attributes"], "list")["arrayValue"]["values"].size(), 2u);
  EXPECT_EQ(AttrOf(root["attributes"], "map")["kvlistValue"]["values"][0]["key"], "k");
  EXPECT_EQ(root["events"][0]["name"], "cache.miss");

  const json& charge = spans[Hex(data_.a_charge)].span;
  EXPECT_EQ(spans[Hex(data_.a_charge)].service, "backend");
  EXPECT_EQ(charge["parentSpanId"], Hex(data_.a_client));
  EXPECT_EQ(charge["status"]["code"], 2);
  EXPECT_EQ(charge["status"]["message"], "card declined");
  EXPECT_EQ(charge["links"][0]["traceId"], Hex(data_.trace_b));
  EXPECT_EQ(charge["links"][0]["spanId"], Hex(data_.b_root));
}

TEST_F(NativeApiTest, TraceByIdErrorsUseTheNativeShape) {
  json j = GetJson("/api/v1/traces/0123456789abcdef", 404);
  EXPECT_EQ(j["error"]["code"], 404);
  EXPECT_TRUE(j["error"]["message"].is_string());
  j = GetJson("/api/v1/traces/not-hex", 400);
  EXPECT_EQ(j["error"]["code"], 400);
  EXPECT_EQ(GetJson("/api/v1/traces/ABC123")["resourceSpans"].size(), 1u);  // short, upper case
}

TEST_F(NativeApiTest, SearchReturnsSummariesNewestFirst) {
  json j = GetJson("/api/v1/traces");
  ASSERT_EQ(j["traces"].size(), 4u);
  EXPECT_EQ(SearchIds(""), (std::vector<std::string>{Hex(data_.trace_b), Hex(data_.trace_a),
                                                     Hex(data_.trace_c), Hex(data_.trace_d)}));
  const json& a = j["traces"][1];
  EXPECT_EQ(a, json::parse(R"({"traceId": ")" + Hex(data_.trace_a) + R"(",
      "rootService": "frontend", "rootOperation": "GET /checkout",
      "startTimeUnixNano": ")" +
                           std::to_string(data_.base_ns) + R"(",
      "durationNano": "100000000", "spanCount": 4, "errorCount": 1,
      "services": [{"service": "backend", "spanCount": 2, "errorCount": 1},
                   {"service": "frontend", "spanCount": 2, "errorCount": 0}]})"));
  // Deterministic: the same query answers the same bytes.
  EXPECT_EQ(Get("/api/v1/traces").body, Get("/api/v1/traces").body);
}

TEST_F(NativeApiTest, SearchFiltersByEveryCondition) {
  const std::string a = Hex(data_.trace_a);
  const std::string b = Hex(data_.trace_b);
  const std::string c = Hex(data_.trace_c);
  const std::string d = Hex(data_.trace_d);
  using Ids = std::vector<std::string>;
  EXPECT_EQ(SearchIds("service=frontend"), (Ids{a, c}));
  EXPECT_EQ(SearchIds("service=backend&operation=POST+%2Fcharge"), (Ids{b, a}));
  EXPECT_EQ(SearchIds("attr=rpc.method=Charge"), (Ids{a}));
  EXPECT_EQ(SearchIds("attr=rpc.method=Charge&attr=payment.provider=acme"), (Ids{a}));
  EXPECT_EQ(SearchIds("attr=rpc.method=Charge&attr=http.request.method=GET"), (Ids{}));  // one span
  EXPECT_EQ(SearchIds("attr=deployment.environment=prod"), (Ids{b, a}));
  EXPECT_EQ(SearchIds("errors=true"), (Ids{a}));
  EXPECT_EQ(SearchIds("errors=false&service=batch-job"), (Ids{d}));
  EXPECT_EQ(SearchIds("minDuration=200ms"), (Ids{c, d}));
  EXPECT_EQ(SearchIds("minDuration=200000000&maxDuration=500ms"), (Ids{c}));  // integers are ns
  EXPECT_EQ(SearchIds("limit=2"), (Ids{b, a}));
  EXPECT_EQ(SearchIds("start=" + std::to_string(data_.base_ns) +
                      "&end=" + std::to_string(data_.base_ns + 1)),
            (Ids{a}));
}

TEST_F(NativeApiTest, SearchTakesRfc3339Times) {
  // [base − 3 h, base − 1 h) in RFC 3339: only trace D.
  auto rfc3339 = [](uint64_t ns) {
    const time_t secs = static_cast<time_t>(ns / 1'000'000'000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    return std::string(buf) + "Z";
  };
  const uint64_t hour = 3600ull * 1'000'000'000;
  EXPECT_EQ(SearchIds("start=" + rfc3339(data_.base_ns - 3 * hour) +
                      "&end=" + rfc3339(data_.base_ns - hour)),
            (std::vector<std::string>{Hex(data_.trace_d)}));
}

TEST_F(NativeApiTest, BadSearchParametersAre400) {
  for (const std::string q :
       {"attr=novalue", "errors=perhaps", "minDuration=soon", "start=tomorrow", "start=10&end=5",
        "limit=-1", "minDuration=2s&maxDuration=1s"}) {
    json j = GetJson("/api/v1/traces?" + q, 400);
    EXPECT_EQ(j["error"]["code"], 400) << q;
    EXPECT_FALSE(j["error"]["message"].get<std::string>().empty()) << q;
  }
}

TEST_F(NativeApiTest, ServicesAndOperations) {
  EXPECT_EQ(GetJson("/api/v1/services"),
            json::parse(R"({"services": ["backend", "batch-job", "frontend"]})"));
  EXPECT_EQ(GetJson("/api/v1/services/backend/operations"), json::parse(R"({"operations": [
      {"name": "POST /charge", "spanKind": "server"},
      {"name": "SELECT", "spanKind": "client"}]})"));
  EXPECT_EQ(GetJson("/api/v1/services/nobody/operations"), json::parse(R"({"operations": []})"));
}

TEST_F(NativeApiTest, LogsOfATraceAndOfOneSpan) {
  auto bodies = [](const json& doc) {
    std::vector<std::string> out;
    for (const json& rl : doc.value("resourceLogs", json::array())) {
      for (const json& sl : rl.value("scopeLogs", json::array())) {
        for (const json& r : sl.value("logRecords", json::array())) {
          out.push_back(r["body"]["stringValue"]);
        }
      }
    }
    return out;
  };
  json all = GetJson("/api/v1/traces/" + Hex(data_.trace_a) + "/logs");
  EXPECT_EQ(bodies(all), (std::vector<std::string>{"checkout started", "charge failed"}));
  json one =
      GetJson("/api/v1/traces/" + Hex(data_.trace_a) + "/logs?spanId=" + Hex(data_.a_charge));
  EXPECT_EQ(bodies(one), (std::vector<std::string>{"charge failed"}));
  EXPECT_EQ(bodies(GetJson("/api/v1/traces/" + Hex(data_.trace_b) + "/logs")).size(), 0u);
  GetJson("/api/v1/traces/" + Hex(data_.trace_a) + "/logs?spanId=xyz", 400);
  GetJson("/api/v1/traces/nothex/logs", 400);
}

TEST_F(NativeApiTest, DependenciesHaveErrorCountsAndQuantiles) {
  json j = GetJson("/api/v1/dependencies");
  ASSERT_EQ(j["dependencies"].size(), 1u);
  const json& link = j["dependencies"][0];
  EXPECT_EQ(link["parent"], "frontend");
  EXPECT_EQ(link["child"], "backend");
  EXPECT_EQ(link["callCount"], 1);
  EXPECT_EQ(link["errorCount"], 1);
  // The child span lasted 50 ms; the store's quantiles are within a few per cent.
  const double p50 = std::stod(link["durationP50Nano"].get<std::string>());
  const double p99 = std::stod(link["durationP99Nano"].get<std::string>());
  EXPECT_NEAR(p50, 50e6, 50e6 * 0.05);
  EXPECT_NEAR(p99, 50e6, 50e6 * 0.05);
  const std::string before = std::to_string(data_.base_ns);
  EXPECT_EQ(GetJson("/api/v1/dependencies?start=0&end=" + before)["dependencies"], json::array());
  GetJson("/api/v1/dependencies?start=later", 400);
}

}  // namespace
}  // namespace tracewire::query::testing
