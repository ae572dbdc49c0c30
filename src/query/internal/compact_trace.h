// The compact form of a trace the web UI draws: string tables plus one array per span field,
// small enough to parse for a 1,000,000-span trace (OTLP/JSON of such a trace is hundreds of MB,
// past what a browser can hold as one string). Full span details are fetched one span at a time.
//
//   {"traceId": hex32, "startTimeUnixNano": "ns", "durationNano": "ns", "spanCount": N,
//    "services": [..], "names": [..], "spanIds": "<16 hex digits per span, concatenated>",
//    "parent": [index or -1], "start": [ns after startTimeUnixNano], "duration": [ns],
//    "service": [index into services], "name": [index into names],
//    "status": [0 unset, 1 ok, 2 error], "kind": [OTLP SpanKind], "flags": [kCompact* bits],
//    "orphans": [{"index": i, "parentSpanId": hex16}]}
//
// Spans are ordered by start time, then span id. A span whose parent id is set but not in the
// trace is an orphan: parent -1, flag kCompactOrphan, and listed in "orphans" with the lost id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/span_batch.h"

namespace tracewire::query::internal {

inline constexpr uint32_t kCompactOrphan = 1;     // parent id set, parent not stored
inline constexpr uint32_t kCompactEvents = 2;     // has events
inline constexpr uint32_t kCompactException = 4;  // has an "exception" event
inline constexpr uint32_t kCompactLinks = 8;      // has links

// Appends the compact JSON of `trace` (every span of one trace id; REQUIRES: not empty) to `out`.
void AppendCompactTrace(const model::SpanBatch& trace, std::string& out);

// A batch holding only the span `span_id` of `trace` (with its resource and scope), viewing
// `trace`'s bytes: `trace` must outlive it. nullopt when no span has that id.
std::optional<model::SpanBatch> SelectSpan(const model::SpanBatch& trace,
                                           const model::SpanId& span_id);

}  // namespace tracewire::query::internal
