// Protobuf decode / encode of the batch form against the generated classes.
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>

#include "otlp/batch_encoder.h"
#include "otlp/otlp_decoder.h"
#include "otlp/testing/random_otlp.h"

namespace tracewire::otlp {
namespace {

namespace common = opentelemetry::proto::common::v1;
namespace tracepb = opentelemetry::proto::trace::v1;
namespace logspb = opentelemetry::proto::logs::v1;
using opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;

using KeyValues = google::protobuf::RepeatedPtrField<common::KeyValue>;

void ExpectAttributes(const KeyValues& pb, std::span<const model::KeyValue> kvs);

void ExpectValue(const common::AnyValue& pb, const model::AnyValue& v) {
  switch (pb.value_case()) {
    case common::AnyValue::VALUE_NOT_SET: EXPECT_EQ(v.type(), model::ValueType::kEmpty); break;
    case common::AnyValue::kStringValue:
      ASSERT_EQ(v.type(), model::ValueType::kString);
      EXPECT_EQ(v.string_value(), pb.string_value());
      break;
    case common::AnyValue::kBoolValue:
      ASSERT_EQ(v.type(), model::ValueType::kBool);
      EXPECT_EQ(v.bool_value(), pb.bool_value());
      break;
    case common::AnyValue::kIntValue:
      ASSERT_EQ(v.type(), model::ValueType::kInt);
      EXPECT_EQ(v.int_value(), pb.int_value());
      break;
    case common::AnyValue::kDoubleValue:
      ASSERT_EQ(v.type(), model::ValueType::kDouble);
      EXPECT_EQ(std::bit_cast<uint64_t>(v.double_value()),
                std::bit_cast<uint64_t>(pb.double_value()));
      break;
    case common::AnyValue::kBytesValue:
      ASSERT_EQ(v.type(), model::ValueType::kBytes);
      EXPECT_EQ(v.string_value(), pb.bytes_value());
      break;
    case common::AnyValue::kArrayValue: {
      ASSERT_EQ(v.type(), model::ValueType::kArray);
      ASSERT_EQ(v.array_value().size(), static_cast<size_t>(pb.array_value().values_size()));
      for (int i = 0; i < pb.array_value().values_size(); ++i) {
        ExpectValue(pb.array_value().values(i), v.array_value()[i]);
      }
      break;
    }
    case common::AnyValue::kKvlistValue:
      ASSERT_EQ(v.type(), model::ValueType::kKvList);
      ExpectAttributes(pb.kvlist_value().values(), v.kvlist_value());
      break;
  }
}

void ExpectAttributes(const KeyValues& pb, std::span<const model::KeyValue> kvs) {
  ASSERT_EQ(kvs.size(), static_cast<size_t>(pb.size()));
  for (int i = 0; i < pb.size(); ++i) {
    EXPECT_EQ(kvs[i].key, pb[i].key());
    ExpectValue(pb[i].value(), kvs[i].value);
  }
}

std::string_view IdBytes(const auto& id) {
  return {reinterpret_cast<const char*>(id.data()), id.kSize};
}

template <typename ResourceX>
void ExpectResource(const ResourceX& pb, const model::Resource& r) {
  ExpectAttributes(pb.resource().attributes(), r.attributes);
  EXPECT_EQ(r.dropped_attributes_count, pb.resource().dropped_attributes_count());
  EXPECT_EQ(r.schema_url, pb.schema_url());
  std::string service;
  for (const auto& kv : pb.resource().attributes()) {
    if (kv.key() == "service.name" && kv.value().has_string_value()) {
      service = kv.value().string_value();
      break;
    }
  }
  EXPECT_EQ(r.service_name, service);
}

template <typename ScopeX>
void ExpectScope(const ScopeX& pb, const model::Scope& s) {
  EXPECT_EQ(s.name, pb.scope().name());
  EXPECT_EQ(s.version, pb.scope().version());
  ExpectAttributes(pb.scope().attributes(), s.attributes);
  EXPECT_EQ(s.dropped_attributes_count, pb.scope().dropped_attributes_count());
  EXPECT_EQ(s.schema_url, pb.schema_url());
}

void ExpectSpan(const tracepb::Span& pb, const model::Span& s) {
  EXPECT_EQ(IdBytes(s.trace_id), pb.trace_id());
  EXPECT_EQ(IdBytes(s.span_id), pb.span_id());
  if (pb.parent_span_id().empty()) {
    EXPECT_FALSE(s.parent_span_id.IsValid());
  } else {
    EXPECT_EQ(IdBytes(s.parent_span_id), pb.parent_span_id());
  }
  EXPECT_EQ(s.trace_state, pb.trace_state());
  EXPECT_EQ(s.flags, pb.flags());
  EXPECT_EQ(s.name, pb.name());
  EXPECT_EQ(static_cast<int>(s.kind), static_cast<int>(pb.kind()));
  EXPECT_EQ(s.start_time_unix_nano, pb.start_time_unix_nano());
  EXPECT_EQ(s.end_time_unix_nano, pb.end_time_unix_nano());
  ExpectAttributes(pb.attributes(), s.attributes);
  EXPECT_EQ(s.dropped_attributes_count, pb.dropped_attributes_count());
  ASSERT_EQ(s.events.size(), static_cast<size_t>(pb.events_size()));
  for (int i = 0; i < pb.events_size(); ++i) {
    EXPECT_EQ(s.events[i].time_unix_nano, pb.events(i).time_unix_nano());
    EXPECT_EQ(s.events[i].name, pb.events(i).name());
    ExpectAttributes(pb.events(i).attributes(), s.events[i].attributes);
    EXPECT_EQ(s.events[i].dropped_attributes_count, pb.events(i).dropped_attributes_count());
  }
  EXPECT_EQ(s.dropped_events_count, pb.dropped_events_count());
  ASSERT_EQ(s.links.size(), static_cast<size_t>(pb.links_size()));
  for (int i = 0; i < pb.links_size(); ++i) {
    EXPECT_EQ(IdBytes(s.links[i].trace_id), pb.links(i).trace_id());
    EXPECT_EQ(IdBytes(s.links[i].span_id), pb.links(i).span_id());
    EXPECT_EQ(s.links[i].trace_state, pb.links(i).trace_state());
    ExpectAttributes(pb.links(i).attributes(), s.links[i].attributes);
    EXPECT_EQ(s.links[i].dropped_attributes_count, pb.links(i).dropped_attributes_count());
    EXPECT_EQ(s.links[i].flags, pb.links(i).flags());
  }
  EXPECT_EQ(s.dropped_links_count, pb.dropped_links_count());
  EXPECT_EQ(static_cast<int>(s.status_code), static_cast<int>(pb.status().code()));
  EXPECT_EQ(s.status_message, pb.status().message());
}

void ExpectLog(const logspb::LogRecord& pb, const model::LogRecord& l) {
  EXPECT_EQ(l.time_unix_nano, pb.time_unix_nano());
  EXPECT_EQ(l.observed_time_unix_nano, pb.observed_time_unix_nano());
  EXPECT_EQ(l.severity_number, static_cast<int32_t>(pb.severity_number()));
  EXPECT_EQ(l.severity_text, pb.severity_text());
  ExpectValue(pb.body(), l.body);
  ExpectAttributes(pb.attributes(), l.attributes);
  EXPECT_EQ(l.dropped_attributes_count, pb.dropped_attributes_count());
  EXPECT_EQ(l.flags, pb.flags());
  EXPECT_EQ(l.trace_id.IsValid() ? std::string(IdBytes(l.trace_id)) : "", pb.trace_id());
  EXPECT_EQ(l.span_id.IsValid() ? std::string(IdBytes(l.span_id)) : "", pb.span_id());
  EXPECT_EQ(l.event_name, pb.event_name());
}

bool Equal(const google::protobuf::Message& a, const google::protobuf::Message& b,
           std::string* report) {
  google::protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  google::protobuf::util::MessageDifferencer differ;
  differ.set_field_comparator(&comparator);
  differ.ReportDifferencesToString(report);
  return differ.Compare(a, b);
}

TEST(ProtoCodecTest, RandomTraceRequestsDecodeFieldByFieldAndReencodeToTheSameMessage) {
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE(seed);
    const ExportTraceServiceRequest req = testing::RandomTracesRequest(seed);
    auto decoded = DecodeTracesProto(req.SerializeAsString());
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    const model::SpanBatch& b = *decoded->batch;
    EXPECT_EQ(decoded->rejected, 0u);
    ASSERT_EQ(b.resources.size(), static_cast<size_t>(req.resource_spans_size()));
    size_t scope = 0;
    size_t span = 0;
    for (int r = 0; r < req.resource_spans_size(); ++r) {
      const auto& rs = req.resource_spans(r);
      ExpectResource(rs, b.resources[r]);
      for (const auto& ss : rs.scope_spans()) {
        ASSERT_LT(scope, b.scopes.size());
        ExpectScope(ss, b.scopes[scope]);
        for (const auto& pb_span : ss.spans()) {
          ASSERT_LT(span, b.spans.size());
          EXPECT_EQ(b.spans[span].resource_index, static_cast<uint32_t>(r));
          EXPECT_EQ(b.spans[span].scope_index, scope);
          ExpectSpan(pb_span, b.spans[span]);
          ++span;
        }
        ++scope;
      }
    }
    EXPECT_EQ(span, b.spans.size());

    std::string bytes;
    EncodeTracesProto(b, &bytes);
    ExportTraceServiceRequest again;
    ASSERT_TRUE(again.ParseFromString(bytes));
    std::string report;
    EXPECT_TRUE(Equal(req, again, &report)) << report;
  }
}

TEST(ProtoCodecTest, RandomLogRequestsDecodeFieldByFieldAndReencodeToTheSameMessage) {
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE(seed);
    const ExportLogsServiceRequest req = testing::RandomLogsRequest(seed);
    auto decoded = DecodeLogsProto(req.SerializeAsString());
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    const model::LogBatch& b = *decoded->batch;
    EXPECT_EQ(decoded->rejected, 0u);
    ASSERT_EQ(b.resources.size(), static_cast<size_t>(req.resource_logs_size()));
    size_t scope = 0;
    size_t record = 0;
    for (int r = 0; r < req.resource_logs_size(); ++r) {
      const auto& rl = req.resource_logs(r);
      ExpectResource(rl, b.resources[r]);
      for (const auto& sl : rl.scope_logs()) {
        ASSERT_LT(scope, b.scopes.size());
        ExpectScope(sl, b.scopes[scope]);
        for (const auto& pb_log : sl.log_records()) {
          ASSERT_LT(record, b.records.size());
          EXPECT_EQ(b.records[record].resource_index, static_cast<uint32_t>(r));
          EXPECT_EQ(b.records[record].scope_index, scope);
          ExpectLog(pb_log, b.records[record]);
          ++record;
        }
        ++scope;
      }
    }
    EXPECT_EQ(record, b.records.size());

    std::string bytes;
    EncodeLogsProto(b, &bytes);
    ExportLogsServiceRequest again;
    ASSERT_TRUE(again.ParseFromString(bytes));
    std::string report;
    EXPECT_TRUE(Equal(req, again, &report)) << report;
  }
}

