// Interop with the real trpc-go and its OpenTelemetry plugin (tests/interop/trpc_go): the C++
// client against a Go server, and a Go client through the C++ trpc_echo_server to a Go server.
// Every span of every process reaches one in-test OTLP sink, where the chains are checked.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/interop/span_sink.h"
#include "tests/interop/subprocess.h"
#include "trace/sdk/sdk_test_util.h"
#include "trpc/client.h"
#include "trpc/ret_code.h"
#include "trpc/tracing/tracing_filters.h"

namespace tracewire::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kEcho[] = "/trpc.test.echo.Echo/Echo";
constexpr char kMeta[] = "/trpc.test.echo.Echo/Meta";
constexpr char kFail[] = "/trpc.test.echo.Echo/Fail";
constexpr char kSleep[] = "/trpc.test.echo.Echo/Sleep";
constexpr char kNoSuchFunc[] = "/trpc.test.echo.Echo/NoSuchMethod";
constexpr int kSpanKindServer = 2;
constexpr int kSpanKindClient = 3;

std::string GoPeerPath() {
  if (const char* p = std::getenv("TW_TRPC_GO_PEER")) return p;
  return TW_TRPC_GO_PEER;
}

uint16_t PortOfListeningLine(const std::string& line) {
  size_t colon = line.rfind(':');
  if (line.rfind("listening on ", 0) != 0 || colon == std::string::npos) return 0;
  return static_cast<uint16_t>(std::stoi(line.substr(colon + 1)));
}

const SinkSpan* FindSpan(const std::vector<SinkSpan>& spans, std::string_view trace_id,
                         std::string_view service, int kind) {
  for (const SinkSpan& s : spans) {
    if (s.trace_id == trace_id && s.service == service && s.kind == kind) return &s;
  }
  return nullptr;
}

class TrpcGoInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(GoPeerPath()))
        << GoPeerPath() << " is missing: build it with scripts/build-go-peer.sh";
    auto sink = SpanSink::Start();
    ASSERT_TRUE(sink.ok()) << sink.status().ToString();
    sink_ = std::move(*sink);
  }

  // A trpc-go server (with the OpenTelemetry filters) on a fresh port; returns its address.
  std::string StartGoServer(const std::string& downstream = "") {
    std::string addr = "127.0.0.1:" + std::to_string(PickFreePort());
    std::vector<std::string> argv = {
        GoPeerPath(),          "server",          "--addr",         addr, "--service",
        "trpc.test.echo.Echo", "--otlp-endpoint", sink_->endpoint()};
    if (!downstream.empty()) {
      argv.push_back("--downstream");
      argv.push_back(downstream);
    }
    auto child = Subprocess::Start(argv);
    EXPECT_TRUE(child.ok()) << child.status().ToString();
    if (!child.ok()) return "";
    auto line = (*child)->ReadLine(seconds(30));
    EXPECT_TRUE(line.ok()) << "trpc-go peer did not start: " << line.status().ToString();
    children_.push_back(std::move(*child));
    return addr;
  }

  // build/.../trpc_echo_server exporting to the sink; returns its address.
  std::string StartCppServer(const std::string& downstream) {
    std::vector<std::string> argv = {TW_ECHO_SERVER, "--port", "0"};
    if (!downstream.empty()) {
      argv.push_back("--downstream");
      argv.push_back(downstream);
    }
    auto child = Subprocess::Start(argv, {{"OTEL_SERVICE_NAME", "cpp-echo"},
                                          {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", sink_->endpoint()},
                                          {"OTEL_BSP_SCHEDULE_DELAY", "50"}});
    EXPECT_TRUE(child.ok()) << child.status().ToString();
    if (!child.ok()) return "";
    auto line = (*child)->ReadLine(seconds(30));
    EXPECT_TRUE(line.ok()) << line.status().ToString();
    uint16_t port = line.ok() ? PortOfListeningLine(*line) : 0;
    EXPECT_NE(port, 0) << "unexpected first line from trpc_echo_server";
    children_.push_back(std::move(*child));
    return "127.0.0.1:" + std::to_string(port);
  }

  // One call by the trpc-go client; its JSON report.
  nlohmann::json RunGoClient(const std::string& target, const std::string& func,
                             const std::string& data, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {
        GoPeerPath(), "client", "--target",        target,           "--func", func,
        "--data",     data,     "--otlp-endpoint", sink_->endpoint()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto child = Subprocess::Start(argv);
    EXPECT_TRUE(child.ok()) << child.status().ToString();
    if (!child.ok()) return {};
    auto line = (*child)->ReadLine(seconds(30));
    EXPECT_TRUE(line.ok()) << line.status().ToString();
    EXPECT_EQ((*child)->Wait(), 0);
    if (!line.ok()) return {};
    return nlohmann::json::parse(*line, nullptr, /*allow_exceptions=*/false);
  }

  // A C++ client with the tracing filter, recording its spans in-process.
  std::unique_ptr<trpc::Client> CppClient(const std::string& address) {
    trpc::ClientOptions options;
    options.address = address;
    options.caller = "trpc.test.cpp.Client";
    options.callee = "trpc.test.echo.Echo";
    options.filters.push_back(trpc::MakeClientTracingFilter({.provider = rec_.provider.get()}));
    auto client = trpc::Client::Create(std::move(options));
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(*client) : nullptr;
  }

  static trpc::CallRequest Request(std::string func, std::string body) {
    trpc::CallRequest r;
    r.func = std::move(func);
    r.body = std::move(body);
    r.content_type = trpc::kContentTypeNoop;
    r.timeout = seconds(5);
    return r;
  }

  trace::testing::RecordingProvider rec_;
  std::unique_ptr<SpanSink> sink_;
  std::vector<std::unique_ptr<Subprocess>> children_;
};

TEST_F(TrpcGoInteropTest, CppClientToGoServerKeepsTheTrace) {
  std::string go = StartGoServer();
  auto client = CppClient(go);
  ASSERT_NE(client, nullptr);
  trpc::CallRequest request = Request(kEcho, "hello from c++");
  request.trans_info["user"] = "42";
  trpc::CallResult result = client->Call(std::move(request));
  ASSERT_TRUE(result.ok()) << result.ret << " " << result.error_msg;
  EXPECT_EQ(result.body, "hello from c++");
  EXPECT_EQ(result.trans_info["user"], "42") << "trpc-go echoes the request's trans_info";

  std::string trace_id = result.client_span.trace_id().ToHex();
  auto spans = sink_->WaitFor(
      [&](const auto& s) {
        return FindSpan(s, trace_id, "trpc.test.echo.Echo", kSpanKindServer) != nullptr;
      },
      seconds(10));
  const SinkSpan* go_server = FindSpan(spans, trace_id, "trpc.test.echo.Echo", kSpanKindServer);
  ASSERT_NE(go_server, nullptr) << "no trpc-go SERVER span in trace " << trace_id;
  EXPECT_EQ(go_server->parent_span_id, result.client_span.span_id().ToHex());
}

TEST_F(TrpcGoInteropTest, GoHandlerSeesTheCppClientsTransInfo) {
  std::string go = StartGoServer();
  auto client = CppClient(go);
  ASSERT_NE(client, nullptr);
  trpc::CallRequest request = Request(kMeta, "");
  request.trans_info["user"] = "42";
  trpc::CallResult result = client->Call(std::move(request));
  ASSERT_TRUE(result.ok()) << result.ret << " " << result.error_msg;
  auto seen = nlohmann::json::parse(result.body, nullptr, false);
  ASSERT_TRUE(seen.is_object()) << result.body;
  EXPECT_EQ(seen.value("user", ""), "42");
  EXPECT_NE(seen.value("traceparent", "").find(result.client_span.span_id().ToHex()),
            std::string::npos)
      << result.body;
}

TEST_F(TrpcGoInteropTest, GoClientThroughCppServerToGoServerIsOneTrace) {
  std::string go = StartGoServer();
  std::string cpp = StartCppServer(go);
  nlohmann::json out = RunGoClient(cpp, kEcho, "hi", {"--meta", "user=42"});
  ASSERT_EQ(out.value("ret", -1), 0) << out.dump();
  ASSERT_EQ(out.value("func_ret", -1), 0) << out.dump();
  EXPECT_EQ(out.value("body", ""), "hi");
  EXPECT_EQ(out["trans_info"].value("user", ""), "42") << "echoed back by the C++ server";
  std::string trace_id = out.value("trace_id", "");
  ASSERT_EQ(trace_id.size(), 32u) << out.dump();

  // Go CLIENT -> C++ SERVER -> C++ CLIENT -> Go SERVER, each the parent of the next.
  auto all_four = [&](const std::vector<SinkSpan>& s) {
    return FindSpan(s, trace_id, "trpc-go-peer-client", kSpanKindClient) &&
           FindSpan(s, trace_id, "cpp-echo", kSpanKindServer) &&
           FindSpan(s, trace_id, "cpp-echo", kSpanKindClient) &&
           FindSpan(s, trace_id, "trpc.test.echo.Echo", kSpanKindServer);
  };
  auto spans = sink_->WaitFor(all_four, seconds(10));
  ASSERT_TRUE(all_four(spans)) << "spans of trace " << trace_id << " missing";
  const SinkSpan* go_client = FindSpan(spans, trace_id, "trpc-go-peer-client", kSpanKindClient);
  const SinkSpan* cpp_server = FindSpan(spans, trace_id, "cpp-echo", kSpanKindServer);
  const SinkSpan* cpp_client = FindSpan(spans, trace_id, "cpp-echo", kSpanKindClient);
  const SinkSpan* go_server = FindSpan(spans, trace_id, "trpc.test.echo.Echo", kSpanKindServer);
  EXPECT_EQ(cpp_server->parent_span_id, go_client->span_id);
  EXPECT_EQ(cpp_client->parent_span_id, cpp_server->span_id);
  EXPECT_EQ(go_server->parent_span_id, cpp_client->span_id);
  EXPECT_EQ(cpp_server->name, kEcho);
  EXPECT_EQ(cpp_server->attributes.at("rpc.system"), "trpc");
  EXPECT_EQ(cpp_server->attributes.at("trpc.callee_method"), "Echo");
}

TEST_F(TrpcGoInteropTest, BusinessTransInfoCrossesTheCppHop) {
  std::string go = StartGoServer();
  std::string cpp = StartCppServer(go);
  nlohmann::json out = RunGoClient(cpp, kMeta, "", {"--meta", "user=42", "--meta", "tenant=a"});
  ASSERT_EQ(out.value("ret", -1), 0) << out.dump();
  auto seen = nlohmann::json::parse(out.value("body", ""), nullptr, false);
  ASSERT_TRUE(seen.is_object()) << out.dump();
  EXPECT_EQ(seen.value("user", ""), "42");
  EXPECT_EQ(seen.value("tenant", ""), "a");
}

TEST_F(TrpcGoInteropTest, CppClientSeesGoErrorCodes) {
  std::string go = StartGoServer();
  auto client = CppClient(go);
  ASSERT_NE(client, nullptr);

  trpc::CallResult fail = client->Call(Request(kFail, "x"));
  EXPECT_EQ(fail.ret, 0);
  EXPECT_EQ(fail.func_ret, 1);
  EXPECT_NE(fail.error_msg.find("failure requested"), std::string::npos) << fail.error_msg;

  trpc::CallResult missing = client->Call(Request(kNoSuchFunc, "x"));
  EXPECT_EQ(missing.ret, trpc::kRetServerNoFunc) << missing.error_msg;

  trpc::CallRequest slow = Request(kSleep, "2000");
  slow.timeout = milliseconds(200);
  EXPECT_EQ(client->Call(std::move(slow)).ret, trpc::kRetClientInvokeTimeout);
}

TEST_F(TrpcGoInteropTest, GoClientSeesCppErrorCodes) {
  std::string cpp = StartCppServer("");
  nlohmann::json fail = RunGoClient(cpp, kFail, "x");
  EXPECT_EQ(fail.value("func_ret", -1), 1) << fail.dump();
  EXPECT_NE(fail.value("error_msg", "").find("failure requested"), std::string::npos);

  nlohmann::json missing = RunGoClient(cpp, kNoSuchFunc, "x");
  EXPECT_EQ(missing.value("ret", -1), trpc::kRetServerNoFunc) << missing.dump();

  nlohmann::json slow = RunGoClient(cpp, kSleep, "2000", {"--timeout", "200"});
  EXPECT_EQ(slow.value("ret", -1), trpc::kRetClientInvokeTimeout) << slow.dump();
}

}  // namespace
}  // namespace tracewire::testing
