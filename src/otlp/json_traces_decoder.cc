// DecodeTracesJson: an OTLP/JSON ExportTraceServiceRequest into a SpanBatch.
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
using internal::ReadAttributes;
using internal::ReadEnum;
using internal::ReadHexId;
using internal::ReadText;
using internal::ReadUint32;
using internal::ReadUint64;
using internal::TakeNull;

constexpr std::array<std::string_view, 6> kSpanKindNames = {
    "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
    "SPAN_KIND_CLIENT",      "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
constexpr std::array<std::string_view, 3> kStatusCodeNames = {"STATUS_CODE_UNSET", "STATUS_CODE_OK",
                                                              "STATUS_CODE_ERROR"};

class SpanParser {
 public:
  using Batch = model::SpanBatch;
  static constexpr const char* kRequest = "ExportTraceServiceRequest";
  static constexpr std::string_view kResourcesKey = "resourceSpans";
  static constexpr std::string_view kScopesKey = "scopeSpans";
  static constexpr std::string_view kItemsKey = "spans";
  static constexpr const char* kResourceSchemaUrl = "ResourceSpans.schemaUrl";
  static constexpr const char* kScopeSchemaUrl = "ScopeSpans.schemaUrl";
  static std::vector<model::Span>& Items(Batch& b) { return b.spans; }

  // HOT PATH: one span object.
  bool Parse(JsonDecodeContext& c, model::Span* s, const char** reject) {
    if (!c.r.BeginObject()) return false;
    size_t trace_id_size = 0;
    size_t span_id_size = 0;
    size_t parent_size = 0;
    int32_t kind = 0;
    std::string_view key;
    while (c.r.NextMember(&key)) {
      bool ok;
      if (key == "attributes") {
        ok = ReadAttributes(c, &s->attributes, "Span.attributes");
      } else if (key == "traceId") {
        ok = ReadHexId(c, s->trace_id.mutable_data(), 16, &trace_id_size, "Span.traceId");
      } else if (key == "spanId") {
        ok = ReadHexId(c, s->span_id.mutable_data(), 8, &span_id_size, "Span.spanId");
      } else if (key == "parentSpanId") {
        ok = ReadHexId(c, s->parent_span_id.mutable_data(), 8, &parent_size, "Span.parentSpanId");
      } else if (key == "name") {
        ok = ReadText(c, &s->name, "Span.name");
      } else if (key == "kind") {
        ok = ReadEnum(c, kSpanKindNames, &kind, "Span.kind");
      } else if (key == "startTimeUnixNano") {
        ok = ReadUint64(c, &s->start_time_unix_nano, "Span.startTimeUnixNano");
      } else if (key == "endTimeUnixNano") {
        ok = ReadUint64(c, &s->end_time_unix_nano, "Span.endTimeUnixNano");
      } else if (key == "flags") {
        ok = ReadUint32(c, &s->flags, "Span.flags");
      } else if (key == "traceState") {
        ok = ReadText(c, &s->trace_state, "Span.traceState");
      } else if (key == "status") {
        ok = ParseStatus(c, s, reject);
      } else if (key == "events") {
        ok = ParseEvents(c, s);
      } else if (key == "links") {
        ok = ParseLinks(c, s, reject);
      } else if (key == "droppedAttributesCount") {
        ok = ReadUint32(c, &s->dropped_attributes_count, "Span.droppedAttributesCount");
      } else if (key == "droppedEventsCount") {
        ok = ReadUint32(c, &s->dropped_events_count, "Span.droppedEventsCount");
      } else if (key == "droppedLinksCount") {
        ok = ReadUint32(c, &s->dropped_links_count, "Span.droppedLinksCount");
      } else {
        ok = c.r.SkipValue();
      }
      if (!ok) return false;
    }
    if (!c.r.ok()) return false;
    if (kind < 0 || kind > 5) *reject = "span kind out of range";
    s->kind = static_cast<model::SpanKind>(kind & 7);
    if (parent_size != 0 && parent_size != 8) *reject = "span parent_span_id is not 8 bytes";
    if (span_id_size != 8) *reject = "span span_id is not 8 bytes";
    if (trace_id_size != 16) *reject = "span trace_id is not 16 bytes";
    if (*reject == nullptr && !s->span_id.IsValid()) *reject = "span span_id is all zero";
    if (*reject == nullptr && !s->trace_id.IsValid()) *reject = "span trace_id is all zero";
    return true;
  }

 private:
  static bool ParseStatus(JsonDecodeContext& c, model::Span* s, const char** reject) {
    if (TakeNull(c)) return true;
    if (!c.r.BeginObject()) return false;
    std::string_view key;
    int32_t code = 0;
    while (c.r.NextMember(&key)) {
      bool ok;
      if (key == "message") {
        ok = ReadText(c, &s->status_message, "Status.message");
      } else if (key == "code") {
        ok = ReadEnum(c, kStatusCodeNames, &code, "Status.code");
      } else {
        ok = c.r.SkipValue();
      }
      if (!ok) return false;
    }
    if (code < 0 || code > 2) *reject = "span status code out of range";
    s->status_code = static_cast<model::StatusCode>(code & 3);
    return c.r.ok();
  }

  bool ParseEvents(JsonDecodeContext& c, model::Span* s) {
    s->events = {};
    if (TakeNull(c)) return true;
    const size_t from = events_.size();
    if (!c.r.BeginArray()) return false;
    while (c.r.NextElement()) {
      model::Event e;
      if (!c.r.BeginObject()) return false;
      std::string_view key;
      while (c.r.NextMember(&key)) {
        bool ok;
        if (key == "timeUnixNano") {
          ok = ReadUint64(c, &e.time_unix_nano, "Span.Event.timeUnixNano");
        } else if (key == "name") {
          ok = ReadText(c, &e.name, "Span.Event.name");
        } else if (key == "attributes") {
          ok = ReadAttributes(c, &e.attributes, "Span.Event.attributes");
        } else if (key == "droppedAttributesCount") {
          ok = ReadUint32(c, &e.dropped_attributes_count, "Span.Event.droppedAttributesCount");
        } else {
          ok = c.r.SkipValue();
        }
        if (!ok) return false;
      }
      if (!c.r.ok()) return false;
      events_.push_back(e);
    }
    if (!c.r.ok()) return false;
    s->events = c.Pop(events_, from);
    return true;
  }

  bool ParseLinks(JsonDecodeContext& c, model::Span* s, const char** reject) {
    s->links = {};
    if (TakeNull(c)) return true;
    const size_t from = links_.size();
    if (!c.r.BeginArray()) return false;
    while (c.r.NextElement()) {
      model::Link l;
      size_t trace_id_size = 0;
      size_t span_id_size = 0;
      if (!c.r.BeginObject()) return false;
      std::string_view key;
      while (c.r.NextMember(&key)) {
        bool ok;
        if (key == "traceId") {
          ok = ReadHexId(c, l.trace_id.mutable_data(), 16, &trace_id_size, "Span.Link.traceId");
        } else if (key == "spanId") {
          ok = ReadHexId(c, l.span_id.mutable_data(), 8, &span_id_size, "Span.Link.spanId");
        } else if (key == "traceState") {
          ok = ReadText(c, &l.trace_state, "Span.Link.traceState");
        } else if (key == "attributes") {
          ok = ReadAttributes(c, &l.attributes, "Span.Link.attributes");
        } else if (key == "droppedAttributesCount") {
          ok = ReadUint32(c, &l.dropped_attributes_count, "Span.Link.droppedAttributesCount");
        } else if (key == "flags") {
          ok = ReadUint32(c, &l.flags, "Span.Link.flags");
        } else {
          ok = c.r.SkipValue();
        }
        if (!ok) return false;
      }
      if (!c.r.ok()) return false;
      if (trace_id_size != 16) *reject = "link trace_id is not 16 bytes";
      if (span_id_size != 8) *reject = "link span_id is not 8 bytes";
      links_.push_back(l);
    }
    if (!c.r.ok()) return false;
    s->links = c.Pop(links_, from);
    return true;
  }

  std::vector<model::Event> events_;  // scratch, per request
  std::vector<model::Link> links_;    // scratch, per request
};

}  // namespace

StatusOr<Decoded<model::SpanBatch>> DecodeTracesJson(std::string body,
                                                     const DecodeOptions& options) {
  return internal::DecodeJsonEnvelopes<SpanParser>(std::move(body), options);
}

}  // namespace tracewire::otlp
