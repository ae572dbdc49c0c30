// DecodeLogsJson: an OTLP/JSON ExportLogsServiceRequest into a LogBatch.
#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "otlp/internal/json_decode.h"
#include "otlp/internal/json_envelope.h"
#include "otlp/otlp_decoder.h"

namespace tracewire::otlp {

namespace {

using internal::JsonDecodeContext;

// SeverityNumber names, index = value.
constexpr std::array<std::string_view, 25> kSeverityNames = {
    "SEVERITY_NUMBER_UNSPECIFIED", "SEVERITY_NUMBER_TRACE",  "SEVERITY_NUMBER_TRACE2",
    "SEVERITY_NUMBER_TRACE3",      "SEVERITY_NUMBER_TRACE4", "SEVERITY_NUMBER_DEBUG",
    "SEVERITY_NUMBER_DEBUG2",      "SEVERITY_NUMBER_DEBUG3", "SEVERITY_NUMBER_DEBUG4",
    "SEVERITY_NUMBER_INFO",        "SEVERITY_NUMBER_INFO2",  "SEVERITY_NUMBER_INFO3",
    "SEVERITY_NUMBER_INFO4",       "SEVERITY_NUMBER_WARN",   "SEVERITY_NUMBER_WARN2",
    "SEVERITY_NUMBER_WARN3",       "SEVERITY_NUMBER_WARN4",  "SEVERITY_NUMBER_ERROR",
    "SEVERITY_NUMBER_ERROR2",      "SEVERITY_NUMBER_ERROR3", "SEVERITY_NUMBER_ERROR4",
    "SEVERITY_NUMBER_FATAL",       "SEVERITY_NUMBER_FATAL2", "SEVERITY_NUMBER_FATAL3",
    "SEVERITY_NUMBER_FATAL4"};

struct LogParser {
  using Batch = model::LogBatch;
  static constexpr const char* kRequest = "ExportLogsServiceRequest";
  static constexpr std::string_view kResourcesKey = "resourceLogs";
  static constexpr std::string_view kScopesKey = "scopeLogs";
  static constexpr std::string_view kItemsKey = "logRecords";
  static constexpr const char* kResourceSchemaUrl = "ResourceLogs.schemaUrl";
  static constexpr const char* kScopeSchemaUrl = "ScopeLogs.schemaUrl";
  static std::vector<model::LogRecord>& Items(Batch& b) { return b.records; }

  // HOT PATH: one log record object. Ids are optional: absent or empty means "not in a trace".
  bool Parse(JsonDecodeContext& c, model::LogRecord* l, const char** reject) {
    if (!c.r.BeginObject()) return false;
    size_t trace_id_size = 0;
    size_t span_id_size = 0;
    std::string_view key;
    while (c.r.NextMember(&key)) {
      bool ok;
      if (key == "attributes") {
        ok = internal::ReadAttributes(c, &l->attributes, "LogRecord.attributes");
      } else if (key == "body") {
        ok = internal::ReadAnyValue(c, &l->body, 1);
      } else if (key == "timeUnixNano") {
        ok = internal::ReadUint64(c, &l->time_unix_nano, "LogRecord.timeUnixNano");
      } else if (key == "observedTimeUnixNano") {
        ok = internal::ReadUint64(c, &l->observed_time_unix_nano, "LogRecord.observedTimeUnixNano");
      } else if (key == "severityNumber") {
        ok = internal::ReadEnum(c, kSeverityNames, &l->severity_number, "LogRecord.severityNumber");
      } else if (key == "severityText") {
        ok = internal::ReadText(c, &l->severity_text, "LogRecord.severityText");
      } else if (key == "traceId") {
        ok = internal::ReadHexId(c, l->trace_id.mutable_data(), 16, &trace_id_size,
                                 "LogRecord.traceId");
      } else if (key == "spanId") {
        ok =
            internal::ReadHexId(c, l->span_id.mutable_data(), 8, &span_id_size, "LogRecord.spanId");
      } else if (key == "flags") {
        ok = internal::ReadUint32(c, &l->flags, "LogRecord.flags");
      } else if (key == "droppedAttributesCount") {
        ok = internal::ReadUint32(c, &l->dropped_attributes_count,
                                  "LogRecord.droppedAttributesCount");
      } else if (key == "eventName") {
        ok = internal::ReadText(c, &l->event_name, "LogRecord.eventName");
      } else {
        ok = c.r.SkipValue();
      }
      if (!ok) return false;
    }
    if (!c.r.ok()) return false;
    if (trace_id_size != 0 && trace_id_size != 16) *reject = "log record trace_id is not 16 bytes";
    if (span_id_size != 0 && span_id_size != 8) *reject = "log record span_id is not 8 bytes";
    return true;
  }
};

}  // namespace

StatusOr<Decoded<model::LogBatch>> DecodeLogsJson(std::string body, const DecodeOptions& options) {
  return internal::DecodeJsonEnvelopes<LogParser>(std::move(body), options);
}

}  // namespace tracewire::otlp
