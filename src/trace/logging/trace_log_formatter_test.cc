#include "trace/logging/trace_log_formatter.h"

#include <gtest/gtest.h>
#include <spdlog/details/os.h>
#include <spdlog/sinks/ostream_sink.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "trace/sdk/context_scope.h"

namespace tracewire::trace::logging {
namespace {

constexpr std::string_view kTraceHex = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr std::string_view kSpanHex = "00f067aa0ba902b7";

Context ContextWith(std::string_view trace_hex, std::string_view span_hex, uint8_t flags = 1) {
  return Context().WithSpanContext(SpanContext(TraceId::FromHex(trace_hex),
                                               SpanId::FromHex(span_hex), TraceFlags(flags),
                                               /*is_remote=*/false));
}

// A synchronous logger writing into a string stream.
struct CapturingLogger {
  explicit CapturingLogger(LogFormat format)
      : sink(std::make_shared<spdlog::sinks::ostream_sink_mt>(out)), logger("app", sink) {
    InstallTraceFormatter(logger, format);
  }
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    std::istringstream in(out.str());
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  std::ostringstream out;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink;
  spdlog::logger logger;
};

std::string Format(spdlog::formatter& formatter, const spdlog::details::log_msg& msg) {
  spdlog::memory_buf_t buf;
  formatter.format(msg, buf);
  return std::string(buf.data(), buf.size());
}

TEST(TraceTextFormatterTest, LineInsideAScopeCarriesTheScopesIds) {
  CapturingLogger log(LogFormat::kText);
  {
    Scope scope(ContextWith(kTraceHex, kSpanHex));
    log.logger.info("handled {}", 42);
  }
  const auto lines = log.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("[app] [info] trace_id=" + std::string(kTraceHex) +
                          " span_id=" + std::string(kSpanHex) + " handled 42"),
            std::string::npos)
      << lines[0];
}

TEST(TraceTextFormatterTest, LineOutsideAnyScopeCarriesNoIds) {
  CapturingLogger log(LogFormat::kText);
  log.logger.warn("no span here");
  const auto lines = log.Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].find("trace_id"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("[app] [warning] no span here"), std::string::npos) << lines[0];
}

TEST(TraceTextFormatterTest, SeparateFlagsPrintTheBareIds) {
  auto formatter = MakeTraceTextFormatter("%W|%w|%v");
  const spdlog::details::log_msg msg("app", spdlog::level::info, "m");
  Scope scope(ContextWith(kTraceHex, kSpanHex));
  EXPECT_EQ(Format(*formatter, msg), std::string(kTraceHex) + "|" + std::string(kSpanHex) + "|m" +
                                         spdlog::details::os::default_eol);
}

TEST(TraceTextFormatterTest, SeparateFlagsAreEmptyWithoutAValidSpan) {
  auto formatter = MakeTraceTextFormatter("%W|%w|%v");
  const spdlog::details::log_msg msg("app", spdlog::level::info, "m");
  // A trace id without a span id is not a valid span context.
  Scope scope(ContextWith(kTraceHex, "0000000000000000"));
  EXPECT_EQ(Format(*formatter, msg), std::string("||m") + spdlog::details::os::default_eol);
}

TEST(TraceTextFormatterTest, InnermostScopeWins) {
  CapturingLogger log(LogFormat::kText);
  Scope outer(ContextWith(kTraceHex, kSpanHex));
  {
    Scope inner(ContextWith(kTraceHex, "1111111111111111"));
    log.logger.info("inner");
  }
  log.logger.info("outer");
  const auto lines = log.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("span_id=1111111111111111 inner"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("span_id=" + std::string(kSpanHex) + " outer"), std::string::npos)
      << lines[1];
}

TEST(TraceTextFormatterTest, InstallReachesEverySinkOfTheLogger) {
  std::ostringstream a;
  std::ostringstream b;
  spdlog::logger logger("two", {std::make_shared<spdlog::sinks::ostream_sink_st>(a),
                                std::make_shared<spdlog::sinks::ostream_sink_st>(b)});
  InstallTraceFormatter(logger, LogFormat::kText);
  Scope scope(ContextWith(kTraceHex, kSpanHex));
  logger.info("x");
  EXPECT_NE(a.str().find(kTraceHex), std::string::npos);
  EXPECT_NE(b.str().find(kTraceHex), std::string::npos);
}

