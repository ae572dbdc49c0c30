#include "otlp/trace_json_encoder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "otlp/testing/test_spans.h"

namespace tracewire::otlp {
namespace {

using nlohmann::json;
using testing::FillResourceAndScope;
using testing::FullSpan;
using testing::SpanSet;

json EncodeAndParse(std::span<const trace::SpanData* const> batch) {
  TraceJsonEncoder encoder;
  std::string out;
  encoder.Encode(batch, out);
  json doc = json::parse(out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(doc.is_discarded()) << out;
  return doc;
}

json FirstSpan(const json& doc) { return doc["resourceSpans"][0]["scopeSpans"][0]["spans"][0]; }

const json& Attr(const json& list, const std::string& key) {
  for (const json& kv : list) {
    if (kv.value("key", "") == key) return kv["value"];
  }
  static const json kMissing;
  ADD_FAILURE() << "no attribute " << key;
  return kMissing;
}

TEST(TraceJsonEncoderTest, SpanFieldsUseLowerCamelCaseHexIdsIntegerEnumsAndStringInt64s) {
  SpanSet set;
  FillResourceAndScope(set);
  set.spans.push_back(FullSpan(set, 1));
  const trace::SpanData& want = *set.spans[0];
  const json span = FirstSpan(EncodeAndParse(set.Pointers()));

  EXPECT_EQ(span["traceId"], want.trace_id.ToHex());
  EXPECT_EQ(span["spanId"], want.span_id.ToHex());
  EXPECT_EQ(span["parentSpanId"], want.parent_span_id.ToHex());
  EXPECT_EQ(span["traceState"], "rojo=00f067aa0ba902b7,vendor=v1");
  EXPECT_EQ(span["flags"], 0x301);
  EXPECT_EQ(span["name"], want.name);
  EXPECT_EQ(span["kind"], 2);
  EXPECT_EQ(span["startTimeUnixNano"], std::to_string(want.start_unix_nano));
  EXPECT_EQ(span["endTimeUnixNano"], std::to_string(want.end_unix_nano));
  EXPECT_EQ(span["droppedAttributesCount"], 3);
  EXPECT_EQ(span["droppedEventsCount"], 4);
  EXPECT_EQ(span["droppedLinksCount"], 5);
  EXPECT_EQ(span["status"], json({{"message", "deadline exceeded"}, {"code", 2}}));

  ASSERT_EQ(span["events"].size(), 2u);
  EXPECT_EQ(span["events"][0]["name"], "exception");
  EXPECT_EQ(span["events"][0]["timeUnixNano"], std::to_string(want.events[0].time_unix_nano));
  EXPECT_EQ(span["events"][0]["droppedAttributesCount"], 1);
  EXPECT_EQ(Attr(span["events"][0]["attributes"], "exception.escaped"),
            json({{"boolValue", false}}));
  EXPECT_FALSE(span["events"][1].contains("attributes"));

  ASSERT_EQ(span["links"].size(), 1u);
  const json& link = span["links"][0];
  EXPECT_EQ(link["traceId"], want.links[0].context.trace_id().ToHex());
  EXPECT_EQ(link["spanId"], want.links[0].context.span_id().ToHex());
  EXPECT_EQ(link["traceState"], "k=v");
  EXPECT_EQ(link["flags"], 0x301);
  EXPECT_EQ(link["droppedAttributesCount"], 2);
  EXPECT_EQ(Attr(link["attributes"], "link.kind"), json({{"stringValue", "follows_from"}}));
}

TEST(TraceJsonEncoderTest, EveryAttributeValueTypeFollowsTheProto3JsonMapping) {
  SpanSet set;
  set.spans.push_back(FullSpan(set, 1));
  const json attrs = FirstSpan(EncodeAndParse(set.Pointers()))["attributes"];
  EXPECT_EQ(Attr(attrs, "str"), json({{"stringValue", "value"}}));
  EXPECT_EQ(Attr(attrs, "empty.str"), json({{"stringValue", ""}}));  // oneof: kept when empty
  EXPECT_EQ(Attr(attrs, "bool.true"), json({{"boolValue", true}}));
  EXPECT_EQ(Attr(attrs, "bool.false"), json({{"boolValue", false}}));
  EXPECT_EQ(Attr(attrs, "int"), json({{"intValue", "-42"}}));
  EXPECT_EQ(Attr(attrs, "int.max"), json({{"intValue", "9223372036854775807"}}));
  EXPECT_EQ(Attr(attrs, "int.zero"), json({{"intValue", "0"}}));
  EXPECT_EQ(Attr(attrs, "double")["doubleValue"].get<double>(), 3.25);
  EXPECT_EQ(Attr(attrs, "double.nan"), json({{"doubleValue", "NaN"}}));
  EXPECT_EQ(Attr(attrs, "double.inf"), json({{"doubleValue", "-Infinity"}}));
  EXPECT_EQ(Attr(attrs, "strs"),
            json::parse(R"({"arrayValue":{"values":[{"stringValue":"a"},{"stringValue":""},)"
                        R"({"stringValue":"c\"\\\n"}]}})"));
  EXPECT_EQ(Attr(attrs, "bools"),
            json::parse(R"({"arrayValue":{"values":[{"boolValue":true},{"boolValue":false}]}})"));
  EXPECT_EQ(Attr(attrs, "ints"),
            json::parse(R"({"arrayValue":{"values":[{"intValue":"1"},{"intValue":"-2"},)"
                        R"({"intValue":"-9223372036854775808"}]}})"));
  EXPECT_EQ(Attr(attrs, "doubles")["arrayValue"]["values"][1]["doubleValue"].get<double>(), -1e300);
  EXPECT_EQ(Attr(attrs, "empty.ints"), json::parse(R"({"arrayValue":{}})"));
  EXPECT_EQ(Attr(attrs, "unicode"), json({{"stringValue", "h\xC3\xA9llo \xE2\x9C\x93"}}));
}

