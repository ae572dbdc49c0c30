// The web UI's routes: a trace in compact form (columns + string tables) and one span in full.
#include <string>
#include <vector>

#include "query/internal/compact_trace.h"
#include "query/query_test_fixture.h"

namespace tracewire::query::testing {
namespace {

using nlohmann::json;

using UiApiTest = QueryHttpTest;

TEST_F(UiApiTest, CompactTraceHasOneColumnEntryPerSpanInStartOrder) {
  json c = GetJson("/api/v1/traces/" + Hex(data_.trace_a) + "/compact");
  EXPECT_EQ(c["traceId"], Hex(data_.trace_a));
  EXPECT_EQ(c["startTimeUnixNano"], std::to_string(data_.base_ns));
  EXPECT_EQ(c["durationNano"], std::to_string(100 * kMs));
  EXPECT_EQ(c["spanCount"], 4);
  EXPECT_EQ(c["services"], json({"frontend", "backend"}));
  EXPECT_EQ(c["names"], json({"GET /checkout", "call backend", "POST /charge", "SELECT"}));
  EXPECT_EQ(c["spanIds"],
            Hex(data_.a_root) + Hex(data_.a_client) + Hex(data_.a_charge) + Hex(data_.a_select));
  EXPECT_EQ(c["parent"], json({-1, 0, 1, 2}));
  EXPECT_EQ(c["start"], json({0, 10 * kMs, 20 * kMs, 30 * kMs}));
  EXPECT_EQ(c["duration"], json({100 * kMs, 70 * kMs, 50 * kMs, 10 * kMs}));
  EXPECT_EQ(c["service"], json({0, 0, 1, 1}));
  EXPECT_EQ(c["name"], json({0, 1, 2, 3}));
  EXPECT_EQ(c["status"], json({1, 0, 2, 0}));
  EXPECT_EQ(c["kind"], json({2, 3, 2, 3}));
  using internal::kCompactEvents;
  using internal::kCompactException;
  using internal::kCompactLinks;
  EXPECT_EQ(c["flags"], json({kCompactEvents, 0, kCompactEvents | kCompactException | kCompactLinks,
                              kCompactLinks}));
  EXPECT_EQ(c["orphans"], json::array());
}

TEST_F(UiApiTest, CompactTraceErrorsAreNative) {
  json missing = GetJson("/api/v1/traces/" + std::string(31, '0') + "1/compact", 404);
  EXPECT_EQ(missing["error"]["code"], 404);
  json bad = GetJson("/api/v1/traces/xyz/compact", 400);
  EXPECT_EQ(bad["error"]["code"], 400);
}

TEST_F(UiApiTest, SpanDetailIsThatSpanAloneAsOtlpJson) {
  json doc = GetJson("/api/v1/traces/" + Hex(data_.trace_a) + "/spans/" + Hex(data_.a_charge));
  ASSERT_EQ(doc["resourceSpans"].size(), 1u);
  const json& rs = doc["resourceSpans"][0];
  bool backend = false;
  for (const json& kv : rs["resource"]["attributes"]) {
    if (kv["key"] == "service.name") backend = kv["value"]["stringValue"] == "backend";
  }
  EXPECT_TRUE(backend);
  ASSERT_EQ(rs["scopeSpans"].size(), 1u);
  EXPECT_EQ(rs["scopeSpans"][0]["scope"]["name"], "tracewire.test");
  ASSERT_EQ(rs["scopeSpans"][0]["spans"].size(), 1u);
  const json& span = rs["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(span["spanId"], Hex(data_.a_charge));
  EXPECT_EQ(span["parentSpanId"], Hex(data_.a_client));
  EXPECT_EQ(span["status"]["message"], "card declined");
  EXPECT_EQ(span["events"][0]["name"], "exception");
  EXPECT_EQ(span["links"][0]["spanId"], Hex(data_.b_root));
}

TEST_F(UiApiTest, SpanDetailErrors) {
  const std::string trace = "/api/v1/traces/" + Hex(data_.trace_a);
  EXPECT_EQ(GetJson(trace + "/spans/00000000000000ff", 404)["error"]["message"], "span not found");
  EXPECT_EQ(GetJson(trace + "/spans/nothex", 400)["error"]["code"], 400);
  EXPECT_EQ(GetJson(trace + "/spans/0", 400)["error"]["code"], 400);
  GetJson("/api/v1/traces/" + std::string(31, '0') + "1/spans/" + Hex(data_.a_root), 404);
}

TEST_F(UiApiTest, SpansWhoseParentNeverArrivedAreOrphans) {
  // Trace A without "call backend": "POST /charge" lost its parent.
  model::SpanBatch trace;
  trace.resources = data_.spans->resources;
  trace.scopes = data_.spans->scopes;
  for (const model::Span& s : data_.spans->spans) {
    if (s.trace_id == data_.trace_a && s.span_id != data_.a_client) trace.spans.push_back(s);
  }
  std::string out;
  internal::AppendCompactTrace(trace, out);
  json c = json::parse(out);
  EXPECT_EQ(c["spanCount"], 3);
  EXPECT_EQ(c["parent"], json({-1, -1, 1}));
  EXPECT_EQ(c["flags"][1].get<uint32_t>() & internal::kCompactOrphan, internal::kCompactOrphan);
  EXPECT_EQ(c["flags"][0].get<uint32_t>() & internal::kCompactOrphan, 0u);
  EXPECT_EQ(c["orphans"],
            json::parse(R"([{"index":1,"parentSpanId":")" + Hex(data_.a_client) + R"("}])"));
}

TEST_F(UiApiTest, ASpanThatIsItsOwnParentIsAnOrphanAndDuplicateIdsPointToTheFirst) {
  model::SpanBatch trace;
  trace.resources = data_.spans->resources;
  trace.scopes = data_.spans->scopes;
  for (const model::Span& s : data_.spans->spans) {
    if (s.trace_id == data_.trace_a) trace.spans.push_back(s);
  }
  auto find = [&trace](const model::SpanId& id) -> model::Span& {
    for (model::Span& s : trace.spans) {
      if (s.span_id == id) return s;
    }
    ADD_FAILURE() << "no span " << Hex(id);
    return trace.spans[0];
  };
  find(data_.a_root).parent_span_id = data_.a_root;  // the root names itself
  model::Span twin = find(data_.a_client);           // "call backend" again, 90 ms later
  twin.start_time_unix_nano += 90 * kMs;
  trace.spans.push_back(twin);
  std::string out;
  internal::AppendCompactTrace(trace, out);
  json c = json::parse(out);
  ASSERT_EQ(c["spanCount"], 5) << out;
  // The root is an orphan; "POST /charge" hangs off the first "call backend"; the twin off the
  // root.
  EXPECT_EQ(c["parent"], json({-1, 0, 1, 2, 0}));
  EXPECT_EQ(c["orphans"].size(), 1u);
  EXPECT_EQ(c["orphans"][0]["index"], 0);
}

}  // namespace
}  // namespace tracewire::query::testing
