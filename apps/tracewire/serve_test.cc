// Smoke tests of `tracewire serve`: in-process (ingest over OTLP/HTTP and Zipkin, read back over
// the Jaeger API, restart on the same data) and as a real process (listener lines, SIGTERM → 0).
#include "apps/tracewire/serve.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "collector/config.h"
#include "collector/registry.h"
#include "net/http_client.h"
#include "nlohmann/json.hpp"
#include "tests/interop/subprocess.h"

namespace tracewire::apps {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr char kTraceId[] = "5b8efff798038103d269b633813fc60c";

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tw-serve-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

ServeFlags PortZeroFlags(const std::string& data_dir) {
  ServeFlags f;
  f.data_dir = data_dir;
  f.otlp_grpc = "127.0.0.1:0";
  f.otlp_http = "127.0.0.1:0";
  f.zipkin = "127.0.0.1:0";
  f.http = "127.0.0.1:0";
  return f;
}

uint16_t PortOf(const ServeApp& app, std::string_view what) {
  for (const auto& l : app.listeners()) {
    if (l.what.find(what) != std::string::npos) return l.port;
  }
  return 0;
}

net::HttpResponse Call(uint16_t port, std::string method, std::string target, std::string body = "",
                       std::string content_type = "application/json") {
  auto client = net::HttpClient::Create("127.0.0.1", port);
  net::HttpRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.body = std::move(body);
  if (!r.body.empty()) r.headers.Set("Content-Type", content_type);
  StatusOr<net::HttpResponse> response = client->Send(r, 5s);
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  return response.ok() ? *response : net::HttpResponse{599, "", {}, ""};
}

std::string OtlpJsonTrace() {
  return R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"smoke-svc"}}]},
    "scopeSpans":[{"scope":{"name":"t"},"spans":[{"traceId":")" +
         std::string(kTraceId) + R"(","spanId":"051581bf3cb55c13","name":"GET /smoke","kind":2,
    "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000100000000"}]}]}]})";
}

TEST(ServeTest, DefaultConfigIsValidAndPrintedVerbatim) {
  collector::Registry registry = collector::DefaultRegistry();
  StatusOr<collector::CollectorConfig> c =
      collector::ParseCollectorConfig(DefaultServeConfig(), registry);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_TRUE(c->warnings.empty());
  StatusOr<std::string> printed = PrintableServeConfig(ServeFlags{});
  ASSERT_TRUE(printed.ok());
  EXPECT_EQ(*printed, DefaultServeConfig());
  ServeFlags f;
  f.zipkin = "0.0.0.0:19411";
  printed = PrintableServeConfig(f);
  ASSERT_TRUE(printed.ok());
  EXPECT_NE(printed->find("0.0.0.0:19411"), std::string::npos);
}

TEST(ServeTest, IngestsAndServesQueriesThenKeepsTheDataAcrossARestart) {
  TempDir dir;
  std::ostringstream log;
  {
    StatusOr<std::unique_ptr<ServeApp>> app = ServeApp::Start(PortZeroFlags(dir.path()), log);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    ASSERT_EQ((*app)->listeners().size(), 4u) << log.str();
    EXPECT_NE(log.str().find("receivers.otlp grpc listening on 127.0.0.1:"), std::string::npos)
        << log.str();
    const uint16_t http = PortOf(**app, "receivers.otlp http");
    const uint16_t query = PortOf(**app, "tracewire_query");
    ASSERT_NE(http, 0);
    ASSERT_NE(query, 0);

    net::HttpResponse r = Call(http, "POST", "/v1/traces", OtlpJsonTrace());
    EXPECT_EQ(r.status, 200) << r.body;
    json services = json::parse(Call(query, "GET", "/api/services").body, nullptr, false);
    ASSERT_FALSE(services.is_discarded());
    EXPECT_NE(services.dump().find("smoke-svc"), std::string::npos) << services.dump();

    const std::string zipkin =
        R"([{"traceId":"aaaaaaaaaaaaaaaa","id":"bbbbbbbbbbbbbbbb","name":"zip",
      "timestamp":1700000000000000,"duration":5,"localEndpoint":{"serviceName":"zipkin-svc"}}])";
    r = Call(PortOf(**app, "receivers.zipkin"), "POST", "/api/v2/spans", zipkin);
    EXPECT_EQ(r.status / 100, 2) << r.status << " " << r.body;
    ASSERT_TRUE((*app)->Stop().ok());
  }
  StatusOr<std::unique_ptr<ServeApp>> again = ServeApp::Start(PortZeroFlags(dir.path()), log);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  net::HttpResponse r =
      Call(PortOf(**again, "tracewire_query"), "GET", std::string("/api/traces/") + kTraceId);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("GET /smoke"), std::string::npos) << r.body;
  json services = json::parse(Call(PortOf(**again, "tracewire_query"), "GET", "/api/services").body,
                              nullptr, false);
  EXPECT_NE(services.dump().find("zipkin-svc"), std::string::npos) << services.dump();
}

TEST(ServeTest, StartUpErrorsNameTheFlagOrKey) {
  TempDir dir;
  std::ostringstream log;
  ServeFlags f = PortZeroFlags(dir.path());
  f.zipkin = "nope";
  StatusOr<std::unique_ptr<ServeApp>> app = ServeApp::Start(f, log);
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.status().message().rfind("--zipkin:", 0), 0u) << app.status().message();

  const std::string config = dir.path() + "/bad.yaml";
  {
    std::ofstream out(config);
    out << "receivers: {otlp: }\nprocessors: {batch: {timeout: soon}}\nexporters: {debug: }\n"
           "service: {pipelines: {traces: {receivers: [otlp], exporters: [debug]}}}\n";
  }
  f = ServeFlags{};
  f.config_file = config;
  app = ServeApp::Start(f, log);
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.status().message().rfind("processors.batch.timeout:", 0), 0u)
      << app.status().message();
}

TEST(ServeTest, TheProcessLogsItsListenersAndExitsZeroOnSigterm) {
  TempDir dir;
  StatusOr<std::unique_ptr<testing::Subprocess>> p = testing::Subprocess::Start(
      {TW_TRACEWIRE_BINARY, "serve", "--data-dir", dir.path(), "--otlp-grpc", "127.0.0.1:0",
       "--otlp-http", "127.0.0.1:0", "--zipkin", "127.0.0.1:0", "--http", "127.0.0.1:0"});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  int listeners = 0;
  while (listeners < 4) {
    StatusOr<std::string> line = (*p)->ReadLine(10s);
    ASSERT_TRUE(line.ok()) << line.status().ToString();
    if (line->find(" listening on ") != std::string::npos) ++listeners;
  }
  EXPECT_EQ((*p)->Terminate(), 0);
}

}  // namespace
}  // namespace tracewire::apps
