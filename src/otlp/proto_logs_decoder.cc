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

using internal::kBadTag;
using internal::ProtoDecodeContext;
using internal::ProtoReader;

// An optional id: empty (not tied to a trace) or exactly Id::kSize bytes.
template <typename Id>
bool TakeOptionalId(std::string_view bytes, Id* id) {
  if (bytes.empty()) return true;
  if (bytes.size() != Id::kSize) return false;
  std::memcpy(id->mutable_data(), bytes.data(), Id::kSize);
  return true;
}

// HOT PATH: one call per log record.
bool ParseLogRecord(ProtoDecodeContext& c, std::string_view bytes, model::LogRecord* l,
                    const char** reject) {
  const size_t attributes = c.kv_stack.size();
  std::string_view trace_id;
  std::string_view span_id;
  std::string_view body;
  bool has_body = false;
  ProtoReader r(bytes);
  uint32_t field;
  uint32_t wire;
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
        ok = ReadBytesField(c, r, wire, &body, "LogRecord.body");
        has_body = true;
        break;
      case 6: ok = PushKeyValue(c, r, wire, "LogRecord.attributes"); break;
      case 7:
        ok = ReadUint32Field(c, r, wire, &l->dropped_attributes_count,
                             "LogRecord.dropped_attributes_count");
        break;
      case 8: ok = ReadFixed32Field(c, r, wire, &l->flags, "LogRecord.flags"); break;
      case 9: ok = ReadBytesField(c, r, wire, &trace_id, "LogRecord.trace_id"); break;
      case 10: ok = ReadBytesField(c, r, wire, &span_id, "LogRecord.span_id"); break;
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
  if (has_body && !ParseAnyValue(c, body, &l->body, 1)) return false;
  if (!TakeOptionalId(trace_id, &l->trace_id)) *reject = "log record trace_id is not 16 bytes";
  if (!TakeOptionalId(span_id, &l->span_id)) *reject = "log record span_id is not 8 bytes";
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
