// HTTP/1.1 through the sidecar: client -> edge sidecar -> app (copies traceparent onto its own
// call, as an application must) -> outbound sidecar -> inbound sidecar -> backend.
#include <gtest/gtest.h>

#include <mutex>

#include "net/http_client.h"
#include "net/http_server.h"
#include "net/testing/raw_tcp.h"
#include "tests/sidecar/sidecar_test_env.h"

namespace tracewire::sidecar::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kServer = 2;
constexpr int kClient = 3;
constexpr int kError = 2;

// A backend answering with the request's trace headers and body: "tp=<traceparent>
// rid=<x-request-id> body=<body>". /slow waits 500 ms first.
std::unique_ptr<net::HttpServer> StartBackend() {
  auto server = net::HttpServer::Start({}, [](const net::HttpRequest& req) {
    if (req.target == "/slow") std::this_thread::sleep_for(milliseconds(500));
    net::HttpResponse rsp;
    rsp.body = "tp=" + std::string(req.headers.Get("traceparent").value_or("")) +
               " rid=" + std::string(req.headers.Get("x-request-id").value_or("")) +
               " body=" + req.body;
    if (req.target == "/fail") rsp.status = 500;
    return rsp;
  });
  if (!server.ok()) std::abort();
  return *std::move(server);
}

class SidecarHttpTest : public SidecarTestBase {};

TEST_F(SidecarHttpTest, OneTraceThroughEdgeOutboundInbound) {
  auto backend = StartBackend();
  auto b_in = StartSidecar(
      OneListener("svc-b", "in", ListenerKind::kInbound, backend->port(), sink_->endpoint()));
  auto a_out = StartSidecar(OneListener("svc-a", "out", ListenerKind::kOutbound,
                                        b_in->listener_port("in"), sink_->endpoint()));
  // The application: forwards to its outbound sidecar, carrying the incoming trace headers.
  const uint16_t out_port = a_out->listener_port("out");
  std::mutex app_mu;
  std::string app_saw_rid;
  auto app = net::HttpServer::Start({}, [&](const net::HttpRequest& req) {
    auto client = net::HttpClient::Create("127.0.0.1", out_port);
    net::HttpRequest call;
    call.method = "POST";
    call.target = "/data";
    call.body = req.body;
    for (const char* h : {"traceparent", "tracestate", "x-request-id"}) {
      if (auto v = req.headers.Get(h)) call.headers.Set(h, *v);
    }
    {
      std::lock_guard lock(app_mu);
      app_saw_rid = std::string(req.headers.Get("x-request-id").value_or(""));
    }
    auto rsp = client->Send(call, seconds(5));
    return rsp.ok() ? *rsp : net::HttpResponse{502, "", {}, "app: downstream failed"};
  });
  ASSERT_TRUE(app.ok());
  auto edge = StartSidecar(
      OneListener("edge", "edge", ListenerKind::kEdge, (*app)->port(), sink_->endpoint()));

  auto client = net::HttpClient::Create("127.0.0.1", edge->listener_port("edge"));
  net::HttpRequest request;
  request.method = "POST";
  request.target = "/api/query?q=1";
  request.body = "payload";
  auto response = client->Send(request, seconds(5));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);

  for (Sidecar* s : {edge.get(), a_out.get(), b_in.get()})
    ASSERT_TRUE(s->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return s.size() >= 3; }, seconds(10));
  ASSERT_EQ(spans.size(), 3u);
  const auto chain =
      ExpectChain(spans, {{"edge", kServer}, {"svc-a", kClient}, {"svc-b", kServer}});
  ASSERT_EQ(chain.size(), 3u);
  const SinkSpan* edge_span = chain[0];
  const SinkSpan* in_span = chain[2];
  EXPECT_EQ(edge_span->name, "POST /api/query");
  EXPECT_EQ(edge_span->attributes.at("http.request.method"), "POST");
  EXPECT_EQ(edge_span->attributes.at("http.response.status_code"), "200");
  // The backend saw the inbound sidecar's span as its parent and the edge's x-request-id.
  const std::string expected_tp = "tp=00-" + in_span->trace_id + "-" + in_span->span_id + "-01";
  EXPECT_NE(response->body.find(expected_tp), std::string::npos) << response->body;
  std::lock_guard lock(app_mu);
  EXPECT_EQ(app_saw_rid.size(), 36u);
  EXPECT_NE(response->body.find("rid=" + app_saw_rid), std::string::npos) << response->body;
  EXPECT_NE(response->body.find("body=payload"), std::string::npos);
}

