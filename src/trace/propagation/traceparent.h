// The W3C `traceparent` header codec (Trace Context level 1 §3.2), pure functions over bytes.
//   version "-" trace-id "-" parent-id "-" trace-flags   e.g.
//   00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01   (55 chars at version 00)
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "trace/ids.h"
#include "trace/span_context.h"

namespace tracewire::trace::propagation {

inline constexpr std::string_view kTraceparentKey = "traceparent";
inline constexpr std::string_view kTracestateKey = "tracestate";
inline constexpr size_t kTraceparentSize = 55;

struct Traceparent {
  TraceId trace_id;
  SpanId span_id;
  TraceFlags flags;  // all 8 bits as received
};

// Parses a traceparent value. INVALID_ARGUMENT when: shorter than 55 chars; the version is not
// 2 lower-case hex digits or is "ff"; a '-' is missing at 2, 35 or 52; trace-id, parent-id or
// flags are not lower-case hex; an id is all zeros; version 00 is not exactly 55 chars; a
// higher version is longer than 55 chars and char 55 is not '-'. A higher version is read by
// its version-00 prefix; what follows is ignored.
// Hot path: no allocation on success.
StatusOr<Traceparent> ParseTraceparent(std::string_view value);

// ParseTraceparent without the error text: true and *out set exactly when ParseTraceparent
// succeeds (with the same Traceparent); false otherwise, *out then unspecified.
// Hot path for the propagators: no Status or StatusOr is built.
bool ParseTraceparentTo(std::string_view value, Traceparent* out) noexcept;

// Writes the version-00 header, exactly kTraceparentSize chars, into out. Only the sampled
// flag is written; the other flag bits are zero, as §3.2.2.5.2 requires at version 00.
void FormatTraceparentTo(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags,
                         char* out);
std::string FormatTraceparent(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags);

}  // namespace tracewire::trace::propagation
