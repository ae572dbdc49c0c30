// Log correlation: spdlog formatters that stamp every line with the trace_id and span_id of the
// logging thread's current Context (trace/sdk/context_scope.h), as text or as JSON lines.
//
// The ids are read when a line is formatted, on the thread that formats it. With spdlog's
// ordinary (synchronous) loggers that is the thread calling logger.info(...), so lines written
// inside a trace::Scope carry that scope's span. NOTE: spdlog's async loggers format on their
// worker thread, whose current Context is empty — use a synchronous logger for correlation.
#pragma once

#include <spdlog/formatter.h>
#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace tracewire::trace::logging {

// Pattern flags added to spdlog's own (none of these letters is a built-in flag):
//   %W  trace id, 32 lower-case hex digits; empty when there is no valid current span
//   %w  span id, 16 lower-case hex digits; empty likewise
//   %Q  " trace_id=<%W> span_id=<%w>" (note the leading space) when there is a valid current
//       span, nothing otherwise — the form the default pattern uses
inline constexpr char kTraceIdFlag = 'W';
inline constexpr char kSpanIdFlag = 'w';
inline constexpr char kCorrelationFlag = 'Q';

// Local time with µs, logger name, level, the correlation ids, the message:
//   [2024-05-01 12:00:00.123456] [app] [info] trace_id=4bf9... span_id=00f0... message
inline constexpr std::string_view kDefaultTracePattern = "[%Y-%m-%d %H:%M:%S.%f] [%n] [%l]%Q %v";

enum class LogFormat { kText, kJson };

// Parses "text" or "json" (ASCII case-insensitive). Errors: INVALID_ARGUMENT naming the value.
StatusOr<LogFormat> ParseLogFormat(std::string_view name);

// A spdlog pattern formatter that understands spdlog's flags plus %W, %w and %Q.
// The returned formatter, like every spdlog formatter, is used under its sink's lock.
std::unique_ptr<spdlog::formatter> MakeTraceTextFormatter(
    std::string pattern = std::string(kDefaultTracePattern));

// One JSON object per line, keys in this order:
//   {"time":"2024-05-01T12:00:00.123456Z","level":"info","logger":"app","message":"...",
//    "trace_id":"<32 hex>","span_id":"<16 hex>","trace_flags":"01"}
// time is RFC 3339 in UTC with µs; level is spdlog's name ("trace", "debug", "info", "warning",
// "error", "critical"); message is JSON-escaped, with bytes that are not valid UTF-8 replaced
// by U+FFFD so every line parses. trace_id, span_id and trace_flags (the W3C flags byte as two
// hex digits) are omitted when there is no valid current span.
std::unique_ptr<spdlog::formatter> MakeTraceJsonFormatter();

// Replaces the formatter of every sink of `logger` with a copy of the chosen one (text with
// kDefaultTracePattern, or JSON). Call before sharing the logger between threads.
void InstallTraceFormatter(spdlog::logger& logger, LogFormat format);

}  // namespace tracewire::trace::logging
