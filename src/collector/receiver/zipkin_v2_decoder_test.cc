#include "collector/receiver/zipkin_v2_decoder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace tracewire::collector {
namespace {

std::string ReadVector(const std::string& name) {
  std::ifstream in(std::string(TW_SOURCE_DIR) + "/testdata/zipkin/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string StringAttr(const model::Span& span, std::string_view key) {
  const model::AnyValue* v = model::FindAttribute(span.attributes, key);
  return v != nullptr && v->type() == model::ValueType::kString ? std::string(v->string_value())
                                                                : "<absent>";
}

std::unique_ptr<model::SpanBatch> MustDecode(std::string_view json,
                                             const ZipkinDecodeOptions& options = {}) {
  auto batch = DecodeZipkinV2Json(json, options);
  EXPECT_TRUE(batch.ok()) << batch.status().ToString();
  return batch.ok() ? std::move(*batch) : std::make_unique<model::SpanBatch>();
}

TEST(ZipkinV2DecoderTest, DecodesEnvoysSharedSpanContextIntoATree) {
  auto batch = MustDecode(ReadVector("envoy_shared_span_context.json"));
  ASSERT_EQ(batch->spans.size(), 3u);
  const model::Span& client = batch->spans[0];
  const model::Span& server = batch->spans[1];
  const model::Span& egress = batch->spans[2];
  model::SpanId caller = model::SpanId::FromHex("6b221d5bc9e6496c");
  for (const model::Span* s : {&client, &server, &egress}) {
    EXPECT_EQ(s->trace_id.ToHex(), "00000000000000005af7183fb1d4cf5f");
  }
  EXPECT_EQ(client.span_id, caller);
  EXPECT_FALSE(client.parent_span_id.IsValid());
  EXPECT_EQ(client.kind, model::SpanKind::kClient);
  EXPECT_EQ(server.span_id, SharedServerSpanId(caller));
  EXPECT_NE(server.span_id, caller);
  EXPECT_EQ(server.parent_span_id, caller);
  EXPECT_EQ(server.kind, model::SpanKind::kServer);
  EXPECT_EQ(egress.parent_span_id, caller);
  EXPECT_EQ(egress.span_id.ToHex(), "c3e1a2f4d5b60718");
  EXPECT_EQ(egress.status_code, model::StatusCode::kError);
  EXPECT_EQ(egress.status_message, "");
  EXPECT_EQ(StringAttr(egress, "error"), "<absent>");
  EXPECT_EQ(StringAttr(egress, "http.status_code"), "503");

  EXPECT_EQ(client.start_time_unix_nano, 1700000000000100000u);
  EXPECT_EQ(client.end_time_unix_nano, 1700000000000100000u + 5200000u);
  EXPECT_EQ(client.name, "egress service1");
  EXPECT_EQ(StringAttr(client, "guid:x-request-id"), "0f2b5b1e-8a5c-9d2f-a1b2-3c4d5e6f7a8b");
  EXPECT_EQ(StringAttr(client, "network.local.address"), "10.0.0.2");
  const model::AnyValue* port = model::FindAttribute(client.attributes, "network.local.port");
  ASSERT_NE(port, nullptr);
  EXPECT_EQ(port->int_value(), 10000);

  ASSERT_EQ(batch->resources.size(), 2u);
  EXPECT_EQ(batch->resources[client.resource_index].service_name, "front-proxy");
  EXPECT_EQ(batch->resources[server.resource_index].service_name, "service1");
  EXPECT_EQ(server.resource_index, egress.resource_index);
  const model::AnyValue* service =
      model::FindAttribute(batch->resources[server.resource_index].attributes, "service.name");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->string_value(), "service1");
}

TEST(ZipkinV2DecoderTest, Decodes128BitIdsAnnotationsEndpointsAndErrorMessages) {
  auto batch = MustDecode(ReadVector("envoy_128bit_annotations.json"));
  ASSERT_EQ(batch->spans.size(), 2u);
  const model::Span& s = batch->spans[0];
  EXPECT_EQ(s.trace_id.ToHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(s.parent_span_id.ToHex(), "00f067aa0ba902b7");
  EXPECT_EQ(s.status_code, model::StatusCode::kError);
  EXPECT_EQ(s.status_message, "server timeout");
  EXPECT_EQ(s.trace_state, "congo=t61rcWkgMzE");
  ASSERT_EQ(s.events.size(), 2u);
  EXPECT_EQ(s.events[0].name, "wr");
  EXPECT_EQ(s.events[0].time_unix_nano, 1700000000123500000u);
  EXPECT_EQ(StringAttr(s, "network.local.address"), "2001:db8::7");
  EXPECT_EQ(StringAttr(s, "network.peer.address"), "192.0.2.10");
  EXPECT_EQ(StringAttr(s, "peer.service"), "gateway");
  EXPECT_EQ(StringAttr(s, "rpc.system"), "trpc");
  EXPECT_EQ(model::FindAttribute(s.attributes, "network.peer.port")->int_value(), 51234);

  const model::Span& root = batch->spans[1];
  EXPECT_EQ(root.kind, model::SpanKind::kInternal);
  EXPECT_EQ(root.start_time_unix_nano, 0u);
  EXPECT_EQ(root.end_time_unix_nano, 1000000u);
  const model::AnyValue* absent =
      model::FindAttribute(root.attributes, "otel.zipkin.absentField.startTime");
  ASSERT_NE(absent, nullptr);
  EXPECT_TRUE(absent->bool_value());
  EXPECT_TRUE(batch->resources[root.resource_index].attributes.empty());
}

TEST(ZipkinV2DecoderTest, LeftPadsShortIdsAndAcceptsUpperCase) {
  auto batch = MustDecode(R"([{"traceId":"ABC","id":"1","parentId":"1"}])");
  ASSERT_EQ(batch->spans.size(), 1u);
  EXPECT_EQ(batch->spans[0].trace_id.ToHex(), "00000000000000000000000000000abc");
  EXPECT_EQ(batch->spans[0].span_id.ToHex(), "0000000000000001");
  EXPECT_FALSE(batch->spans[0].parent_span_id.IsValid());  // parentId == id: a root
}

TEST(ZipkinV2DecoderTest, TypesTagsWhenAsked) {
  ZipkinDecodeOptions options;
  options.parse_string_tags = true;
  auto batch = MustDecode(
      R"([{"traceId":"1","id":"2","tags":{"i":"42","d":"1.5","b":"true","s":"x1"}}])", options);
  const model::Span& s = batch->spans[0];
  EXPECT_EQ(model::FindAttribute(s.attributes, "i")->int_value(), 42);
  EXPECT_EQ(model::FindAttribute(s.attributes, "d")->double_value(), 1.5);
  EXPECT_TRUE(model::FindAttribute(s.attributes, "b")->bool_value());
  EXPECT_EQ(StringAttr(s, "s"), "x1");
}

TEST(ZipkinV2DecoderTest, GroupsScopesAndMapsOtelStatusTags) {
  auto batch = MustDecode(R"([{"traceId":"1","id":"2","timestamp":1,"tags":{
      "otel.scope.name":"io.opentelemetry.x","otel.scope.version":"1.2",
      "otel.status_code":"ERROR","otel.status_description":"boom"}}])");
  const model::Span& s = batch->spans[0];
  EXPECT_EQ(batch->scopes[s.scope_index].name, "io.opentelemetry.x");
  EXPECT_EQ(batch->scopes[s.scope_index].version, "1.2");
  EXPECT_EQ(s.status_code, model::StatusCode::kError);
  EXPECT_EQ(s.status_message, "boom");
  EXPECT_TRUE(s.attributes.empty());
}