TEST_F(SidecarHttpTest, PipelinedKeepAliveAndChunkedRequestsAnswerInOrder) {
  auto backend = StartBackend();
  auto in = StartSidecar(OneListener("svc", "in", ListenerKind::kInbound, backend->port(), ""));
  auto conn = net::testing::RawConnection::Connect(in->listener_port("in"));
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(
      conn->Send("POST /one HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
                 "GET /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz"));
  const std::string got = conn->ReadUntil("body=xyz");
  const size_t first = got.find("body=abcde");
  const size_t second = got.find("body=xyz");
  ASSERT_NE(first, std::string::npos) << got;
  ASSERT_NE(second, std::string::npos) << got;
  EXPECT_LT(first, second);
}

TEST_F(SidecarHttpTest, UnreachableUpstreamIs503WithAnErrorSpan) {
  auto in = StartSidecar(OneListener("svc", "out", ListenerKind::kOutbound,
                                     net::testing::UnusedPort(), sink_->endpoint()));
  auto client = net::HttpClient::Create("127.0.0.1", in->listener_port("out"));
  net::HttpRequest get;
  auto rsp = client->Send(get, seconds(5));
  ASSERT_TRUE(rsp.ok());
  EXPECT_EQ(rsp->status, 503);
  ASSERT_TRUE(in->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return !s.empty(); }, seconds(10));
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].kind, kClient);
  EXPECT_EQ(spans[0].status_code, kError);
  EXPECT_EQ(spans[0].attributes.at("http.response.status_code"), "503");
}

TEST_F(SidecarHttpTest, SlowUpstreamIs504AndServerErrorsMarkTheSpan) {
  auto backend = StartBackend();
  SidecarConfig config =
      OneListener("svc", "in", ListenerKind::kInbound, backend->port(), sink_->endpoint());
  config.clusters[0].request_timeout = milliseconds(100);
  auto in = StartSidecar(std::move(config));
  auto client = net::HttpClient::Create("127.0.0.1", in->listener_port("in"));
  net::HttpRequest get;
  get.target = "/fail";
  auto fail = client->Send(get, seconds(5));
  ASSERT_TRUE(fail.ok());
  EXPECT_EQ(fail->status, 500);
  get.target = "/slow";  // last: the one-thread backend stays busy for 500 ms
  auto slow = client->Send(get, seconds(5));
  ASSERT_TRUE(slow.ok());
  EXPECT_EQ(slow->status, 504);
  ASSERT_TRUE(in->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return s.size() >= 2; }, seconds(10));
  ASSERT_EQ(spans.size(), 2u);
  for (const SinkSpan& s : spans) EXPECT_EQ(s.status_code, kError) << s.name;
}

TEST_F(SidecarHttpTest, UnparsableRequestIsRelayedUntouched) {
  net::testing::ScriptedServer upstream([](int fd, int) {
    std::string got = net::testing::ReadOneRequest(fd);
    net::testing::SendAll(fd, "echo:" + got);
  });
  auto in = StartSidecar(OneListener("svc", "in", ListenerKind::kInbound, upstream.port(), ""));
  auto conn = net::testing::RawConnection::Connect(in->listener_port("in"));
  ASSERT_NE(conn, nullptr);
  // A bare LF: our parser refuses it, so the bytes go through as they are.
  const std::string odd = "GET / HTTP/1.1\nHost: x\n\r\n\r\n";
  ASSERT_TRUE(conn->Send(odd));
  bool closed = false;
  EXPECT_EQ(conn->ReadUntilClose(&closed), "echo:" + odd);
}

}  // namespace
}  // namespace tracewire::sidecar::testing
