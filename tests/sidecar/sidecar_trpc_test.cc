// tRPC through the sidecar, end to end in one process: client -> inbound sidecar A -> echo A
// (no tracing) -> outbound sidecar A -> inbound sidecar B -> echo B, spans to an OTLP/HTTP sink.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "net/http_client.h"
#include "net/testing/raw_tcp.h"
#include "tests/sidecar/sidecar_test_env.h"
#include "trpc/frame_codec.h"
#include "trpc/ret_code.h"

namespace tracewire::sidecar::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kServer = 2;  // OTLP SpanKind
constexpr int kClient = 3;
constexpr int kError = 2;  // OTLP status code

class SidecarTrpcTest : public SidecarTestBase {};

TEST_F(SidecarTrpcTest, OneTraceThroughInboundOutboundInbound) {
  auto echo_b = StartEcho();
  auto b_in = StartSidecar(
      OneListener("svc-b", "in", ListenerKind::kInbound, echo_b->port(), sink_->endpoint()));
  auto a_out = StartSidecar(OneListener("svc-a", "out", ListenerKind::kOutbound,
                                        b_in->listener_port("in"), sink_->endpoint()));
  auto echo_a = StartEcho(a_out->listener_port("out"));
  auto a_in = StartSidecar(
      OneListener("svc-a", "in", ListenerKind::kInbound, echo_a->port(), sink_->endpoint()));

  auto client = PlainClient(a_in->listener_port("in"));
  trpc::CallRequest request = EchoRequest("Echo", "hello through three hops");
  request.trans_info["user"] = "42";
  trpc::CallResult result = client->Call(std::move(request));
  ASSERT_EQ(result.ret, 0) << result.error_msg;
  EXPECT_EQ(result.body, "hello through three hops");

  for (Sidecar* s : {a_in.get(), a_out.get(), b_in.get()}) {
    ASSERT_TRUE(s->FlushSpans(seconds(5)).ok());
  }
  auto spans = sink_->WaitFor([](const auto& s) { return s.size() >= 3; }, seconds(10));
  ASSERT_EQ(spans.size(), 3u);
  // The client sent no context: the trace starts at svc-a's inbound sidecar.
  const auto chain =
      ExpectChain(spans, {{"svc-a", kServer}, {"svc-a", kClient}, {"svc-b", kServer}});
  ASSERT_EQ(chain.size(), 3u);
  for (const SinkSpan* s : chain) {
    EXPECT_EQ(s->name, "/trpc.test.echo.Echo/Echo");
    EXPECT_EQ(s->attributes.at("rpc.system"), "trpc");
    EXPECT_EQ(s->attributes.at("rpc.service"), "trpc.test.echo.Echo");
    EXPECT_EQ(s->attributes.at("rpc.method"), "Echo");
    EXPECT_EQ(s->attributes.at("trpc.status_code"), "0");
    EXPECT_EQ(s->attributes.at("trpc.callee_service"), "trpc.test.echo.Echo");
    EXPECT_NE(s->status_code, kError);
    EXPECT_TRUE(s->attributes.contains("trpc.request_size"));
    EXPECT_TRUE(s->attributes.contains("trpc.response_size"));
    EXPECT_TRUE(s->attributes.contains("network.peer.port"));
  }
  EXPECT_EQ(chain[1]->attributes.at("server.port"), std::to_string(b_in->listener_port("in")));
}

TEST_F(SidecarTrpcTest, ContinuesTheCallersTraceAndKeepsBusinessTransInfo) {
  auto echo = StartEcho();
  auto in = StartSidecar(
      OneListener("svc", "in", ListenerKind::kInbound, echo->port(), sink_->endpoint()));
  auto client = PlainClient(in->listener_port("in"));
  trpc::CallRequest request = EchoRequest("Meta", "");
  request.trans_info["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  request.trans_info["user"] = "42";
  trpc::CallResult result = client->Call(std::move(request));
  ASSERT_EQ(result.ret, 0) << result.error_msg;
  // The service saw the business entry as sent and a traceparent of the sidecar's span.
  EXPECT_NE(result.body.find("\"user\":\"42\""), std::string::npos) << result.body;
  EXPECT_NE(result.body.find("0af7651916cd43dd8448eb211c80319c"), std::string::npos);
  EXPECT_EQ(result.body.find("b7ad6b7169203331"), std::string::npos) << result.body;

  ASSERT_TRUE(in->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return !s.empty(); }, seconds(10));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].trace_id, "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(spans[0].parent_span_id, "b7ad6b7169203331");
  EXPECT_NE(result.body.find(spans[0].span_id), std::string::npos);
}

TEST_F(SidecarTrpcTest, BusinessErrorMarksTheSpanError) {
  auto echo = StartEcho();
  auto in = StartSidecar(
      OneListener("svc", "in", ListenerKind::kInbound, echo->port(), sink_->endpoint()));
  auto client = PlainClient(in->listener_port("in"));
  trpc::CallResult result = client->Call(EchoRequest("Fail", ""));
  EXPECT_EQ(result.ret, 0);
  EXPECT_EQ(result.func_ret, 1);
  ASSERT_TRUE(in->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return !s.empty(); }, seconds(10));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status_code, kError);
  EXPECT_EQ(spans[0].attributes.at("trpc.status_code"), "1");
  EXPECT_EQ(spans[0].attributes.at("trpc.status_type"), "2");
}