TEST(TraceJsonFormatterTest, LineInsideAScopeIsOneObjectWithIdsAndFlags) {
  CapturingLogger log(LogFormat::kJson);
  {
    Scope scope(ContextWith(kTraceHex, kSpanHex, /*flags=*/1));
    log.logger.error("failed {}", "call");
  }
  const auto lines = log.Lines();
  ASSERT_EQ(lines.size(), 1u);
  const auto j = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(j.at("level"), "error");
  EXPECT_EQ(j.at("logger"), "app");
  EXPECT_EQ(j.at("message"), "failed call");
  EXPECT_EQ(j.at("trace_id"), kTraceHex);
  EXPECT_EQ(j.at("span_id"), kSpanHex);
  EXPECT_EQ(j.at("trace_flags"), "01");
}

TEST(TraceJsonFormatterTest, UnsampledSpanHasFlagsZero) {
  CapturingLogger log(LogFormat::kJson);
  Scope scope(ContextWith(kTraceHex, kSpanHex, /*flags=*/0));
  log.logger.info("x");
  EXPECT_EQ(nlohmann::json::parse(log.Lines().at(0)).at("trace_flags"), "00");
}

TEST(TraceJsonFormatterTest, LineOutsideAnyScopeOmitsTheIdKeys) {
  CapturingLogger log(LogFormat::kJson);
  log.logger.info("plain");
  const auto j = nlohmann::json::parse(log.Lines().at(0));
  EXPECT_EQ(j.at("message"), "plain");
  EXPECT_FALSE(j.contains("trace_id"));
  EXPECT_FALSE(j.contains("span_id"));
  EXPECT_FALSE(j.contains("trace_flags"));
}

TEST(TraceJsonFormatterTest, TimeIsRfc3339InUtcWithMicroseconds) {
  auto formatter = MakeTraceJsonFormatter();
  const auto t = spdlog::log_clock::time_point(std::chrono::microseconds(1'700'000'000'000'042));
  const spdlog::details::log_msg msg(t, spdlog::source_loc{}, "app", spdlog::level::debug, "m");
  const auto j = nlohmann::json::parse(Format(*formatter, msg));
  EXPECT_EQ(j.at("time"), "2023-11-14T22:13:20.000042Z");
  EXPECT_EQ(j.at("level"), "debug");
}

TEST(TraceJsonFormatterTest, QuotesBackslashesAndNewlinesAreEscapedOnOneLine) {
  CapturingLogger log(LogFormat::kJson);
  const std::string message = "say \"hi\"\\n\nnext\tline\r\x01\x1f end";
  log.logger.info(message);
  const auto lines = log.Lines();
  ASSERT_EQ(lines.size(), 1u) << log.out.str();
  EXPECT_EQ(nlohmann::json::parse(lines[0]).at("message"), message);
}

TEST(TraceJsonFormatterTest, ValidUtf8IsKeptAndInvalidBytesBecomeReplacementCharacters) {
  CapturingLogger log(LogFormat::kJson);
  // é, a 4-byte emoji, then a lone continuation byte, an overlong '/', a truncated sequence.
  log.logger.info("caf\xC3\xA9 \xF0\x9F\x98\x80 \x80 \xC0\xAF \xE2\x82");
  const auto j = nlohmann::json::parse(log.Lines().at(0));
  EXPECT_EQ(j.at("message"),
            "caf\xC3\xA9 \xF0\x9F\x98\x80 \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD "
            "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(TraceJsonFormatterTest, SpansOfAnotherThreadDoNotLeakIntoThisThreadsLines) {
  CapturingLogger log(LogFormat::kJson);
  constexpr int kLines = 200;
  std::thread worker([&] {
    Scope scope(ContextWith(kTraceHex, kSpanHex));
    for (int i = 0; i < kLines; ++i) log.logger.info("worker");
  });
  for (int i = 0; i < kLines; ++i) log.logger.info("main");
  worker.join();
  const auto lines = log.Lines();
  ASSERT_EQ(lines.size(), 2u * kLines);
  int worker_lines = 0;
  for (const auto& line : lines) {
    const auto j = nlohmann::json::parse(line);
    if (j.at("message") == "worker") {
      ++worker_lines;
      EXPECT_EQ(j.at("trace_id"), kTraceHex);
      EXPECT_EQ(j.at("span_id"), kSpanHex);
    } else {
      EXPECT_FALSE(j.contains("trace_id")) << line;
    }
  }
  EXPECT_EQ(worker_lines, kLines);
}

TEST(ParseLogFormatTest, AcceptsTextAndJsonInAnyCase) {
  EXPECT_EQ(ParseLogFormat("text").value(), LogFormat::kText);
  EXPECT_EQ(ParseLogFormat("JSON").value(), LogFormat::kJson);
}

TEST(ParseLogFormatTest, RejectsOtherNamesWithTheValueInTheMessage) {
  const auto parsed = ParseLogFormat("xml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("xml"), std::string::npos);
}

}  // namespace
}  // namespace tracewire::trace::logging
