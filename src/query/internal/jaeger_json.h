// The Jaeger UI JSON model (jaeger-query's uimodel: Trace, Span, Reference, KeyValue, Log,
// Process), written from the batch form the way Jaeger's OTLP translator maps OTLP:
// - process per distinct resource, keyed "p1", "p2", ... in order of first use; serviceName from
//   service.name ("OTLPResourceNoServiceName" when empty), tags = the other resource attributes;
// - span tags: otel.scope.name / otel.scope.version, the attributes, span.kind, otel.status_code
//   (OK / ERROR), error=true (status ERROR), otel.status_description, w3c.tracestate;
// - events → logs (field "event" = the event name first, then its attributes);
// - the parent → a CHILD_OF reference (first), links → FOLLOWS_FROM (CHILD_OF when the link has
//   opentracing.ref_type=child_of);
// - values: string, bool, int64 (a string beyond ±(2^53 − 1)), float64, binary (base64); arrays
//   and maps as a string of their JSON;
// - times in µs since the epoch, durations in µs; ids as lower-case hex (32 / 16 digits).
#pragma once

#include <string>
#include <string_view>

#include "model/span_batch.h"

namespace tracewire::query::internal {

// Appends one trace (every span of `batch`, in batch order) as a uimodel.Trace JSON object.
void AppendJaegerTrace(const model::SpanBatch& batch, std::string& out);

// The span.kind tag value of `kind` ("server", "client", ...; "" for unspecified), which is
// also the spanKind of /api/operations.
std::string_view JaegerSpanKind(model::SpanKind kind);

// Appends the JSON text of an AnyValue (arrays as [...], maps as {...}, bytes as base64
// strings, the empty value as null), nesting cut at a fixed depth.
void AppendAnyValueJson(std::string& out, const model::AnyValue& value);

// Appends standard base64 (RFC 4648 §4, padded) of `bytes`, without quotes.
void AppendBase64(std::string& out, std::string_view bytes);

}  // namespace tracewire::query::internal
