#include "apps/tracewire/call.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "apps/trpc_echo_server/echo_service.h"
#include "trace/logging/trace_log_formatter.h"
#include "trace/sdk/sdk_test_util.h"
#include "trpc/server.h"
#include "trpc/tracing/tracing_filters.h"

namespace tracewire::apps {
namespace {

GetEnvFn NoEnv() {
  return [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
}

class CallCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    trpc::ServerOptions options;
    options.service_name = kEchoService;
    auto server = trpc::Server::Start(std::move(options), service_.Handlers());
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }

  CallCommand Command(std::string func) {
    CallCommand c;
    c.address = "127.0.0.1:" + std::to_string(server_->port());
    c.func = std::move(func);
    return c;
  }

  int Run(const CallCommand& c) { return RunCall(c, out_, err_, NoEnv()); }

  EchoService service_{nullptr};
  std::unique_ptr<trpc::Server> server_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CallCommandTest, PrintsTheAnswerCodesAndTraceId) {
  CallCommand c = Command("/trpc.test.echo.Echo/Echo");
  c.data = "hello";
  c.meta = {"user=42"};
  EXPECT_EQ(Run(c), 0) << err_.str();
  std::string out = out_.str();
  EXPECT_NE(out.find("ret: 0 (ok)\nfunc_ret: 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("body (5 bytes):\nhello\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  user: 42\n"), std::string::npos) << out;  // echoed trans_info
  size_t at = out.find("trace_id: ");
  ASSERT_NE(at, std::string::npos) << out;
  EXPECT_EQ(out.find('\n', at) - at, std::string("trace_id: ").size() + 32) << out;
}

TEST_F(CallCommandTest, SendsTheContextInTransInfo) {
  CallCommand c = Command("/trpc.test.echo.Echo/Meta");
  EXPECT_EQ(Run(c), 0) << err_.str();
  std::string out = out_.str();
  size_t at = out.find("trace_id: ");
  ASSERT_NE(at, std::string::npos) << out;
  std::string trace_id = out.substr(at + 10, 32);
  EXPECT_NE(out.find("\"traceparent\":\"00-" + trace_id), std::string::npos) << out;
}

TEST_F(CallCommandTest, ExitsWith1AndShowsTheErrorOfAFailedCall) {
  EXPECT_EQ(Run(Command("/trpc.test.echo.Echo/Fail")), 1);
  EXPECT_NE(out_.str().find("func_ret: 1\nerror_msg: echo: failure requested\n"), std::string::npos)
      << out_.str();
}

TEST_F(CallCommandTest, NamesAFrameworkCode) {
  EXPECT_EQ(Run(Command("/trpc.test.echo.Echo/Nope")), 1);
  EXPECT_NE(out_.str().find("ret: 12 ("), std::string::npos) << out_.str();
}

TEST_F(CallCommandTest, RejectsABadMetaEntryWith2) {
  CallCommand c = Command("/trpc.test.echo.Echo/Echo");
  c.meta = {"novalue"};
  EXPECT_EQ(Run(c), 2);
  EXPECT_NE(err_.str().find("--meta wants key=value"), std::string::npos) << err_.str();
}

TEST_F(CallCommandTest, ReportsAConnectErrorAs111) {
  CallCommand c = Command("/trpc.test.echo.Echo/Echo");
  uint16_t port = server_->port();
  server_->Shutdown(std::chrono::milliseconds(0));
  c.address = "127.0.0.1:" + std::to_string(port);
  EXPECT_EQ(Run(c), 1);
  EXPECT_NE(out_.str().find("ret: 111"), std::string::npos) << out_.str();
}

// The echo service traced and logging JSON lines: a failed call's log line carries the trace id
// that `tracewire call` printed, and the SERVER span's id.
TEST(CallLogCorrelationTest, TheServersLogLineCarriesTheCallsTraceId) {
  trace::testing::RecordingProvider rec;
  std::ostringstream log;
  auto logger = std::make_shared<spdlog::logger>(
      "echo", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  trace::logging::InstallTraceFormatter(*logger, trace::logging::LogFormat::kJson);
  EchoService service(nullptr, logger);
  trpc::ServerOptions options;
  options.filters.push_back(trpc::MakeServerTracingFilter({.provider = rec.provider.get()}));
  auto server = trpc::Server::Start(std::move(options), service.Handlers());
  ASSERT_TRUE(server.ok()) << server.status().ToString();

  CallCommand c;
  c.address = "127.0.0.1:" + std::to_string((*server)->port());
  c.func = "/trpc.test.echo.Echo/Fail";
  std::ostringstream out, err;
  EXPECT_EQ(RunCall(c, out, err, NoEnv()), 1);
  (*server)->Shutdown(std::chrono::milliseconds(1000));

  size_t at = out.str().find("trace_id: ");
  ASSERT_NE(at, std::string::npos) << out.str();
  auto line = nlohmann::json::parse(log.str(), nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(line.is_object()) << log.str();
  EXPECT_EQ(line.value("level", ""), "warning");
  EXPECT_EQ(line.value("trace_id", ""), out.str().substr(at + 10, 32));
  ASSERT_EQ(rec.processor->ended().size(), 1u);
  EXPECT_EQ(line.value("span_id", ""), rec.Only().span_id.ToHex());
}

TEST(PrintableTest, EscapesBinaryBytes) {
  EXPECT_EQ(Printable("plain text\n"), "plain text\n");
  EXPECT_EQ(Printable(std::string("\x00\x01z", 3)), "\\x00\\x01z");
}

}  // namespace
}  // namespace tracewire::apps
