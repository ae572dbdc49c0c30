#include "otlp/trace_proto_encoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/internal/utf8.h"
#include "otlp/testing/test_spans.h"

namespace tracewire::otlp {
namespace {

namespace pb = ::opentelemetry::proto;
using testing::FillResourceAndScope;
using testing::FullSpan;
using testing::SpanSet;

std::string Bytes(const uint8_t* p, size_t n) {
  return std::string(reinterpret_cast<const char*>(p), n);
}

pb::collector::trace::v1::ExportTraceServiceRequest EncodeAndParse(
    std::span<const trace::SpanData* const> batch) {
  TraceProtoEncoder encoder;
  std::string out;
  EXPECT_TRUE(encoder.Encode(batch, out).ok());
  pb::collector::trace::v1::ExportTraceServiceRequest request;
  EXPECT_TRUE(request.ParseFromString(out));
  return request;
}

// Compares a decoded AnyValue against the model value.
void ExpectValue(const pb::common::v1::AnyValue& got, const trace::AttributeValue& want,
                 const std::string& key) {
  SCOPED_TRACE(key);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        auto expect_scalar = [](const pb::common::v1::AnyValue& a, const auto& x) {
          using X = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<X, std::string>) {
            ASSERT_EQ(a.value_case(), pb::common::v1::AnyValue::kStringValue);
            EXPECT_EQ(a.string_value(), x);
          } else if constexpr (std::is_same_v<X, bool>) {
            ASSERT_EQ(a.value_case(), pb::common::v1::AnyValue::kBoolValue);
            EXPECT_EQ(a.bool_value(), x);
          } else if constexpr (std::is_same_v<X, int64_t>) {
            ASSERT_EQ(a.value_case(), pb::common::v1::AnyValue::kIntValue);
            EXPECT_EQ(a.int_value(), x);
          } else {
            ASSERT_EQ(a.value_case(), pb::common::v1::AnyValue::kDoubleValue);
            if (std::isnan(x)) {
              EXPECT_TRUE(std::isnan(a.double_value()));
            } else {
              EXPECT_EQ(a.double_value(), x);
            }
          }
        };
        if constexpr (requires { typename T::value_type; } && !std::is_same_v<T, std::string>) {
          ASSERT_EQ(got.value_case(), pb::common::v1::AnyValue::kArrayValue);
          ASSERT_EQ(static_cast<size_t>(got.array_value().values_size()), v.size());
          for (size_t i = 0; i < v.size(); ++i) {
            expect_scalar(got.array_value().values(static_cast<int>(i)),
                          static_cast<typename T::value_type>(v[i]));
          }
        } else {
          expect_scalar(got, v);
        }
      },
      want);
}

void ExpectAttributes(const google::protobuf::RepeatedPtrField<pb::common::v1::KeyValue>& got,
                      const trace::Attributes& want) {
  ASSERT_EQ(static_cast<size_t>(got.size()), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[static_cast<int>(i)].key(), want[i].key);
    ExpectValue(got[static_cast<int>(i)].value(), want[i].value, want[i].key);
  }
}

