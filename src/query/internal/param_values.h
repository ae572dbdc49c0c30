// Parsers for single parameter values: durations, times, integers, booleans and ids. Each
// returns INVALID_ARGUMENT with a message naming the problem (callers add the parameter name).
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "model/span_batch.h"

namespace tracewire::query::internal {

inline constexpr uint64_t kNanosPerMicro = 1000;
inline constexpr uint64_t kNanosPerMilli = uint64_t{1000} * 1000;

// A decimal integer without sign, ≤ UINT64_MAX.
StatusOr<uint64_t> ParseUint(std::string_view text);

// A signed decimal integer (Jaeger's limit is parsed as one, so "-1" is a clear error upstream).
StatusOr<int64_t> ParseInt(std::string_view text);

// A duration in ns: either Go's time.ParseDuration syntax ("300ms", "1.5h", "2h45m", "0"; units
// ns, us, µs, ms, s, m, h), or a plain decimal integer counted in `integer_unit_ns`. With
// `allow_days`, the units "d" (24 h) and "w" (7 d) are also accepted (the Jaeger UI's lookback).
// Negative durations and values over INT64_MAX ns are errors.
StatusOr<uint64_t> ParseDurationNs(std::string_view text, uint64_t integer_unit_ns,
                                   bool allow_days = false);

// An RFC 3339 date-time ("2026-12-01T19:30:45.5Z", "...+08:00"; 'T' may be 't' or ' ', 'Z' may
// be 'z'), as ns since the Unix epoch. Times before 1970 are errors.
StatusOr<uint64_t> ParseRfc3339Ns(std::string_view text);

// Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False.
StatusOr<bool> ParseBool(std::string_view text);

// Hex ids of 1..32 (trace) or 1..16 (span) digits of either case, left-padded with zeros (as
// Jaeger reads them). The all-zero id is an error (it names no trace or span).
StatusOr<model::TraceId> ParseTraceId(std::string_view text);
StatusOr<model::SpanId> ParseSpanId(std::string_view text);

}  // namespace tracewire::query::internal
