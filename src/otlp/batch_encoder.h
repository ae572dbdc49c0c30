// Encoders from the batch form back to OTLP: protobuf (what the otlp/otlphttp exporters forward)
// and OTLP/JSON (what the query API returns for a trace). Spans are grouped by resource and scope
// as they are indexed in the batch (one ResourceSpans per Resource entry that has spans, one
// ScopeSpans per Scope entry), in batch order. Output of the protobuf encoders parses with the
// generated classes to the message the batch was decoded from (modulo field order).
#pragma once

#include <string>

#include "model/span_batch.h"

namespace tracewire::otlp {

// Appends to *out (which is cleared first). Reusing *out across calls avoids allocation.
void EncodeTracesProto(const model::SpanBatch& batch, std::string* out);
void EncodeLogsProto(const model::LogBatch& batch, std::string* out);
// OTLP/JSON: lowerCamelCase, hex ids, integer enums, 64-bit integers as strings, defaults omitted.
void EncodeTracesJson(const model::SpanBatch& batch, std::string* out);
void EncodeLogsJson(const model::LogBatch& batch, std::string* out);

}  // namespace tracewire::otlp