TEST(TraceProtoEncoderTest, EveryFieldOfASpanDecodesWithTheGeneratedClasses) {
  SpanSet set;
  FillResourceAndScope(set);
  set.spans.push_back(FullSpan(set, 1));
  const trace::SpanData& want = *set.spans[0];
  const auto request = EncodeAndParse(set.Pointers());

  ASSERT_EQ(request.resource_spans_size(), 1);
  const auto& rs = request.resource_spans(0);
  ExpectAttributes(rs.resource().attributes(), set.resource.attributes);
  EXPECT_EQ(rs.schema_url(), set.resource.schema_url);
  ASSERT_EQ(rs.scope_spans_size(), 1);
  const auto& ss = rs.scope_spans(0);
  EXPECT_EQ(ss.scope().name(), "tracewire.trpc");
  EXPECT_EQ(ss.scope().version(), "0.1.0");
  ExpectAttributes(ss.scope().attributes(), set.scope.attributes);
  EXPECT_EQ(ss.schema_url(), set.scope.schema_url);
  ASSERT_EQ(ss.spans_size(), 1);

  const auto& got = ss.spans(0);
  EXPECT_EQ(got.trace_id(), Bytes(want.trace_id.data(), 16));
  EXPECT_EQ(got.span_id(), Bytes(want.span_id.data(), 8));
  EXPECT_EQ(got.parent_span_id(), Bytes(want.parent_span_id.data(), 8));
  EXPECT_EQ(got.trace_state(), "rojo=00f067aa0ba902b7,vendor=v1");
  EXPECT_EQ(got.flags(), 0x01u | 0x100u | 0x200u);
  EXPECT_EQ(got.name(), want.name);
  EXPECT_EQ(got.kind(), pb::trace::v1::Span::SPAN_KIND_SERVER);
  EXPECT_EQ(got.start_time_unix_nano(), want.start_unix_nano);
  EXPECT_EQ(got.end_time_unix_nano(), want.end_unix_nano);
  ExpectAttributes(got.attributes(), want.attributes);
  EXPECT_EQ(got.dropped_attributes_count(), 3u);
  ASSERT_EQ(got.events_size(), 2);
  EXPECT_EQ(got.events(0).name(), "exception");
  EXPECT_EQ(got.events(0).time_unix_nano(), want.events[0].time_unix_nano);
  ExpectAttributes(got.events(0).attributes(), want.events[0].attributes);
  EXPECT_EQ(got.events(0).dropped_attributes_count(), 1u);
  EXPECT_EQ(got.events(1).name(), "retry");
  EXPECT_EQ(got.dropped_events_count(), 4u);
  ASSERT_EQ(got.links_size(), 1);
  const auto& link = got.links(0);
  EXPECT_EQ(link.trace_id(), Bytes(want.links[0].context.trace_id().data(), 16));
  EXPECT_EQ(link.span_id(), Bytes(want.links[0].context.span_id().data(), 8));
  EXPECT_EQ(link.trace_state(), "k=v");
  ExpectAttributes(link.attributes(), want.links[0].attributes);
  EXPECT_EQ(link.dropped_attributes_count(), 2u);
  EXPECT_EQ(link.flags(), 0x01u | 0x100u | 0x200u);
  EXPECT_EQ(got.dropped_links_count(), 5u);
  EXPECT_EQ(got.status().code(), pb::trace::v1::Status::STATUS_CODE_ERROR);
  EXPECT_EQ(got.status().message(), "deadline exceeded");
}

TEST(TraceProtoEncoderTest, OutputIsByteIdenticalToTheGeneratedSerializer) {
  SpanSet set;
  FillResourceAndScope(set);
  for (uint8_t i = 0; i < 3; ++i) set.spans.push_back(FullSpan(set, i));
  TraceProtoEncoder encoder;
  std::string out;
  ASSERT_TRUE(encoder.Encode(set.Pointers(), out).ok());
  pb::collector::trace::v1::ExportTraceServiceRequest request;
  ASSERT_TRUE(request.ParseFromString(out));
  std::string reserialized;
  ASSERT_TRUE(request.SerializeToString(&reserialized));
  EXPECT_EQ(out, reserialized);
}

TEST(TraceProtoEncoderTest, DefaultValuedFieldsAreOmitted) {
  trace::SpanData span;  // root, no name, no times, unset status, no resource or scope
  span.trace_id = testing::TraceIdFromSeed(1);
  span.span_id = testing::SpanIdFromSeed(1);
  const trace::SpanData* batch[] = {&span};
  const auto request = EncodeAndParse(batch);
  ASSERT_EQ(request.resource_spans_size(), 1);
  EXPECT_FALSE(request.resource_spans(0).has_resource());
  ASSERT_EQ(request.resource_spans(0).scope_spans_size(), 1);
  EXPECT_FALSE(request.resource_spans(0).scope_spans(0).has_scope());
  const auto& got = request.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_TRUE(got.parent_span_id().empty());
  EXPECT_FALSE(got.has_status());
  EXPECT_EQ(got.kind(), pb::trace::v1::Span::SPAN_KIND_INTERNAL);
  EXPECT_EQ(got.flags(), 0x100u);  // remote-ness known: local parent (none)
}