TEST(TraceJsonEncoderTest, ResourceAndScopeAreWrittenOncePerGroup) {
  SpanSet set;
  FillResourceAndScope(set);
  set.spans.push_back(FullSpan(set, 1));
  set.spans.push_back(FullSpan(set, 2));
  const json doc = EncodeAndParse(set.Pointers());
  ASSERT_EQ(doc["resourceSpans"].size(), 1u);
  const json& rs = doc["resourceSpans"][0];
  EXPECT_EQ(Attr(rs["resource"]["attributes"], "service.name"),
            json({{"stringValue", "checkout"}}));
  EXPECT_EQ(Attr(rs["resource"]["attributes"], "process.pid"), json({{"intValue", "4242"}}));
  EXPECT_EQ(rs["schemaUrl"], "https://opentelemetry.io/schemas/1.24.0");
  ASSERT_EQ(rs["scopeSpans"].size(), 1u);
  const json& ss = rs["scopeSpans"][0];
  EXPECT_EQ(ss["scope"]["name"], "tracewire.trpc");
  EXPECT_EQ(ss["scope"]["version"], "0.1.0");
  EXPECT_EQ(Attr(ss["scope"]["attributes"], "scope.attr"), json({{"boolValue", true}}));
  EXPECT_EQ(ss["schemaUrl"], "https://opentelemetry.io/schemas/1.21.0");
  EXPECT_EQ(ss["spans"].size(), 2u);
}

TEST(TraceJsonEncoderTest, DefaultValuesAreOmitted) {
  trace::SpanData span;
  span.kind = trace::SpanKind::kUnspecified;
  const trace::SpanData* batch[] = {&span};
  const json got = FirstSpan(EncodeAndParse(batch));
  EXPECT_EQ(got, json::parse(R"({"traceId":"00000000000000000000000000000000",)"
                             R"("spanId":"0000000000000000","flags":256})"));
}

TEST(TraceJsonEncoderTest, ControlCharactersAndInvalidUtf8StillGiveValidJson) {
  trace::SpanData span;
  span.name = std::string("a\x01\tb\xFFz\"") + '\0';
  const trace::SpanData* batch[] = {&span};
  TraceJsonEncoder encoder;
  std::string out;
  encoder.Encode(batch, out);
  EXPECT_NE(out.find(R"("name":"a\u0001\tb)"
                     "\xEF\xBF\xBD"
                     R"(z\"\u0000")"),
            std::string::npos)
      << out;
  EXPECT_FALSE(json::parse(out, nullptr, false).is_discarded());
}

TEST(TraceJsonEncoderTest, AnEmptyBatchIsAnEmptyObject) {
  TraceJsonEncoder encoder;
  std::string out = "stale";
  encoder.Encode({}, out);
  EXPECT_EQ(out, "{}");
}

}  // namespace
}  // namespace tracewire::otlp
