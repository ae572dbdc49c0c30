// Routes and HTTP -> tRPC transcoding (contract C1): an HTTP request at an edge or outbound
// listener routed to a `protocol: trpc` cluster becomes a unary tRPC call; errors map as
// trpc-go's HTTP transport maps them; tRPC and HTTP routes pick clusters by func / callee and
// by path / host.
#include <gtest/gtest.h>

#include "net/http_client.h"
#include "net/http_server.h"
#include "net/testing/raw_tcp.h"
#include "tests/sidecar/sidecar_test_env.h"
#include "trpc/ret_code.h"

namespace tracewire::sidecar::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kServer = 2;
constexpr int kClient = 3;
constexpr int kError = 2;

// Adds cluster `name` (tRPC unless `http`) at 127.0.0.1:`port` and a route to it.
void AddRoute(SidecarConfig* config, const std::string& name, uint16_t port, RouteConfig route,
              bool http = false) {
  ClusterConfig cluster;
  cluster.name = name;
  cluster.endpoints.push_back({"127.0.0.1", port});
  cluster.protocol = http ? ClusterProtocol::kHttp : ClusterProtocol::kTrpc;
  cluster.connect_timeout = milliseconds(500);
  cluster.request_timeout = milliseconds(1000);
  config->clusters.push_back(cluster);
  route.cluster = name;
  config->listeners[0].routes.push_back(route);
}

RouteConfig PathRoute(const std::string& prefix) {
  RouteConfig r;
  r.path_prefix = prefix;
  return r;
}

StatusOr<net::HttpResponse> Post(uint16_t port, const std::string& target, const std::string& body,
                                 const std::string& content_type = "application/json",
                                 const std::string& method = "POST") {
  auto client = net::HttpClient::Create("127.0.0.1", port);
  net::HttpRequest request;
  request.method = method;
  request.target = target;
  request.body = body;
  if (!content_type.empty()) request.headers.Set("Content-Type", content_type);
  return client->Send(request, seconds(5));
}

std::string Header(const net::HttpResponse& rsp, std::string_view name) {
  return std::string(rsp.headers.Get(name).value_or("<none>"));
}

class SidecarRouteTest : public SidecarTestBase {};

// edge (HTTP) -> echo A (tRPC, no tracing) -> outbound A -> inbound B -> echo B: one trace.
TEST_F(SidecarRouteTest, EdgeTranscodesToTrpcAndTheTraceGoesOn) {
  auto echo_b = StartEcho();
  auto b_in = StartSidecar(
      OneListener("svc-b", "in", ListenerKind::kInbound, echo_b->port(), sink_->endpoint()));
  auto a_out = StartSidecar(OneListener("svc-a", "out", ListenerKind::kOutbound,
                                        b_in->listener_port("in"), sink_->endpoint()));
  auto echo_a = StartEcho(a_out->listener_port("out"));
  SidecarConfig edge_config = OneListener("edge", "edge", ListenerKind::kEdge,
                                          net::testing::UnusedPort(), sink_->endpoint());
  AddRoute(&edge_config, "echo", echo_a->port(), PathRoute("/trpc."));
  auto edge = StartSidecar(edge_config);

  auto rsp = Post(edge->listener_port("edge"), "/trpc.test.echo.Echo/Echo", R"({"msg":"hi"})");
  ASSERT_TRUE(rsp.ok()) << rsp.status().ToString();
  EXPECT_EQ(rsp->status, 200);
  EXPECT_EQ(rsp->body, R"({"msg":"hi"})");
  EXPECT_EQ(Header(*rsp, "content-type"), "application/json");

  for (Sidecar* s : {edge.get(), a_out.get(), b_in.get()})
    ASSERT_TRUE(s->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return s.size() >= 3; }, seconds(10));
  ASSERT_EQ(spans.size(), 3u);
  const auto chain =
      ExpectChain(spans, {{"edge", kServer}, {"svc-a", kClient}, {"svc-b", kServer}});
  ASSERT_EQ(chain.size(), 3u);
  const SinkSpan* edge_span = chain[0];
  const auto& a = edge_span->attributes;
  EXPECT_EQ(edge_span->name, "POST /trpc.test.echo.Echo/Echo");
  EXPECT_EQ(a.at("http.request.method"), "POST");
  EXPECT_EQ(a.at("http.response.status_code"), "200");
  EXPECT_EQ(a.at("rpc.system"), "trpc");
  EXPECT_EQ(a.at("rpc.service"), "trpc.test.echo.Echo");
  EXPECT_EQ(a.at("rpc.method"), "Echo");
  EXPECT_EQ(a.at("trpc.caller_service"), "edge");
  EXPECT_EQ(a.at("trpc.status_code"), "0");
  EXPECT_EQ(a.at("tracewire.sidecar.cluster"), "echo");
  EXPECT_TRUE(a.contains("trpc.request_size"));
  EXPECT_TRUE(a.contains("trpc.response_size"));
  EXPECT_NE(edge_span->status_code, kError);
}