TEST(TraceProtoEncoderTest, SpansAreGroupedByResourceThenScopeInFirstAppearanceOrder) {
  trace::Resource r1, r2;
  trace::InstrumentationScope s1, s2;
  r1.attributes = {{"service.name", std::string("a")}};
  r2.attributes = {{"service.name", std::string("b")}};
  s1.name = "s1";
  s2.name = "s2";
  std::vector<trace::SpanData> spans(5);
  const std::pair<const trace::Resource*, const trace::InstrumentationScope*> owners[] = {
      {&r1, &s1}, {&r2, &s1}, {&r1, &s2}, {&r1, &s1}, {&r2, &s1}};
  std::vector<const trace::SpanData*> batch;
  for (size_t i = 0; i < spans.size(); ++i) {
    spans[i].name = "span" + std::to_string(i);
    spans[i].resource = owners[i].first;
    spans[i].scope = owners[i].second;
    batch.push_back(&spans[i]);
  }
  batch.insert(batch.begin() + 2, nullptr);  // skipped
  const auto request = EncodeAndParse(batch);

  ASSERT_EQ(request.resource_spans_size(), 2);
  const auto& a = request.resource_spans(0);
  EXPECT_EQ(a.resource().attributes(0).value().string_value(), "a");
  ASSERT_EQ(a.scope_spans_size(), 2);
  EXPECT_EQ(a.scope_spans(0).scope().name(), "s1");
  ASSERT_EQ(a.scope_spans(0).spans_size(), 2);
  EXPECT_EQ(a.scope_spans(0).spans(0).name(), "span0");
  EXPECT_EQ(a.scope_spans(0).spans(1).name(), "span3");
  EXPECT_EQ(a.scope_spans(1).scope().name(), "s2");
  EXPECT_EQ(a.scope_spans(1).spans(0).name(), "span2");
  const auto& b = request.resource_spans(1);
  EXPECT_EQ(b.resource().attributes(0).value().string_value(), "b");
  ASSERT_EQ(b.scope_spans_size(), 1);
  ASSERT_EQ(b.scope_spans(0).spans_size(), 2);
  EXPECT_EQ(b.scope_spans(0).spans(0).name(), "span1");
  EXPECT_EQ(b.scope_spans(0).spans(1).name(), "span4");
}

