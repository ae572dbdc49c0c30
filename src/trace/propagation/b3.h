// The B3 header codecs of openzipkin/b3-propagation, pure functions over strings.
//   single: b3: {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]  or  b3: {SamplingState}
//   multi:  X-B3-TraceId, X-B3-SpanId, X-B3-ParentSpanId, X-B3-Sampled, X-B3-Flags
// TraceId is 16 or 32 lower-case hex digits (a 64-bit id is left-padded with zeros to 128
// bits); SpanId and ParentSpanId 16. SamplingState: "1" accept, "0" deny, "d" debug.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "trace/ids.h"
#include "trace/span_context.h"

namespace tracewire::trace::propagation {

inline constexpr std::string_view kB3SingleKey = "b3";
inline constexpr std::string_view kB3TraceIdKey = "x-b3-traceid";
inline constexpr std::string_view kB3SpanIdKey = "x-b3-spanid";
inline constexpr std::string_view kB3ParentSpanIdKey = "x-b3-parentspanid";
inline constexpr std::string_view kB3SampledKey = "x-b3-sampled";
inline constexpr std::string_view kB3FlagsKey = "x-b3-flags";

enum class B3Sampling { kUnset, kDeny, kAccept, kDebug };

struct B3Context {
  TraceId trace_id;  // invalid (all zero) for a sampling-only header
  SpanId span_id;
  B3Sampling sampling = B3Sampling::kUnset;

  // False for a sampling-only header ("b3: 0"), which carries no trace.
  bool HasIds() const { return trace_id.IsValid() && span_id.IsValid(); }
  // W3C flags: sampled for accept and debug (debug implies accept).
  TraceFlags Flags() const {
    return TraceFlags(sampling == B3Sampling::kAccept || sampling == B3Sampling::kDebug ? 1 : 0);
  }
};

// Parses a `b3` single-header value. INVALID_ARGUMENT on any grammar error, an id of the wrong
// length or case, or an all-zero trace or span id. The parent span id is checked, not kept.
StatusOr<B3Context> ParseB3Single(std::string_view value);

// The X-B3-* values that are present.
struct B3MultiValues {
  std::optional<std::string_view> trace_id, span_id, parent_span_id, sampled, flags;
};

// Parses the multi-header form. Trace and span id must be both present or both absent (then
// the headers are sampling-only, or NOT_FOUND when there is no sampling header either).
// X-B3-Sampled: "1"/"true" accept, "0"/"false" deny; X-B3-Flags: "1" debug (overrides
// Sampled), "0" none; anything else is INVALID_ARGUMENT.
StatusOr<B3Context> ParseB3Multi(const B3MultiValues& values);

// "{32 hex trace id}-{16 hex span id}-{1|0}".
std::string FormatB3Single(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags);

}  // namespace tracewire::trace::propagation