TEST(ZipkinV2DecoderTest, AcceptsAnEmptyList) {
  auto batch = MustDecode("[]");
  EXPECT_TRUE(batch->spans.empty());
}

TEST(ZipkinV2DecoderTest, RejectsBadInputNamingTheField) {
  struct Case {
    const char* json;
    const char* needle;
  } cases[] = {
      {"{}", "list of spans"},
      {"[1]", "span[0]"},
      {"not json", "not valid JSON"},
      {R"([{"id":"1"}])", "span[0].traceId"},
      {R"([{"traceId":"1","id":"xyz"}])", "span[0].id"},
      {R"([{"traceId":"0000000000000000","id":"1"}])", "traceId"},
      {R"([{"traceId":"1","id":"1"},{"traceId":"1","id":"1","timestamp":-5}])",
       "span[1].timestamp"},
      {R"([{"traceId":"1","id":"1","duration":"12x"}])", "duration"},
      {R"([{"traceId":"1","id":"1","tags":{"a":{}}}])", "tags.a"},
      {R"([{"traceId":"1","id":"1","annotations":[{"value":"x"}]}])", "annotations[0].timestamp"},
      {R"([{"traceId":"1","id":"1","localEndpoint":{"port":70000}}])", "localEndpoint.port"},
      {R"([{"traceId":"123456789012345678901234567890123","id":"1"}])", "traceId"},
      {R"([{"traceId":"1","id":"1","timestamp":18446744073709551615}])", "timestamp"},
  };
  for (const Case& c : cases) {
    auto batch = DecodeZipkinV2Json(c.json);
    ASSERT_FALSE(batch.ok()) << c.json;
    EXPECT_EQ(batch.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(batch.status().message().find(c.needle), std::string::npos)
        << c.json << " → " << batch.status().message();
  }
}

TEST(ZipkinV2DecoderTest, RefusesDeepNestingBeforeParsing) {
  std::string deep = "[" + std::string(10000, '[') + std::string(10000, ']') + "]";
  auto batch = DecodeZipkinV2Json(deep);
  ASSERT_FALSE(batch.ok());
  EXPECT_NE(batch.status().message().find("nested"), std::string::npos);
}

TEST(ZipkinV2DecoderTest, SharedServerIdsAreStableAndDistinct) {
  model::SpanId a = model::SpanId::FromHex("0000000000000001");
  model::SpanId b = model::SpanId::FromHex("0000000000000002");
  EXPECT_EQ(SharedServerSpanId(a), SharedServerSpanId(a));
  EXPECT_NE(SharedServerSpanId(a), SharedServerSpanId(b));
  EXPECT_TRUE(SharedServerSpanId(a).IsValid());
}

}  // namespace
}  // namespace tracewire::collector
