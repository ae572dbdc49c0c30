// HTTP upstream keep-alive pooling under concurrency: downstream connections that each keep
// one request in flight must not churn upstream connections (issue 6, the 5k req/s profile).
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "net/http_client.h"
#include "net/http_server.h"
#include "net/testing/raw_tcp.h"
#include "tests/sidecar/sidecar_test_env.h"

namespace tracewire::sidecar::testing {
namespace {

using std::chrono::milliseconds;

class SidecarPoolTest : public SidecarTestBase {};

// An upstream answering each request after 5 ms, `threads` requests at a time.
StatusOr<std::unique_ptr<net::HttpServer>> StartSlowUpstream(int threads) {
  net::HttpServerOptions options;
  options.threads = threads;
  return net::HttpServer::Start(options, [](const net::HttpRequest&) {
    std::this_thread::sleep_for(milliseconds(5));
    net::HttpResponse rsp;
    rsp.body = "ok";
    return rsp;
  });
}

// M downstream connections, each sending N requests one after the other, all at the same time
// against an upstream slow enough for the M requests to overlap: the sidecar needs M upstream
// connections at once, and with every one of them kept idle between requests it never needs
// more. The default cluster settings are used (no max_connections / max_idle_connections).
TEST_F(SidecarPoolTest, ConcurrentKeepAliveClientsOpenAtMostOneUpstreamConnectionEach) {
  constexpr int kConnections = 16;
  constexpr int kRequests = 12;
  auto upstream = StartSlowUpstream(kConnections);
  ASSERT_TRUE(upstream.ok());
  auto in = StartSidecar(OneListener("svc", "in", ListenerKind::kInbound, (*upstream)->port(), ""));
  const uint16_t port = in->listener_port("in");

  std::vector<int> ok(kConnections, 0);
  std::vector<std::thread> clients;
  clients.reserve(kConnections);
  for (int c = 0; c < kConnections; ++c) {
    clients.emplace_back([port, &ok, c] {
      auto client = net::HttpClient::Create("127.0.0.1", port);
      net::HttpRequest request;
      request.target = "/x";
      for (int i = 0; i < kRequests; ++i) {
        auto rsp = client->Send(request, std::chrono::seconds(5));
        if (rsp.ok() && rsp->status == 200) ++ok[static_cast<size_t>(c)];
      }
    });
  }
  for (auto& t : clients) t.join();
  for (int c = 0; c < kConnections; ++c) EXPECT_EQ(ok[static_cast<size_t>(c)], kRequests) << c;
  EXPECT_LE((*upstream)->connections_accepted(), static_cast<uint64_t>(kConnections));
}

// max_idle_connections caps what is kept: with 1, concurrent clients reconnect (the cap holds).
TEST_F(SidecarPoolTest, MaxIdleConnectionsCapsKeptConnections) {
  auto upstream = StartSlowUpstream(4);
  ASSERT_TRUE(upstream.ok());
  SidecarConfig config = OneListener("svc", "in", ListenerKind::kInbound, (*upstream)->port(), "");
  config.clusters[0].max_idle_connections = 1;
  auto in = StartSidecar(config);
  const uint16_t port = in->listener_port("in");
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([port] {
      auto client = net::HttpClient::Create("127.0.0.1", port);
      net::HttpRequest request;
      request.target = "/x";
      for (int i = 0; i < 10; ++i) EXPECT_TRUE(client->Send(request, std::chrono::seconds(5)).ok());
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_GT((*upstream)->connections_accepted(), 4u);
}

// Reads one request head (the test requests have no body).
bool ReadHead(int fd) {
  std::string got;
  char c;
  while (got.find("\r\n\r\n") == std::string::npos) {
    if (::recv(fd, &c, 1, 0) != 1) return false;
    got.push_back(c);
  }
  return true;
}

// An idle pooled connection the upstream writes to (here the 408 some servers send before
// closing an idle connection) or closes is dropped as soon as that happens: the next request
// goes out on a new connection and gets its own answer, not the stray bytes.
TEST_F(SidecarPoolTest, IdleConnectionTheUpstreamWritesToOrClosesIsNotReused) {
  net::testing::ScriptedServer upstream([](int fd, int index) {
    if (!ReadHead(fd)) return;
    if (index == 0) {
      net::testing::SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
      std::this_thread::sleep_for(milliseconds(50));
      net::testing::SendAll(fd,
                            "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
                            "Connection: close\r\n\r\n");
      return;  // and closes
    }
    net::testing::SendAll(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
    char byte;
    (void)::recv(fd, &byte, 1, 0);  // until the sidecar closes
  });
  auto in = StartSidecar(OneListener("svc", "in", ListenerKind::kInbound, upstream.port(), ""));
  auto client = net::HttpClient::Create("127.0.0.1", in->listener_port("in"));
  net::HttpRequest request;
  request.target = "/x";
  auto first = client->Send(request, std::chrono::seconds(5));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->body, "first");
  std::this_thread::sleep_for(milliseconds(300));  // the 408 and the close arrive meanwhile
  auto second = client->Send(request, std::chrono::seconds(5));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->body, "fresh");
  EXPECT_EQ(upstream.accepted(), 2);
}

}  // namespace
}  // namespace tracewire::sidecar::testing
