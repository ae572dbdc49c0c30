// OTLP/JSON decode / encode: the shared vectors in testdata/otlp/, round trips, and the cross
// check against the protobuf path.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "otlp/batch_encoder.h"
#include "otlp/internal/base64.h"
#include "otlp/otlp_decoder.h"
#include "otlp/testing/batch_diff.h"
#include "otlp/testing/random_otlp.h"

namespace tracewire::otlp {
namespace {

std::string ReadVector(const std::string& name) {
  std::ifstream in(std::string(TW_SOURCE_DIR) + "/testdata/otlp/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const nlohmann::json& Expected() {
  static const nlohmann::json expected = nlohmann::json::parse(ReadVector("expected.json"));
  return expected;
}

std::string Hex(const auto& id) { return id.IsValid() ? id.ToHex() : ""; }

const char* TypeName(model::ValueType t) {
  switch (t) {
    case model::ValueType::kEmpty: return "empty";
    case model::ValueType::kString: return "string";
    case model::ValueType::kBool: return "bool";
    case model::ValueType::kInt: return "int";
    case model::ValueType::kDouble: return "double";
    case model::ValueType::kBytes: return "bytes";
    case model::ValueType::kArray: return "array";
    case model::ValueType::kKvList: return "kvlist";
  }
  return "?";
}

TEST(JsonCodecTest, TracesVectorDecodesAsExpected) {
  auto r = DecodeTracesJson(ReadVector("traces.json"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const model::SpanBatch& b = *r->batch;
  const auto& want = Expected()["traces.json"];
  EXPECT_EQ(r->rejected, want["rejected"].get<uint64_t>());
  ASSERT_EQ(b.spans.size(), want["spans"].size());
  for (size_t i = 0; i < b.spans.size(); ++i) {
    SCOPED_TRACE(i);
    const model::Span& s = b.spans[i];
    const auto& w = want["spans"][i];
    EXPECT_EQ(Hex(s.trace_id), w["traceId"].get<std::string>());
    EXPECT_EQ(Hex(s.span_id), w["spanId"].get<std::string>());
    EXPECT_EQ(Hex(s.parent_span_id), w["parentSpanId"].get<std::string>());
    EXPECT_EQ(s.name, w["name"].get<std::string>());
    EXPECT_EQ(static_cast<int>(s.kind), w["kind"].get<int>());
    EXPECT_EQ(std::to_string(s.start_time_unix_nano), w["startTimeUnixNano"].get<std::string>());
    EXPECT_EQ(std::to_string(s.end_time_unix_nano), w["endTimeUnixNano"].get<std::string>());
    EXPECT_EQ(static_cast<int>(s.status_code), w["statusCode"].get<int>());
    EXPECT_EQ(b.resources[s.resource_index].service_name, w["service"].get<std::string>());
    EXPECT_EQ(b.scopes[s.scope_index].name, w["scope"].get<std::string>());
    EXPECT_EQ(s.attributes.size(), w["attributes"].get<size_t>());
    EXPECT_EQ(s.events.size(), w["events"].get<size_t>());
    EXPECT_EQ(s.links.size(), w["links"].get<size_t>());
  }
  // The value forms of the first span, one by one.
  const model::Span& s = b.spans[0];
  auto attr = [&](std::string_view key) {
    const model::AnyValue* v = model::FindAttribute(s.attributes, key);
    EXPECT_NE(v, nullptr) << key;
    return v != nullptr ? *v : model::AnyValue();
  };
  EXPECT_EQ(attr("escaped").string_value(),
            "q\"b\\s/n\nt\tu\xc3\xa9"
            "e\xf0\x9f\x98\x80");
  EXPECT_EQ(attr("int.string").int_value(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(attr("int.number").int_value(), 7);
  EXPECT_EQ(attr("double").double_value(), 637.704);
  EXPECT_TRUE(std::isnan(attr("double.nan").double_value()));
  EXPECT_EQ(attr("double.inf").double_value(), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(attr("bool").bool_value());
  EXPECT_EQ(attr("bytes").string_value(), std::string("\x01\x02\x03\xff"));
  const auto array = attr("array").array_value();
  ASSERT_EQ(array.size(), 4u);
  EXPECT_EQ(array[1].int_value(), 2);
  EXPECT_TRUE(array[2].array_value()[0].bool_value());
  EXPECT_EQ(array[3].type(), model::ValueType::kEmpty);
  const auto map = attr("map").kvlist_value();
  ASSERT_EQ(map.size(), 2u);
  EXPECT_EQ(map[1].value.kvlist_value()[0].value.double_value(), 1500.0);
  EXPECT_EQ(attr("empty.value").type(), model::ValueType::kEmpty);
  EXPECT_EQ(attr("empty.array").type(), model::ValueType::kArray);
  EXPECT_EQ(s.trace_state, "vendor=abc,other=1");
  EXPECT_EQ(s.flags, 769u);
  EXPECT_EQ(s.dropped_attributes_count, 1u);
  EXPECT_EQ(s.events[0].dropped_attributes_count, 3u);
  EXPECT_EQ(s.dropped_events_count, 4u);
  EXPECT_EQ(s.links[0].trace_state, "k=v");
  EXPECT_EQ(s.links[0].dropped_attributes_count, 5u);
  EXPECT_EQ(s.links[0].flags, 1u);
  EXPECT_EQ(s.dropped_links_count, 6u);
  EXPECT_EQ(s.status_message, "deadline exceeded");
  const model::Resource& res = b.resources[0];
  EXPECT_EQ(res.dropped_attributes_count, 2u);
  EXPECT_EQ(res.schema_url, "https://opentelemetry.io/schemas/1.21.0");
  EXPECT_EQ(b.scopes[0].version, "1.0.0");
  EXPECT_EQ(b.scopes[0].schema_url, "https://opentelemetry.io/schemas/1.24.0");
}

TEST(JsonCodecTest, LogsVectorDecodesAsExpected) {
  auto r = DecodeLogsJson(ReadVector("logs.json"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const model::LogBatch& b = *r->batch;
  const auto& want = Expected()["logs.json"];
  EXPECT_EQ(r->rejected, want["rejected"].get<uint64_t>());
  ASSERT_EQ(b.records.size(), want["logRecords"].size());
  for (size_t i = 0; i < b.records.size(); ++i) {
    SCOPED_TRACE(i);
    const model::LogRecord& l = b.records[i];
    const auto& w = want["logRecords"][i];
    EXPECT_EQ(std::to_string(l.time_unix_nano), w["timeUnixNano"].get<std::string>());
    EXPECT_EQ(l.severity_number, w["severityNumber"].get<int>());
    EXPECT_EQ(Hex(l.trace_id), w["traceId"].get<std::string>());
    EXPECT_EQ(Hex(l.span_id), w["spanId"].get<std::string>());
    EXPECT_EQ(TypeName(l.body.type()), w["bodyType"].get<std::string>());
    EXPECT_EQ(b.resources[l.resource_index].service_name, w["service"].get<std::string>());
    EXPECT_EQ(l.attributes.size(), w["attributes"].get<size_t>());
  }
  EXPECT_EQ(b.records[0].event_name, "checkout.done");
  EXPECT_EQ(b.records[0].flags, 1u);
  EXPECT_EQ(b.records[0].observed_time_unix_nano, 1544712660300000000u);
  EXPECT_EQ(b.records[2].body.string_value(), "hello");  // unpadded base64
}

TEST(JsonCodecTest, InvalidVectorsFailWithTheExpectedErrorOrRejectTheExpectedItems) {
  const nlohmann::json cases = nlohmann::json::parse(ReadVector("invalid.json"));
  ASSERT_GT(cases.size(), 30u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    std::string body;
    if (c.contains("bodyBase64")) {
      const std::string text = c["bodyBase64"];
      body.resize(internal::Base64DecodedBound(text.size()));
      body.resize(static_cast<size_t>(internal::DecodeBase64(text, body.data())));
    } else {
      body = c["body"];
    }
    Status status;
    uint64_t rejected = 0;
    size_t kept = 0;
    if (c["signal"] == "traces") {
      auto r = DecodeTracesJson(body);
      status = r.status();
      if (r.ok()) {
        rejected = r->rejected;
        kept = r->batch->spans.size();
      }
    } else {
      auto r = DecodeLogsJson(body);
      status = r.status();
      if (r.ok()) {
        rejected = r->rejected;
        kept = r->batch->records.size();
      }
    }
    if (c["error"].is_null()) {
      ASSERT_TRUE(status.ok()) << status.ToString();
      EXPECT_EQ(rejected, c["rejected"].get<uint64_t>());
      EXPECT_EQ(kept, c["kept"].get<size_t>());
    } else {
      ASSERT_FALSE(status.ok());
      EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
      EXPECT_NE(status.message().find(c["error"].get<std::string>()), std::string::npos)
          << status.message();
    }
  }
}

TEST(JsonCodecTest, VectorsRoundTripThroughTheBatchAndBack) {
  auto traces = DecodeTracesJson(ReadVector("traces.json"));
  ASSERT_TRUE(traces.ok());
  std::string json;
  EncodeTracesJson(*traces->batch, &json);
  auto traces2 = DecodeTracesJson(json);
  ASSERT_TRUE(traces2.ok()) << traces2.status().ToString() << "\n" << json;
  EXPECT_EQ(testing::DiffSpanBatches(*traces->batch, *traces2->batch), "");
  std::string json2;
  EncodeTracesJson(*traces2->batch, &json2);
  EXPECT_EQ(json, json2);  // the encoder's output is a fixed point

  auto logs = DecodeLogsJson(ReadVector("logs.json"));
  ASSERT_TRUE(logs.ok());
  EncodeLogsJson(*logs->batch, &json);
  auto logs2 = DecodeLogsJson(json);
  ASSERT_TRUE(logs2.ok()) << logs2.status().ToString() << "\n" << json;
  EXPECT_EQ(testing::DiffLogBatches(*logs->batch, *logs2->batch), "");
}

TEST(JsonCodecTest, EncoderWritesTheOtlpJsonForms) {
  auto r = DecodeTracesJson(ReadVector("traces.json"));
  ASSERT_TRUE(r.ok());
  std::string json;
  EncodeTracesJson(*r->batch, &json);
  for (const char* want :
       {R"("traceId":"5b8efff798038103d269b633813fc60c")", R"("kind":2)",
        R"("startTimeUnixNano":"1544712660000000000")", R"("intValue":"-9223372036854775808")",
        R"("doubleValue":"NaN")", R"("bytesValue":"AQID/w==")",
        R"("status":{"message":"deadline exceeded","code":2})",
        R"("schemaUrl":"https://opentelemetry.io/schemas/1.21.0")",
        R"({"key":"empty.value","value":{}})"}) {
    EXPECT_NE(json.find(want), std::string::npos) << want << "\n" << json;
  }
  EXPECT_TRUE(nlohmann::json::accept(json));
}

TEST(JsonCodecTest, ProtobufDecodedBatchesSurviveJsonEncodingAndDecoding) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(seed);
    auto traces = DecodeTracesProto(testing::RandomTracesRequest(seed).SerializeAsString());
    ASSERT_TRUE(traces.ok());
    std::string json;
    EncodeTracesJson(*traces->batch, &json);
    auto from_json = DecodeTracesJson(json);
    ASSERT_TRUE(from_json.ok()) << from_json.status().ToString();
    EXPECT_EQ(from_json->rejected, 0u);
    EXPECT_EQ(testing::DiffSpanBatches(*traces->batch, *from_json->batch), "");
    std::string json2;  // and JSON -> batch -> JSON is stable
    EncodeTracesJson(*from_json->batch, &json2);
    EXPECT_EQ(json, json2);

    auto logs = DecodeLogsProto(testing::RandomLogsRequest(seed).SerializeAsString());
    ASSERT_TRUE(logs.ok());
    EncodeLogsJson(*logs->batch, &json);
    auto logs_from_json = DecodeLogsJson(json);
    ASSERT_TRUE(logs_from_json.ok()) << logs_from_json.status().ToString();
    EXPECT_EQ(testing::DiffLogBatches(*logs->batch, *logs_from_json->batch), "");
  }
}

TEST(JsonCodecTest, EmptyRequestsDecodeToEmptyBatches) {
  for (const char* body :
       {"{}", " {\"resourceSpans\":[]} ", "\xEF\xBB\xBF{}", "{\"resourceSpans\":null}"}) {
    auto r = DecodeTracesJson(body);
    ASSERT_TRUE(r.ok()) << body << ": " << r.status().ToString();
    EXPECT_TRUE(r->batch->spans.empty());
  }
  model::SpanBatch empty;
  std::string json;
  EncodeTracesJson(empty, &json);
  EXPECT_EQ(json, "{}");
}

}  // namespace
}  // namespace tracewire::otlp