TEST(TraceProtoEncoderTest, InvalidUtf8IsReplacedSoTheRequestStillParses) {
  trace::SpanData span;
  span.name = std::string("bad\xFF\xC0name");
  span.attributes = {{"k\x80", std::string("\xED\xA0\x80")}};  // a UTF-16 surrogate
  const trace::SpanData* batch[] = {&span};
  const auto request = EncodeAndParse(batch);
  const auto& got = request.resource_spans(0).scope_spans(0).spans(0);
  EXPECT_EQ(got.name(), "bad\xEF\xBF\xBD\xEF\xBF\xBDname");
  EXPECT_EQ(got.attributes(0).key(), "k\xEF\xBF\xBD");
  EXPECT_EQ(got.attributes(0).value().string_value(), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(TraceProtoEncoderTest, AnEmptyBatchEncodesAnEmptyRequest) {
  TraceProtoEncoder encoder;
  std::string out = "stale";
  ASSERT_TRUE(encoder.Encode({}, out).ok());
  EXPECT_TRUE(out.empty());
}

TEST(TraceProtoEncoderTest, ReusingTheEncoderGivesTheSameBytes) {
  SpanSet set;
  FillResourceAndScope(set);
  for (uint8_t i = 0; i < 4; ++i) set.spans.push_back(FullSpan(set, i));
  TraceProtoEncoder encoder;
  std::string first, second;
  ASSERT_TRUE(encoder.Encode(set.Pointers(), first).ok());
  ASSERT_TRUE(encoder.Encode(set.Pointers(), second).ok());
  EXPECT_EQ(first, second);
}

// --- The fast paths: short attributes, ASCII text assumed then checked, guessed length prefixes.

// Encodes with `encoder` and checks the bytes are exactly what libprotobuf serializes for the
// message they decode to (canonical field order, minimal varints).
std::string EncodeCanonical(TraceProtoEncoder& encoder,
                            std::span<const trace::SpanData* const> batch) {
  std::string out;
  EXPECT_TRUE(encoder.Encode(batch, out).ok());
  pb::collector::trace::v1::ExportTraceServiceRequest request;
  EXPECT_TRUE(request.ParseFromString(out));
  std::string reserialized;
  EXPECT_TRUE(request.SerializeToString(&reserialized));
  EXPECT_EQ(out, reserialized);
  return out;
}

// A SERVER span shaped like the tRPC tracing filter's: short string and int attributes.
std::unique_ptr<trace::SpanData> RpcSpan(const SpanSet& set, uint32_t i) {
  auto s = std::make_unique<trace::SpanData>();
  s->trace_id = testing::TraceIdFromSeed(static_cast<uint8_t>(i));
  s->span_id = testing::SpanIdFromSeed(static_cast<uint8_t>(i));
  s->name = "/trpc.app.server.Greeter/SayHello";
  s->kind = trace::SpanKind::kServer;
  s->start_unix_nano = 1'700'000'000'000'000'000ull + i;
  s->end_unix_nano = s->start_unix_nano + 1000;
  s->attributes = {{"rpc.system", std::string("trpc")},
                   {"server.port", int64_t{8000}},
                   {"network.peer.port", int64_t{-1}},  // ten-byte varint
                   {"trpc.caller_service", std::string("trpc.app.gateway.Gateway")},
                   {"trpc.status_code", int64_t{i}}};
  s->resource = &set.resource;
  s->scope = &set.scope;
  return s;
}

TEST(TraceProtoEncoderFastPathTest, ALargeRpcBatchIsByteIdenticalToTheGeneratedSerializer) {
  SpanSet set;
  FillResourceAndScope(set);
  for (uint32_t i = 0; i < 512; ++i) set.spans.push_back(RpcSpan(set, i));
  TraceProtoEncoder encoder;
  const std::string out = EncodeCanonical(encoder, set.Pointers());
  EXPECT_GT(out.size(), 16384u);  // the ScopeSpans length takes three bytes
}

TEST(TraceProtoEncoderFastPathTest, AttributesJustPastTheShortShapeAreByteIdentical) {
  SpanSet set;
  trace::SpanData span;
  // Key + value of 121 bytes is the longest one-byte-length KeyValue; 122 needs two bytes.
  span.attributes = {{"k", std::string(120, 'a')},
                     {"k", std::string(121, 'b')},
                     {std::string(200, 'k'), std::string(300, 'v')},
                     {"", std::string("empty key")},
                     {"empty value", std::string()},
                     {std::string(110, 'n'), int64_t{1}},
                     {std::string(111, 'n'), int64_t{-1}},
                     {"", int64_t{7}},
                     {"flag", true},
                     {"ratio", 0.5},
                     {"list", std::vector<std::string>{"x", std::string(200, 'y')}}};
  const trace::SpanData* batch[] = {&span};
  TraceProtoEncoder encoder;
  EncodeCanonical(encoder, batch);
}

TEST(TraceProtoEncoderFastPathTest, OnlyTheSpanWithNonAsciiTextIsSanitized) {
  SpanSet set;
  FillResourceAndScope(set);
  for (uint32_t i = 0; i < 3; ++i) set.spans.push_back(RpcSpan(set, i));
  set.spans[1]->attributes.push_back({"peer", std::string("caf\xC3\xA9 \xFF")});
  TraceProtoEncoder encoder;
  const std::string out = EncodeCanonical(encoder, set.Pointers());
  pb::collector::trace::v1::ExportTraceServiceRequest request;
  ASSERT_TRUE(request.ParseFromString(out));
  const auto& spans = request.resource_spans(0).scope_spans(0).spans();
  ASSERT_EQ(spans.size(), 3);
  EXPECT_EQ(spans[1].attributes(5).value().string_value(), "caf\xC3\xA9 \xEF\xBF\xBD");
  EXPECT_EQ(spans[0].attributes_size(), 5);
  EXPECT_EQ(spans[2].name(), "/trpc.app.server.Greeter/SayHello");
}

TEST(TraceProtoEncoderFastPathTest, ANonAsciiByteIsFoundAtAnyPositionOfAnyLength) {
  TraceProtoEncoder encoder;
  for (size_t n = 1; n <= 70; ++n) {
    for (size_t bad = 0; bad < n; ++bad) {
      std::string text(n, 'a');
      text[bad] = static_cast<char>(0x80);
      trace::SpanData span;
      span.name = text;
      span.attributes = {{text, text}};
      const trace::SpanData* batch[] = {&span};
      std::string want = text;
      want.replace(bad, 1, "\xEF\xBF\xBD");
      const std::string out = EncodeCanonical(encoder, batch);
      pb::collector::trace::v1::ExportTraceServiceRequest request;
      ASSERT_TRUE(request.ParseFromString(out));
      const auto& got = request.resource_spans(0).scope_spans(0).spans(0);
      ASSERT_EQ(got.name(), want) << "length " << n << ", bad byte at " << bad;
      ASSERT_EQ(got.attributes(0).key(), want);
      ASSERT_EQ(got.attributes(0).value().string_value(), want);
    }
  }
}

TEST(TraceProtoEncoderFastPathTest, WrongLengthPrefixGuessesFromThePreviousBatchAreCorrected) {
  SpanSet set;
  FillResourceAndScope(set);
  for (uint32_t i = 0; i < 600; ++i) set.spans.push_back(RpcSpan(set, i));
  trace::SpanData tiny;  // a body under 128 bytes: one-byte length prefixes
  tiny.resource = &set.resource;
  const trace::SpanData* tiny_batch[] = {&tiny};
  const std::vector<const trace::SpanData*> all = set.Pointers();
  const std::vector<const trace::SpanData*> some(all.begin(), all.begin() + 40);
  trace::SpanData huge;  // three spans of 20 KB after tiny ones: prefixes grow by two bytes
  huge.attributes = {{"blob", std::string(20000, 'x')}};
  const trace::SpanData* huge_batch[] = {&huge, &huge, &huge};

  std::string want_all, want_some, want_tiny;
  ASSERT_TRUE(TraceProtoEncoder().Encode(all, want_all).ok());
  ASSERT_TRUE(TraceProtoEncoder().Encode(some, want_some).ok());
  ASSERT_TRUE(TraceProtoEncoder().Encode(tiny_batch, want_tiny).ok());
  std::string want_huge;
  ASSERT_TRUE(TraceProtoEncoder().Encode(huge_batch, want_huge).ok());

  TraceProtoEncoder reused;  // each batch is encoded after one of a very different size
  EXPECT_EQ(EncodeCanonical(reused, tiny_batch), want_tiny);
  EXPECT_EQ(EncodeCanonical(reused, all), want_all);
  EXPECT_EQ(EncodeCanonical(reused, tiny_batch), want_tiny);
  EXPECT_EQ(EncodeCanonical(reused, some), want_some);
  EXPECT_EQ(EncodeCanonical(reused, all), want_all);
  EXPECT_EQ(EncodeCanonical(reused, tiny_batch), want_tiny);
  EXPECT_EQ(EncodeCanonical(reused, huge_batch), want_huge);
}

TEST(TraceProtoEncoderFastPathTest, SeveralResourceAndScopeGroupsAreByteIdentical) {
  trace::Resource r1, r2;
  trace::InstrumentationScope s1, s2;
  r1.attributes = {{"service.name", std::string("a")}};
  r2.schema_url = "https://example.com/schema";
  s1.name = "s1";
  s2.attributes = {{"scope.k", std::string(300, 'x')}};
  SpanSet set;
  for (uint32_t i = 0; i < 400; ++i) {
    auto span = RpcSpan(set, i);
    span->resource = i % 3 == 0 ? &r1 : &r2;
    span->scope = i % 5 == 0 ? &s1 : &s2;
    set.spans.push_back(std::move(span));
  }
  TraceProtoEncoder encoder;
  EncodeCanonical(encoder, set.Pointers());
}

TEST(Utf8CopyTest, CopyAndOrBytesCopiesExactlyAndReportsNonAsciiBytes) {
  for (size_t n = 0; n <= 80; ++n) {
    std::string text(n, 'z');
    for (size_t i = 0; i < n; ++i) text[i] = static_cast<char>('a' + i % 26);
    std::vector<char> out(n + 2, '#');
    uint64_t bits = 0;
    char* end = internal::CopyAndOrBytes(out.data() + 1, text, bits);
    ASSERT_EQ(end, out.data() + 1 + n);
    EXPECT_EQ(std::string(out.data() + 1, n), text);
    EXPECT_EQ(out.front(), '#');  // nothing written outside the n bytes
    EXPECT_EQ(out.back(), '#');
    EXPECT_EQ(bits & internal::kNonAsciiBits, 0u) << n;
    EXPECT_TRUE(internal::IsAscii(text));
    if (n == 0) continue;
    text[n - 1] = static_cast<char>(0xE9);
    bits = 0;
    internal::CopyAndOrBytes(out.data() + 1, text, bits);
    EXPECT_NE(bits & internal::kNonAsciiBits, 0u) << n;
    EXPECT_FALSE(internal::IsAscii(text));
  }
}

}  // namespace
}  // namespace tracewire::otlp
