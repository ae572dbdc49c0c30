#include <ctime>

#include "trace/logging/json_line.h"
#include "trace/logging/trace_log_formatter.h"
#include "trace/sdk/context_scope.h"

namespace tracewire::trace::logging {
namespace {

void AppendText(std::string_view s, spdlog::memory_buf_t& dest) {
  dest.append(s.data(), s.data() + s.size());
}

// "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" (RFC 3339, UTC, µs).
void AppendRfc3339Micros(spdlog::log_clock::time_point t, spdlog::memory_buf_t& dest) {
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  const int64_t us_since_epoch = duration_cast<microseconds>(t.time_since_epoch()).count();
  int64_t secs = us_since_epoch / 1'000'000;
  int64_t micros = us_since_epoch % 1'000'000;
  if (micros < 0) {  // before 1970: floor, keep the fraction positive
    micros += 1'000'000;
    --secs;
  }
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  AppendText({buf, n}, dest);
  char frac[8] = {'.', '0', '0', '0', '0', '0', '0', 'Z'};
  for (int i = 6; i >= 1; --i) {
    frac[i] = static_cast<char>('0' + micros % 10);
    micros /= 10;
  }
  AppendText({frac, sizeof frac}, dest);
}

class TraceJsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    AppendText(R"({"time":")", dest);
    AppendRfc3339Micros(msg.time, dest);
    AppendText(R"(","level":")", dest);
    const auto level = spdlog::level::to_string_view(msg.level);
    AppendJsonEscaped({level.data(), level.size()}, dest);
    AppendText(R"(","logger":")", dest);
    AppendJsonEscaped({msg.logger_name.data(), msg.logger_name.size()}, dest);
    AppendText(R"(","message":")", dest);
    AppendJsonEscaped({msg.payload.data(), msg.payload.size()}, dest);
    AppendText("\"", dest);
    const SpanContext& sc = CurrentContext().span_context();
    if (sc.IsValid()) {
      char trace_hex[TraceId::kHexSize];
      char span_hex[SpanId::kHexSize];
      sc.trace_id().ToHex(trace_hex);
      sc.span_id().ToHex(span_hex);
      AppendText(R"(,"trace_id":")", dest);
      AppendText({trace_hex, sizeof trace_hex}, dest);
      AppendText(R"(","span_id":")", dest);
      AppendText({span_hex, sizeof span_hex}, dest);
      AppendText(R"(","trace_flags":")", dest);
      static constexpr char kHex[] = "0123456789abcdef";
      const uint8_t bits = sc.trace_flags().bits();
      const char flags[2] = {kHex[bits >> 4], kHex[bits & 0xf]};
      AppendText({flags, 2}, dest);
      AppendText("\"", dest);
    }
    AppendText("}\n", dest);
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<TraceJsonFormatter>();
  }
};

}  // namespace

std::unique_ptr<spdlog::formatter> MakeTraceJsonFormatter() {
  return std::make_unique<TraceJsonFormatter>();
}

}  // namespace tracewire::trace::logging