TEST_F(SidecarTrpcTest, UnreachableUpstreamGetsConnectErrorAndAnErrorSpan) {
  const uint16_t nothing = net::testing::UnusedPort();
  auto out =
      StartSidecar(OneListener("svc", "out", ListenerKind::kOutbound, nothing, sink_->endpoint()));
  auto client = PlainClient(out->listener_port("out"));
  trpc::CallResult result = client->Call(EchoRequest("Echo", "x"));
  EXPECT_EQ(result.ret, trpc::kRetClientConnectError) << result.error_msg;
  ASSERT_TRUE(out->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return !s.empty(); }, seconds(10));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].kind, kClient);
  EXPECT_EQ(spans[0].status_code, kError);
  EXPECT_EQ(spans[0].attributes.at("trpc.status_code"), "111");
  EXPECT_NE(
      out->MetricsText().find("tracewire_sidecar_upstream_connect_errors_total{listener=\"out\","
                              "kind=\"outbound\"} 1"),
      std::string::npos);
}

TEST_F(SidecarTrpcTest, SlowUpstreamGetsClientTimeout) {
  auto echo = StartEcho();
  SidecarConfig config = OneListener("svc", "out", ListenerKind::kOutbound, echo->port(), "");
  config.clusters[0].request_timeout = milliseconds(100);
  auto out = StartSidecar(std::move(config));
  auto client = PlainClient(out->listener_port("out"));
  trpc::CallRequest request = EchoRequest("Sleep", "1000");
  // The client's own timeout (3 s, in the frame) is longer: the cluster's 100 ms applies.
  trpc::CallResult result = client->Call(std::move(request));
  EXPECT_EQ(result.ret, trpc::kRetClientInvokeTimeout) << result.error_msg;
  // The connection stays usable.
  EXPECT_EQ(client->Call(EchoRequest("Echo", "after")).body, "after");
}

TEST_F(SidecarTrpcTest, ManyDownstreamConnectionsShareOneUpstreamConnection) {
  auto echo = StartEcho();
  SidecarConfig config = OneListener("svc", "in", ListenerKind::kInbound, echo->port(), "");
  config.clusters[0].max_connections = 1;
  auto in = StartSidecar(std::move(config));
  constexpr int kThreads = 4;
  constexpr int kCalls = 50;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto client = PlainClient(in->listener_port("in"), 2);
      for (int i = 0; i < kCalls; ++i) {
        const std::string body = std::to_string(t) + "/" + std::to_string(i);
        trpc::CallResult r = client->Call(EchoRequest("Echo", body));
        if (r.ret == 0 && r.body == body) ++good;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), kThreads * kCalls);
  EXPECT_EQ(echo->server->stats().connections_accepted, 1u);
}

TEST_F(SidecarTrpcTest, CollectorDownLeavesTrafficUnaffected) {
  auto echo = StartEcho();
  const std::string dead =
      "http://127.0.0.1:" + std::to_string(net::testing::UnusedPort()) + "/v1/traces";
  SidecarConfig config = OneListener("svc", "in", ListenerKind::kInbound, echo->port(), dead,
                                     /*admin=*/true);
  config.exporter.max_queue_size = 8;
  auto in = StartSidecar(std::move(config));
  auto client = PlainClient(in->listener_port("in"));
  for (int i = 0; i < 200; ++i) {
    trpc::CallResult r = client->Call(EchoRequest("Echo", "x"));
    ASSERT_EQ(r.ret, 0) << i << ": " << r.error_msg;
  }
  auto http = net::HttpClient::Create("127.0.0.1", in->admin_port());
  net::HttpRequest get;
  get.target = "/metrics";
  auto metrics = http->Send(get, seconds(5));
  ASSERT_TRUE(metrics.ok()) << metrics.status().ToString();
  EXPECT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("tracewire_sidecar_requests_total{listener=\"in\",kind=\"inbound\","
                               "protocol=\"trpc\"} 200"),
            std::string::npos)
      << metrics->body;
  get.target = "/ready";
  auto ready = http->Send(get, seconds(5));
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->status, 200);
}

// An upstream that echoes every byte it gets, for the relay tests.
void EchoBytes(int fd, int /*index*/) {
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0 || !net::testing::SendAll(fd, std::string_view(buf, static_cast<size_t>(n)))) {
      return;
    }
  }
}

TEST_F(SidecarTrpcTest, MalformedFrameFallsBackToRelayingTheBytes) {
  net::testing::ScriptedServer upstream(EchoBytes);
  auto in = StartSidecar(OneListener("svc", "in", ListenerKind::kInbound, upstream.port(), ""));
  auto conn = net::testing::RawConnection::Connect(in->listener_port("in"));
  ASSERT_NE(conn, nullptr);
  // The magic, then a data frame type 7 that no tRPC decoder accepts.
  const std::string bad("\x09\x30\x07\x00\x00\x00\x00\x14\x00\x00\x00\x00\x00\x01\x00\x00tail", 20);
  ASSERT_TRUE(conn->Send(bad));
  EXPECT_EQ(conn->ReadUntil("tail"), bad);
  EXPECT_NE(in->MetricsText().find("tracewire_sidecar_malformed_frames_total{listener=\"in\","
                                   "kind=\"inbound\"} 1"),
            std::string::npos);
}

TEST_F(SidecarTrpcTest, OtherProtocolsAreRelayedUntouched) {
  net::testing::ScriptedServer upstream(EchoBytes);
  auto in = StartSidecar(OneListener("svc", "in", ListenerKind::kInbound, upstream.port(), ""));
  auto conn = net::testing::RawConnection::Connect(in->listener_port("in"));
  ASSERT_NE(conn, nullptr);
  const std::string tls_like("\x16\x03\x01\x00\x05hello|", 11);
  ASSERT_TRUE(conn->Send(tls_like));
  EXPECT_EQ(conn->ReadUntil("|"), tls_like);
  EXPECT_NE(in->MetricsText().find("tracewire_sidecar_relayed_connections_total{listener=\"in\","
                                   "kind=\"inbound\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace tracewire::sidecar::testing
