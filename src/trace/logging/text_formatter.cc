#include <spdlog/pattern_formatter.h>

#include <utility>

#include "base/text.h"
#include "trace/logging/trace_log_formatter.h"
#include "trace/sdk/context_scope.h"

namespace tracewire::trace::logging {
namespace {

void AppendText(std::string_view s, spdlog::memory_buf_t& dest) {
  dest.append(s.data(), s.data() + s.size());
}

// The current span's context when it is valid, else nullptr. The pointer is valid until the
// calling thread's current Context changes (not during one format call).
const SpanContext* CurrentValidSpan() {
  const SpanContext& sc = CurrentContext().span_context();
  return sc.IsValid() ? &sc : nullptr;
}

class TraceIdFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    if (const SpanContext* sc = CurrentValidSpan()) {
      char hex[TraceId::kHexSize];
      sc->trace_id().ToHex(hex);
      AppendText({hex, sizeof hex}, dest);
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<TraceIdFlag>();
  }
};

class SpanIdFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    if (const SpanContext* sc = CurrentValidSpan()) {
      char hex[SpanId::kHexSize];
      sc->span_id().ToHex(hex);
      AppendText({hex, sizeof hex}, dest);
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SpanIdFlag>();
  }
};

class CorrelationFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const SpanContext* sc = CurrentValidSpan();
    if (sc == nullptr) return;
    // " trace_id=" + 32 + " span_id=" + 16
    char line[10 + TraceId::kHexSize + 9 + SpanId::kHexSize];
    char* p = line;
    for (char c : std::string_view(" trace_id=")) *p++ = c;
    sc->trace_id().ToHex(p);
    p += TraceId::kHexSize;
    for (char c : std::string_view(" span_id=")) *p++ = c;
    sc->span_id().ToHex(p);
    AppendText({line, sizeof line}, dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<CorrelationFlag>();
  }
};

}  // namespace

StatusOr<LogFormat> ParseLogFormat(std::string_view name) {
  if (EqualsIgnoreCase(name, "text")) return LogFormat::kText;
  if (EqualsIgnoreCase(name, "json")) return LogFormat::kJson;
  return InvalidArgumentError("unknown log format \"" + std::string(name) +
                              "\" (expected text or json)");
}

std::unique_ptr<spdlog::formatter> MakeTraceTextFormatter(std::string pattern) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<TraceIdFlag>(kTraceIdFlag);
  formatter->add_flag<SpanIdFlag>(kSpanIdFlag);
  formatter->add_flag<CorrelationFlag>(kCorrelationFlag);
  // Custom flags take effect when the pattern is compiled, so set it after adding them.
  formatter->set_pattern(std::move(pattern));
  return formatter;
}

void InstallTraceFormatter(spdlog::logger& logger, LogFormat format) {
  // logger.set_formatter gives each sink its own clone.
  logger.set_formatter(format == LogFormat::kJson ? MakeTraceJsonFormatter()
                                                  : MakeTraceTextFormatter());
}

}  // namespace tracewire::trace::logging
