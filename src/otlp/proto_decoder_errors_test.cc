// Malformed and partially valid protobuf requests.
#include <gtest/gtest.h>

#include <string>

#include "otlp/otlp_decoder.h"
#include "otlp/testing/random_otlp.h"

namespace tracewire::otlp {
namespace {

using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

// Tiny wire-format writer for hand-made (and broken) messages.
std::string Varint(uint64_t v) {
  std::string s;
  while (v >= 0x80) {
    s.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  s.push_back(static_cast<char>(v));
  return s;
}
std::string Len(uint32_t field, const std::string& body) {
  return Varint(field << 3 | 2) + Varint(body.size()) + body;
}
std::string VarintField(uint32_t field, uint64_t v) { return Varint(field << 3) + Varint(v); }
// A request holding one span with the given body.
std::string RequestWithSpan(const std::string& span) { return Len(1, Len(2, Len(2, span))); }
std::string ValidSpanFields() {
  return Len(1, std::string(16, '\x01')) + Len(2, std::string(8, '\x02'));
}

void ExpectInvalid(const StatusOr<Decoded<model::SpanBatch>>& r, const std::string& words) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(words), std::string::npos) << r.status().message();
}

TEST(ProtoDecoderErrorsTest, AValidHandMadeSpanDecodes) {
  auto r = DecodeTracesProto(RequestWithSpan(ValidSpanFields() + Len(5, "op")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->batch->spans.size(), 1u);
  EXPECT_EQ(r->batch->spans[0].name, "op");
}

TEST(ProtoDecoderErrorsTest, MalformedVarintIsInvalid) {
  ExpectInvalid(DecodeTracesProto(RequestWithSpan(ValidSpanFields() + "\x30\xff\xff")),
                "Span.kind: malformed varint");
  ExpectInvalid(DecodeTracesProto(std::string("\x0a") + std::string(11, '\xff')),
                "ExportTraceServiceRequest");
}

TEST(ProtoDecoderErrorsTest, LengthPastTheEndIsInvalid) {
  ExpectInvalid(DecodeTracesProto(RequestWithSpan(ValidSpanFields() + "\x2a\x09op")),
                "Span.name: length past the end");
  ExpectInvalid(DecodeTracesProto("\x0a\x05"
                                  "ab"),
                "ExportTraceServiceRequest.resource_spans: length past the end");
}

TEST(ProtoDecoderErrorsTest, WrongWireTypeForAKnownFieldIsInvalid) {
  ExpectInvalid(DecodeTracesProto(RequestWithSpan(ValidSpanFields() + VarintField(5, 1))),
                "Span.name: wrong wire type");
  ExpectInvalid(DecodeTracesProto(RequestWithSpan(ValidSpanFields() + VarintField(7, 1))),
                "Span.start_time_unix_nano: wrong wire type");
  ExpectInvalid(DecodeTracesProto(RequestWithSpan(ValidSpanFields() + Len(6, "x"))),
                "Span.kind: wrong wire type");
}

TEST(ProtoDecoderErrorsTest, GroupsAndFieldZeroAreInvalid) {
  ExpectInvalid(DecodeTracesProto(RequestWithSpan(ValidSpanFields() + "\x9b\x06")), "Span");
  ExpectInvalid(DecodeTracesProto(std::string("\x00\x01", 2)), "ExportTraceServiceRequest");
}

TEST(ProtoDecoderErrorsTest, InvalidUtf8InAStringFieldIsInvalidButBytesMayHoldAnything) {
  ExpectInvalid(DecodeTracesProto(RequestWithSpan(ValidSpanFields() + Len(5, "a\xff"))),
                "Span.name: invalid UTF-8");
  const std::string kv_bad_key = Len(1, "\xc3\x28") + Len(2, Len(1, "v"));
  ExpectInvalid(DecodeTracesProto(RequestWithSpan(ValidSpanFields() + Len(9, kv_bad_key))),
                "KeyValue.key: invalid UTF-8");
  const std::string kv_bytes = Len(1, "k") + Len(2, Len(7, "\xff\x00\xfe"));
  auto r = DecodeTracesProto(RequestWithSpan(ValidSpanFields() + Len(9, kv_bytes)));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->batch->spans[0].attributes[0].value.type(), model::ValueType::kBytes);
}

TEST(ProtoDecoderErrorsTest, NestingPastMaxValueDepthIsInvalid) {
  // An attribute whose value is an array in an array in ... (depth levels of AnyValue).
  auto nested = [](int depth) {
    std::string any = Len(1, "leaf");  // string_value
    for (int i = 1; i < depth; ++i) any = Len(5, Len(1, any));
    return Len(9, Len(1, "k") + Len(2, any));
  };
  DecodeOptions options;
  options.max_value_depth = 4;
  EXPECT_TRUE(DecodeTracesProto(RequestWithSpan(ValidSpanFields() + nested(4)), options).ok());
  ExpectInvalid(DecodeTracesProto(RequestWithSpan(ValidSpanFields() + nested(5)), options),
                "AnyValue: nesting deeper than max_value_depth");
  // The default limit holds a very deep value off without exhausting the stack.
  ExpectInvalid(DecodeTracesProto(RequestWithSpan(ValidSpanFields() + nested(1000))),
                "max_value_depth");
}

TEST(ProtoDecoderErrorsTest, UnknownFieldsOfEveryWireTypeAreSkipped) {
  const std::string unknown = VarintField(99, 5) + Len(98, "zz") + Varint(97 << 3 | 1) +
                              std::string(8, 'x') + Varint(96 << 3 | 5) + std::string(4, 'y');
  const std::string span = unknown + ValidSpanFields() + Len(5, "op") + unknown;
  const std::string request =
      unknown + Len(1, unknown + Len(2, unknown + Len(2, span) + unknown) + unknown);
  auto r = DecodeTracesProto(request);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->batch->spans.size(), 1u);
  EXPECT_EQ(r->batch->spans[0].name, "op");
}

