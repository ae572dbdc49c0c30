// Zipkin v2 JSON (POST /api/v2/spans: a list of spans, https://zipkin.io/zipkin-api/) decoded
// into a model::SpanBatch, mapped the way the OpenTelemetry Collector's zipkin receiver maps it:
//   - one Resource per distinct localEndpoint.serviceName (service.name); none: no attributes;
//   - traceId: 16 or 32 hex digits (shorter is left-padded with zeros; a 64-bit id fills the
//     low 8 bytes), id / parentId: up to 16 (parentId equal to id, or zero, means a root);
//   - kind CLIENT/SERVER/PRODUCER/CONSUMER, else UNSPECIFIED (INTERNAL with tag
//   span.kind=internal);
//   - timestamp and duration µs → start/end ns; no timestamp: start 0 and the bool attribute
//     otel.zipkin.absentField.startTime;
//   - tags → string attributes (typed with parse_string_tags), except: "error" → status ERROR
//     (its value, unless "true", is the status message), otel.status_code /
//     otel.status_description → status, w3c.tracestate → trace_state, otel.scope.* /
//     otel.library.* → the Scope;
//   - annotations → events (timestamp µs → ns, value → name);
//   - localEndpoint ipv4/ipv6/port → network.local.address / network.local.port, remoteEndpoint
//     → network.peer.address / network.peer.port and serviceName → peer.service.
//   - "shared": true on a SERVER span (Envoy's shared_span_context, the default) means the
//     caller's CLIENT span has the same id. To keep ids unique the SERVER span gets a derived id
//     (a fixed mix of the original, so retries give the same id) and the original id as parent.
// Untrusted input: any malformed field is INVALID_ARGUMENT naming the span index and field; never
// a crash. Strings are copied into the batch arena.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "base/status.h"
#include "model/span_batch.h"

namespace tracewire::collector {

struct ZipkinDecodeOptions {
  // Tag values that look like ints, doubles or bools become typed attributes.
  bool parse_string_tags = false;
  // JSON nesting beyond this is INVALID_ARGUMENT (spans need 4).
  size_t max_depth = 32;
};

StatusOr<std::unique_ptr<model::SpanBatch>> DecodeZipkinV2Json(
    std::string_view body, const ZipkinDecodeOptions& options = {});

// The id a shared SERVER span is given (see above): never zero, never `id`.
model::SpanId SharedServerSpanId(const model::SpanId& id);

}  // namespace tracewire::collector
