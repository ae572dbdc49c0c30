// DecodeLogsProto: ExportLogsServiceRequest bytes into a LogBatch, zero-copy. Field numbers:
// src/otlp/proto/opentelemetry/proto/{collector/logs,logs}/v1/*.proto.
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "otlp/internal/proto_decode.h"
#include "otlp/internal/proto_envelope.h"
#include "otlp/otlp_decoder.h"

namespace tracewire::otlp {

namespace {

using internal::InOrderFields;
using internal::kBadTag;
using internal::ProtoDecodeContext;
using internal::ProtoReader;
using internal::Tag1;
using internal::WireType;

// An optional id: empty (not tied to a trace) or exactly Id::kSize bytes.
template <typename Id>
bool TakeOptionalId(std::string_view bytes, Id* id) {
  if (bytes.empty()) return true;
  if (bytes.size() != Id::kSize) return false;
  std::memcpy(id->mutable_data(), bytes.data(), Id::kSize);
  return true;
}

// A record's fields that are checked once the whole record is read.
struct LogParts {
  std::string_view trace_id;
  std::string_view span_id;
  std::string_view body;
  bool has_body = false;
};

// Any log record field, in any order and shape: the generic loop over [p, end).
bool ParseLogFields(ProtoDecodeContext& c, const char* p, const char* end, model::LogRecord* l,
                    LogParts& parts) {
  ProtoReader r(p, end);
  uint32_t field;
  WireType wire;
  uint64_t n = 0;
  while (!r.done()) {
    if (!r.ReadTag(&field, &wire)) [[unlikely]]
      return c.failure.Fail("LogRecord", kBadTag);
    bool ok = true;
    switch (field) {
      case 1:
        ok = ReadFixed64Field(c, r, wire, &l->time_unix_nano, "LogRecord.time_unix_nano");
        break;
      case 2:
        // An int32 enum: negative values arrive as ten-byte varints; keep the low 32 bits.
        ok = ReadVarintField(c, r, wire, &n, "LogRecord.severity_number");
        l->severity_number = static_cast<int32_t>(static_cast<uint32_t>(n));
        break;
      case 3: ok = ReadStringField(c, r, wire, &l->severity_text, "LogRecord.severity_text"); break;
      case 5:
        ok = ReadBytesField(c, r, wire, &parts.body, "LogRecord.body");
        parts.has_body = true;
        break;
      case 6: ok = PushKeyValue(c, r, wire, "LogRecord.attributes"); break;
      case 7:
        ok = ReadUint32Field(c, r, wire, &l->dropped_attributes_count,
                             "LogRecord.dropped_attributes_count");
        break;
      case 8: ok = ReadFixed32Field(c, r, wire, &l->flags, "LogRecord.flags"); break;
      case 9: ok = ReadBytesField(c, r, wire, &parts.trace_id, "LogRecord.trace_id"); break;
      case 10: ok = ReadBytesField(c, r, wire, &parts.span_id, "LogRecord.span_id"); break;
      case 11:
        ok = ReadFixed64Field(c, r, wire, &l->observed_time_unix_nano,
                              "LogRecord.observed_time_unix_nano");
        break;
      case 12: ok = ReadStringField(c, r, wire, &l->event_name, "LogRecord.event_name"); break;
      default: ok = SkipField(c, r, wire, "LogRecord");
    }
    if (!ok) [[unlikely]]
      return false;
  }
  return true;
}

// HOT PATH. The fast path, as for spans (proto_traces_decoder.cc): the record's fields in
// ascending order and usual shape, one predictable test each. Returns where it stopped (`end`, or
// the first field left to the generic loop); nullptr when an attribute failed.
const char* ParseLogInOrder(ProtoDecodeContext& c, const char* p, const char* end,
                            model::LogRecord* l, LogParts& parts) {
  constexpr auto kLen = WireType::kLen;
  InOrderFields in(p, end);
  uint64_t x = 0;
  in.TakeFixed64(Tag1(1, WireType::kFixed64), &l->time_unix_nano);
  if (in.TakeVarint(Tag1(2, WireType::kVarint), &x)) l->severity_number = static_cast<int32_t>(x);
  in.TakeText(Tag1(3, kLen), &l->severity_text);
  parts.has_body = in.TakeLen(Tag1(5, kLen), &parts.body);
  if (!internal::TakeAttributes(c, in, Tag1(6, kLen))) return nullptr;
  if (in.TakeVarint(Tag1(7, WireType::kVarint), &x)) {
    l->dropped_attributes_count = static_cast<uint32_t>(x);
  }
  in.TakeFixed32(Tag1(8, WireType::kFixed32), 1, &l->flags);
  in.TakeLen(Tag1(9, kLen), &parts.trace_id);
  in.TakeLen(Tag1(10, kLen), &parts.span_id);
  in.TakeFixed64(Tag1(11, WireType::kFixed64), &l->observed_time_unix_nano);
  in.TakeText(Tag1(12, kLen), &l->event_name);
  return in.position();
}

// A log body: a lone string_value (the usual body) inline, anything else the generic way.
bool ParseBody(ProtoDecodeContext& c, std::string_view bytes, model::AnyValue* body) {
  InOrderFields in(bytes.data(), bytes.data() + bytes.size());
  std::string_view text;
  if (c.max_value_depth >= 1 &&  // the body is depth 1
      in.TakeText(Tag1(1, WireType::kLen), &text) && in.position() == bytes.data() + bytes.size()) {
    *body = model::AnyValue::String(text);
    return true;
  }
  return ParseAnyValue(c, bytes, body, 1);
}

// HOT PATH: one call per log record.
bool ParseLogRecord(ProtoDecodeContext& c, std::string_view bytes, model::LogRecord* l,
                    const char** reject) {
  const size_t attributes = c.kv_stack.size();
  LogParts parts;
  const char* end = bytes.data() + bytes.size();
  const char* rest = ParseLogInOrder(c, bytes.data(), end, l, parts);
  if (rest == nullptr) [[unlikely]]
    return false;
  if (rest != end && !ParseLogFields(c, rest, end, l, parts)) return false;
  if (parts.has_body && !ParseBody(c, parts.body, &l->body)) return false;
  if (!TakeOptionalId(parts.trace_id, &l->trace_id)) {
    *reject = "log record trace_id is not 16 bytes";
  }
  if (!TakeOptionalId(parts.span_id, &l->span_id)) *reject = "log record span_id is not 8 bytes";
  l->attributes = c.Pop(c.kv_stack, attributes);
  return true;
}

struct LogTraits {
  using Batch = model::LogBatch;
  using Item = model::LogRecord;
  static constexpr const char* kRequest = "ExportLogsServiceRequest";
  static constexpr const char* kRequestResources = "ExportLogsServiceRequest.resource_logs";
  static constexpr const char* kResource = "ResourceLogs";
  static constexpr const char* kResourceResource = "ResourceLogs.resource";
  static constexpr const char* kResourceScopes = "ResourceLogs.scope_logs";
  static constexpr const char* kResourceSchemaUrl = "ResourceLogs.schema_url";
  static constexpr const char* kScope = "ScopeLogs";
  static constexpr const char* kScopeScope = "ScopeLogs.scope";
  static constexpr const char* kScopeItems = "ScopeLogs.log_records";
  static constexpr const char* kScopeSchemaUrl = "ScopeLogs.schema_url";
  static std::vector<Item>& Items(Batch& b) { return b.records; }
  static bool Parse(ProtoDecodeContext& c, std::string_view bytes, Item* item,
                    const char** reject) {
    return ParseLogRecord(c, bytes, item, reject);
  }
};

}  // namespace

StatusOr<Decoded<model::LogBatch>> DecodeLogsProto(std::string body, const DecodeOptions& options) {
  return internal::DecodeEnvelopes<LogTraits>(std::move(body), options);
}

}  // namespace tracewire::otlp