TEST_F(SidecarRouteTest, TranscodedCallCarriesTraceContextAndRequestIdInTransInfo) {
  auto echo = StartEcho();
  SidecarConfig config = OneListener("edge", "edge", ListenerKind::kEdge,
                                     net::testing::UnusedPort(), sink_->endpoint());
  AddRoute(&config, "echo", echo->port(), PathRoute("/trpc."));
  auto edge = StartSidecar(config);
  auto rsp = Post(edge->listener_port("edge"), "/trpc.test.echo.Echo/Meta", "", "");
  ASSERT_TRUE(rsp.ok());
  EXPECT_EQ(rsp->status, 200);
  ASSERT_TRUE(edge->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return !s.empty(); }, seconds(10));
  ASSERT_EQ(spans.size(), 1u);
  const std::string tp = "00-" + spans[0].trace_id + "-" + spans[0].span_id + "-01";
  EXPECT_NE(rsp->body.find(tp), std::string::npos) << rsp->body;
  const std::string rid = spans[0].attributes.at("http.request_id");
  EXPECT_EQ(rid.size(), 36u);
  EXPECT_NE(rsp->body.find("\"x-request-id\":\"" + rid + "\""), std::string::npos) << rsp->body;
  EXPECT_EQ(Header(*rsp, "content-type"), "<none>");  // none sent, none mirrored
}

TEST_F(SidecarRouteTest, TrpcErrorsMapToHttpStatusLikeTrpcGo) {
  auto echo = StartEcho();
  SidecarConfig config = OneListener("edge", "edge", ListenerKind::kEdge,
                                     net::testing::UnusedPort(), sink_->endpoint());
  AddRoute(&config, "echo", echo->port(), PathRoute("/trpc."));
  config.clusters.back().request_timeout = milliseconds(300);
  AddRoute(&config, "dead", net::testing::UnusedPort(), PathRoute("/dead."));
  auto edge = StartSidecar(config);
  const uint16_t port = edge->listener_port("edge");

  auto no_func = Post(port, "/trpc.test.echo.Echo/Nope", "{}");
  ASSERT_TRUE(no_func.ok());
  EXPECT_EQ(no_func->status, 404);
  EXPECT_EQ(Header(*no_func, "trpc-ret"), std::to_string(trpc::kRetServerNoFunc));
  EXPECT_EQ(Header(*no_func, "trpc-func-ret"), "0");
  EXPECT_EQ(no_func->body, "");

  // func_ret 1: trpc-go looks business codes up in the same table (1 -> 400).
  auto business = Post(port, "/trpc.test.echo.Echo/Fail", "{}");
  ASSERT_TRUE(business.ok());
  EXPECT_EQ(business->status, 400);
  EXPECT_EQ(Header(*business, "trpc-ret"), "0");
  EXPECT_EQ(Header(*business, "trpc-func-ret"), "1");
  EXPECT_EQ(Header(*business, "trpc-error-msg"), "echo: failure requested");

  auto put = Post(port, "/trpc.test.echo.Echo/Echo", "{}", "application/json", "PUT");
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(put->status, 405);
  auto get = Post(port, "/trpc.test.echo.Echo/Echo", "", "", "GET");
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->status, 200) << get->body << Header(*get, "trpc-ret")
                              << Header(*get, "trpc-error-msg");

  auto slow = Post(port, "/trpc.test.echo.Echo/Sleep", "2000", "text/plain");
  ASSERT_TRUE(slow.ok());
  EXPECT_EQ(slow->status, 504);  // the server's own 21 (it got the timeout) or the sidecar's 101
  auto dead = Post(port, "/dead.Svc/M", "{}");
  ASSERT_TRUE(dead.ok());
  EXPECT_EQ(dead->status, 503);
  EXPECT_EQ(Header(*dead, "trpc-ret"), std::to_string(trpc::kRetClientConnectError));

  ASSERT_TRUE(edge->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return s.size() >= 6; }, seconds(10));
  ASSERT_EQ(spans.size(), 6u);
  int errors = 0;
  for (const SinkSpan& s : spans) {
    if (s.status_code == kError) ++errors;
  }
  EXPECT_EQ(errors, 4);  // no func, business error, timeout, unreachable
}