TEST(ProtoCodecTest, EncoderOutputMatchesTheGeneratedSerializerByteForByteWhenOrdered) {
  // The generated serializer writes fields in number order, as the encoder does.
  const ExportTraceServiceRequest req = testing::RealisticTracesRequest(64, 7);
  auto decoded = DecodeTracesProto(req.SerializeAsString());
  ASSERT_TRUE(decoded.ok());
  std::string bytes;
  EncodeTracesProto(*decoded->batch, &bytes);
  EXPECT_EQ(bytes, req.SerializeAsString());
}

TEST(ProtoCodecTest, UngroupedBatchesAreGroupedByResourceThenScope) {
  const ExportTraceServiceRequest req = testing::RandomTracesRequest(42);
  auto decoded = DecodeTracesProto(req.SerializeAsString());
  ASSERT_TRUE(decoded.ok());
  model::SpanBatch& b = *decoded->batch;
  ASSERT_GT(b.spans.size(), 2u);
  std::reverse(b.spans.begin(), b.spans.end());
  std::string bytes;
  EncodeTracesProto(b, &bytes);
  std::reverse(b.spans.begin(), b.spans.end());  // stable grouping restores a grouped batch
  ExportTraceServiceRequest again;
  ASSERT_TRUE(again.ParseFromString(bytes));
  auto redecoded = DecodeTracesProto(bytes);
  ASSERT_TRUE(redecoded.ok());
  ASSERT_EQ(redecoded->batch->spans.size(), b.spans.size());
  for (size_t i = 1; i < redecoded->batch->spans.size(); ++i) {
    const auto& x = redecoded->batch->spans[i - 1];
    const auto& y = redecoded->batch->spans[i];
    EXPECT_LE(x.scope_index, y.scope_index);
  }
}

TEST(ProtoCodecTest, EmptyBatchEncodesToAnEmptyRequest) {
  model::SpanBatch spans;
  std::string bytes = "junk";
  EncodeTracesProto(spans, &bytes);
  EXPECT_TRUE(bytes.empty());
  model::LogBatch logs;
  EncodeLogsProto(logs, &bytes);
  EXPECT_TRUE(bytes.empty());
}

}  // namespace
}  // namespace tracewire::otlp
