// Sampling (rate limit, forcing keys), several event-loop threads, and HTTP upstream
// connections pooled across downstream connections.
#include <gtest/gtest.h>

#include <thread>

#include "net/http_client.h"
#include "net/http_server.h"
#include "net/testing/raw_tcp.h"
#include "tests/sidecar/sidecar_test_env.h"

namespace tracewire::sidecar::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::unique_ptr<net::HttpServer> StartOk() {
  auto server = net::HttpServer::Start({}, [](const net::HttpRequest&) {
    net::HttpResponse rsp;
    rsp.body = "ok";
    return rsp;
  });
  if (!server.ok()) std::abort();
  return *std::move(server);
}

int Get(uint16_t port, const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  auto client = net::HttpClient::Create("127.0.0.1", port);
  net::HttpRequest request;
  request.target = "/x";
  for (const auto& [k, v] : headers) request.headers.Set(k, v);
  auto rsp = client->Send(request, seconds(5));
  return rsp.ok() ? rsp->status : -1;
}

class SidecarScaleTest : public SidecarTestBase {};

TEST_F(SidecarScaleTest, RateLimitCapsRootTracesAndForcedKeysAlwaysSample) {
  auto backend = StartOk();
  SidecarConfig config =
      OneListener("svc", "in", ListenerKind::kInbound, backend->port(), sink_->endpoint());
  config.sampling.rate_limit = 1;  // burst 1: one root trace in this test's second
  config.sampling.force = {"x-debug"};
  auto in = StartSidecar(config);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Get(in->listener_port("in")), 200);
  EXPECT_EQ(Get(in->listener_port("in"), {{"X-Debug", "1"}}), 200);
  EXPECT_EQ(Get(in->listener_port("in"), {{"x-debug", "TRUE"}}), 200);
  EXPECT_EQ(Get(in->listener_port("in"), {{"x-debug", "0"}}), 200);
  ASSERT_TRUE(in->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return s.size() >= 3; }, seconds(10));
  std::this_thread::sleep_for(milliseconds(200));  // nothing more arrives
  spans = sink_->WaitFor([](const auto& s) { return s.size() >= 3; }, seconds(1));
  ASSERT_EQ(spans.size(), 3u);
  int forced = 0;
  for (const SinkSpan& s : spans) forced += s.attributes.contains("tracewire.sampling.forced");
  EXPECT_EQ(forced, 2);
}

TEST_F(SidecarScaleTest, ForcedTransInfoKeySamplesAtRatioZero) {
  auto echo = StartEcho();
  SidecarConfig config =
      OneListener("svc", "in", ListenerKind::kInbound, echo->port(), sink_->endpoint());
  config.sampling.ratio = 0;
  config.sampling.force = {"trpc-debug"};
  auto in = StartSidecar(config);
  auto client = PlainClient(in->listener_port("in"));
  EXPECT_EQ(client->Call(EchoRequest("Echo", "a")).ret, 0);
  trpc::CallRequest forced = EchoRequest("Echo", "b");
  forced.trans_info["trpc-debug"] = "true";
  EXPECT_EQ(client->Call(std::move(forced)).ret, 0);
  ASSERT_TRUE(in->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return !s.empty(); }, seconds(10));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].attributes.at("tracewire.sampling.forced"), "true");
}

TEST_F(SidecarScaleTest, SeveralThreadsServeOnePortAndCountEveryRequest) {
  auto backend = StartOk();
  auto echo = StartEcho();
  SidecarConfig config = OneListener("svc", "in", ListenerKind::kInbound, backend->port(), "");
  config.threads = 3;
  auto in = StartSidecar(config);
  ASSERT_NE(in, nullptr);
  constexpr int kClients = 6;
  constexpr int kPerClient = 5;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerClient; ++i) ok += Get(in->listener_port("in")) == 200;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kClients * kPerClient);
  const std::string metrics = in->MetricsText();
  EXPECT_NE(metrics.find("tracewire_sidecar_requests_total{listener=\"in\",kind=\"inbound\","
                         "protocol=\"http\"} 30"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("tracewire_sidecar_connections_total{listener=\"in\",kind=\"inbound\"} "
                         "30"),
            std::string::npos)
      << metrics;
}

// The upstream serves one connection at a time: a second downstream connection only gets an
// answer if the sidecar reuses the first upstream connection.
TEST_F(SidecarScaleTest, HttpUpstreamConnectionIsSharedAcrossDownstreamConnections) {
  net::testing::ScriptedServer upstream([](int fd, int) {
    for (;;) {
      const std::string request = net::testing::ReadOneRequest(fd);
      if (request.empty()) return;
      net::testing::SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }
  });
  auto in = StartSidecar(OneListener("svc", "in", ListenerKind::kInbound, upstream.port(), ""));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get(in->listener_port("in")), 200) << i;
  EXPECT_EQ(upstream.accepted(), 1);
}

}  // namespace
}  // namespace tracewire::sidecar::testing