// The mesh case: an application POSTs to its outbound sidecar, which calls tRPC through the
// callee's inbound sidecar; the application's traceparent is continued.
TEST_F(SidecarRouteTest, OutboundTranscodesAndContinuesTheCallersTrace) {
  auto echo = StartEcho();
  auto b_in = StartSidecar(
      OneListener("svc-b", "in", ListenerKind::kInbound, echo->port(), sink_->endpoint()));
  SidecarConfig config = OneListener("svc-a", "out", ListenerKind::kOutbound,
                                     net::testing::UnusedPort(), sink_->endpoint());
  config.listeners[0].cluster = "";
  AddRoute(&config, "echo", b_in->listener_port("in"), PathRoute("/trpc.test.echo."));
  auto out = StartSidecar(config);

  auto client = net::HttpClient::Create("127.0.0.1", out->listener_port("out"));
  net::HttpRequest request;
  request.method = "POST";
  request.target = "/trpc.test.echo.Echo/Echo";
  request.body = "raw bytes";
  request.headers.Set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  auto rsp = client->Send(request, seconds(5));
  ASSERT_TRUE(rsp.ok());
  EXPECT_EQ(rsp->status, 200);
  EXPECT_EQ(rsp->body, "raw bytes");
  request.target = "/other/path";  // no route, no fallback
  auto unrouted = client->Send(request, seconds(5));
  ASSERT_TRUE(unrouted.ok());
  EXPECT_EQ(unrouted->status, 404);

  for (Sidecar* s : {out.get(), b_in.get()}) ASSERT_TRUE(s->FlushSpans(seconds(5)).ok());
  auto spans = sink_->WaitFor([](const auto& s) { return s.size() >= 3; }, seconds(10));
  ASSERT_EQ(spans.size(), 3u);
  const SinkSpan* client_span = nullptr;
  for (const SinkSpan& s : spans) {
    if (s.service == "svc-a" && s.name == "POST /trpc.test.echo.Echo/Echo") client_span = &s;
  }
  const SinkSpan* server_span = FindSpan(spans, "svc-b", kServer);
  ASSERT_TRUE(client_span && server_span);
  EXPECT_EQ(client_span->kind, kClient);
  EXPECT_EQ(client_span->trace_id, "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(client_span->parent_span_id, "b7ad6b7169203331");
  EXPECT_EQ(server_span->parent_span_id, client_span->span_id);
  EXPECT_EQ(client_span->attributes.at("rpc.system"), "trpc");
  EXPECT_EQ(client_span->attributes.at("server.port"), std::to_string(b_in->listener_port("in")));
  EXPECT_EQ(server_span->attributes.at("trpc.caller_service"), "svc-a");
}

TEST_F(SidecarRouteTest, TrpcRoutesByFuncPrefixAndCallee) {
  auto echo = StartEcho();
  SidecarConfig config = OneListener("svc", "in", ListenerKind::kInbound, echo->port(), "");
  RouteConfig by_func;
  by_func.func_prefix = "/trpc.test.echo.Echo/Meta";
  AddRoute(&config, "dead", net::testing::UnusedPort(), by_func);
  auto in = StartSidecar(config);
  auto client = PlainClient(in->listener_port("in"));
  EXPECT_EQ(client->Call(EchoRequest("Echo", "x")).ret, 0);  // the fallback
  EXPECT_EQ(client->Call(EchoRequest("Meta", "")).ret, trpc::kRetClientConnectError);

  SidecarConfig only_callee = OneListener("svc", "in", ListenerKind::kInbound, echo->port(), "");
  only_callee.listeners[0].cluster = "";
  RouteConfig by_callee;
  by_callee.callee = apps::kEchoService;
  AddRoute(&only_callee, "echo", echo->port(), by_callee);
  auto in2 = StartSidecar(only_callee);
  auto client2 = PlainClient(in2->listener_port("in"));
  EXPECT_EQ(client2->Call(EchoRequest("Echo", "x")).ret, 0);
  trpc::ClientOptions options;
  options.address = "127.0.0.1:" + std::to_string(in2->listener_port("in"));
  options.callee = "trpc.other.Service";
  options.timeout = seconds(3);
  auto other = trpc::Client::Create(options);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ((*other)->Call(EchoRequest("Echo", "x")).ret, trpc::kRetClientRouterError);
}

TEST_F(SidecarRouteTest, HttpRoutesByHostAndPathPrefix) {
  auto backend = [](const std::string& name) {
    auto server = net::HttpServer::Start({}, [name](const net::HttpRequest& req) {
      net::HttpResponse rsp;
      rsp.body = name + " " + req.target;
      return rsp;
    });
    if (!server.ok()) std::abort();
    return *std::move(server);
  };
  auto a = backend("a");
  auto b = backend("b");
  auto fallback = backend("fallback");
  SidecarConfig config = OneListener("svc", "in", ListenerKind::kInbound, fallback->port(), "");
  RouteConfig by_host;
  by_host.host = "api.example";
  AddRoute(&config, "a", a->port(), by_host, /*http=*/true);
  AddRoute(&config, "b", b->port(), PathRoute("/b/"), /*http=*/true);
  auto in = StartSidecar(config);
  auto send = [&](const std::string& host, const std::string& target) {
    auto client = net::HttpClient::Create("127.0.0.1", in->listener_port("in"));
    net::HttpRequest request;
    request.target = target;
    request.headers.Set("Host", host);
    auto rsp = client->Send(request, seconds(5));
    return rsp.ok() ? rsp->body : rsp.status().ToString();
  };
  EXPECT_EQ(send("API.example:8080", "/b/x"), "a /b/x");  // first match wins, port ignored
  EXPECT_EQ(send("other", "/b/x"), "b /b/x");
  EXPECT_EQ(send("other", "/c"), "fallback /c");
}

}  // namespace
}  // namespace tracewire::sidecar::testing