TEST(ProtoDecoderErrorsTest, SpansWithBadIdsAreCountedAndLeftOutWhileValidOnesAreKept) {
  ExportTraceServiceRequest req = testing::RealisticTracesRequest(10, 3);
  auto* spans = req.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans();
  spans->Mutable(1)->set_trace_id(std::string(15, 'a'));  // short trace id
  spans->Mutable(3)->set_span_id(std::string(8, '\0'));   // all-zero span id
  spans->Mutable(5)->set_parent_span_id("abc");           // parent of a wrong length
  spans->Mutable(7)->clear_trace_id();                    // missing trace id
  spans->Mutable(8)->add_links()->set_trace_id("short");  // a link of wrong ids
  auto r = DecodeTracesProto(req.SerializeAsString());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rejected, 5u);
  EXPECT_EQ(r->rejected_reason, "span trace_id is not 16 bytes");
  ASSERT_EQ(r->batch->spans.size(), 5u);
  const int kept[] = {0, 2, 4, 6, 9};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(r->batch->spans[i].name, spans->Get(kept[i]).name());
    EXPECT_EQ(r->batch->spans[i].start_time_unix_nano, spans->Get(kept[i]).start_time_unix_nano());
  }
}

TEST(ProtoDecoderErrorsTest, LogRecordIdsMayBeAbsentButNotOfAWrongSize) {
  ExportLogsServiceRequest req;
  auto* sl = req.add_resource_logs()->add_scope_logs();
  sl->add_log_records()->set_severity_text("no ids");
  auto* tied = sl->add_log_records();
  tied->set_trace_id(std::string(16, '\x07'));
  tied->set_span_id(std::string(8, '\x08'));
  sl->add_log_records()->set_trace_id(std::string(5, '\x01'));
  sl->add_log_records()->set_span_id(std::string(9, '\x01'));
  auto r = DecodeLogsProto(req.SerializeAsString());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rejected, 2u);
  ASSERT_EQ(r->batch->records.size(), 2u);
  EXPECT_FALSE(r->batch->records[0].trace_id.IsValid());
  EXPECT_TRUE(r->batch->records[1].trace_id.IsValid());
  EXPECT_TRUE(r->batch->records[1].span_id.IsValid());
}

TEST(ProtoDecoderErrorsTest, EveryTruncationOfAValidRequestFailsCleanlyOrDecodes) {
  const std::string bytes = testing::RandomTracesRequest(9).SerializeAsString().substr(0, 1500);
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = DecodeTracesProto(bytes.substr(0, n));
    if (!r.ok()) EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace tracewire::otlp
