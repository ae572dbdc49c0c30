#include "net/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "net/http_client.h"
#include "net/testing/raw_tcp.h"

namespace tracewire::net {
namespace {

using std::chrono::milliseconds;
using testing::RawConnection;

HttpResponse Echo(const HttpRequest& request) {
  HttpResponse response;
  response.headers.Add("X-Method", request.method);
  response.body = request.target + "|" + request.body;
  return response;
}

std::unique_ptr<HttpServer> StartServer(HttpHandler handler = Echo,
                                        HttpServerOptions options = {}) {
  StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(std::move(options), std::move(handler));
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return server.ok() ? std::move(*server) : nullptr;
}

HttpRequest Post(std::string target, std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.target = std::move(target);
  r.body = std::move(body);
  return r;
}

TEST(HttpServerTest, BindsAnEphemeralPortAndAnswersAClient) {
  auto server = StartServer();
  ASSERT_NE(server->port(), 0);
  auto client = HttpClient::Create("127.0.0.1", server->port());
  StatusOr<HttpResponse> response = client->Send(Post("/p?q=1", "body"), milliseconds(5000));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "/p?q=1|body");
  EXPECT_EQ(response->headers.Get("x-method"), "POST");
}

TEST(HttpServerTest, KeepsTheConnectionAliveAcrossRequests) {
  auto server = StartServer();
  auto client = HttpClient::Create("127.0.0.1", server->port());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client->Send(Post("/", std::to_string(i)), milliseconds(5000)).ok());
  }
  EXPECT_EQ(server->connections_accepted(), 1u);
}

TEST(HttpServerTest, AnswersPipelinedRequestsInOrder) {
  auto server = StartServer();
  auto conn = RawConnection::Connect(server->port());
  ASSERT_TRUE(
      conn->Send("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
                 "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx"
                 "GET /3 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
  bool closed = false;
  std::string all = conn->ReadUntilClose(&closed);
  EXPECT_TRUE(closed);
  size_t a = all.find("/1|");
  size_t b = all.find("/2|x");
  size_t c = all.find("/3|");
  ASSERT_NE(a, std::string::npos) << all;
  ASSERT_NE(b, std::string::npos) << all;
  ASSERT_NE(c, std::string::npos) << all;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST(HttpServerTest, ParsesRequestsArrivingByteByByte) {
  auto server = StartServer();
  auto conn = RawConnection::Connect(server->port());
  std::string request = "POST /slow HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
  for (char c : request) ASSERT_TRUE(conn->Send(std::string_view(&c, 1)));
  EXPECT_NE(conn->ReadUntil("/slow|abc").find("/slow|abc"), std::string::npos);
}

TEST(HttpServerTest, SendsContinueBeforeTheBodyWhenAsked) {
  auto server = StartServer();
  auto conn = RawConnection::Connect(server->port());
  ASSERT_TRUE(
      conn->Send("PUT /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                 "Content-Length: 4\r\n\r\n"));
  EXPECT_EQ(conn->ReadUntil("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(conn->Send("data"));
  std::string response = conn->ReadUntil("/e|data");
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
}

TEST(HttpServerTest, RefusesAnOversizedBodyInsteadOfSendingContinue) {
  HttpServerOptions options;
  options.limits.max_body_bytes = 10;
  auto server = StartServer(Echo, options);
  auto conn = RawConnection::Connect(server->port());
  ASSERT_TRUE(
      conn->Send("PUT /e HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                 "Content-Length: 11\r\n\r\n"));
  bool closed = false;
  std::string response = conn->ReadUntilClose(&closed);
  EXPECT_EQ(response.rfind("HTTP/1.1 413 Content Too Large\r\n", 0), 0u) << response;
  EXPECT_TRUE(closed);
}

TEST(HttpServerTest, AnswersMalformedRequestsWith400AndClosesOnlyThatConnection) {
  auto server = StartServer();
  auto good = HttpClient::Create("127.0.0.1", server->port());
  ASSERT_TRUE(good->Send(Post("/a", ""), milliseconds(5000)).ok());

  auto bad = RawConnection::Connect(server->port());
  ASSERT_TRUE(bad->Send("GET / HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n"));
  bool closed = false;
  std::string response = bad->ReadUntilClose(&closed);
  EXPECT_EQ(response.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << response;
  EXPECT_NE(response.find("Connection: close\r\n"), std::string::npos);
  EXPECT_TRUE(closed);

  ASSERT_TRUE(good->Send(Post("/b", ""), milliseconds(5000)).ok());
  EXPECT_EQ(server->connections_accepted(), 2u);  // the good client kept its connection
  EXPECT_EQ(server->requests_rejected(), 1u);
}

TEST(HttpServerTest, AnswersAnOversizedHeaderSectionWith431) {
  HttpServerOptions options;
  options.limits.max_header_bytes = 256;
  auto server = StartServer(Echo, options);
  auto conn = RawConnection::Connect(server->port());
  ASSERT_TRUE(conn->Send("GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(400, 'a') + "\r\n\r\n"));
  bool closed = false;
  std::string response = conn->ReadUntilClose(&closed);
  EXPECT_EQ(response.rfind("HTTP/1.1 431 ", 0), 0u) << response;
}

TEST(HttpServerTest, AnswersSmugglingShapedFramingWith400) {
  auto server = StartServer();
  auto conn = RawConnection::Connect(server->port());
  ASSERT_TRUE(
      conn->Send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n"));
  bool closed = false;
  std::string response = conn->ReadUntilClose(&closed);
  EXPECT_EQ(response.rfind("HTTP/1.1 400 ", 0), 0u) << response;
  EXPECT_EQ(response.find("smuggled"), std::string::npos);
}

TEST(HttpServerTest, OmitsTheBodyOfHeadResponsesButKeepsItsLength) {
  auto server = StartServer();
  auto client = HttpClient::Create("127.0.0.1", server->port());
  HttpRequest head;
  head.method = "HEAD";
  head.target = "/abc";
  StatusOr<HttpResponse> response = client->Send(head, milliseconds(5000));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body, "");
  EXPECT_EQ(response->headers.Get("content-length"), "5");  // "/abc|"
  // The connection stays in step: the next request works on it.
  ASSERT_TRUE(client->Send(Post("/next", ""), milliseconds(5000)).ok());
  EXPECT_EQ(server->connections_accepted(), 1u);
}

TEST(HttpServerTest, ClosesAfterAnHttp10Request) {
  auto server = StartServer();
  auto conn = RawConnection::Connect(server->port());
  ASSERT_TRUE(conn->Send("GET /old HTTP/1.0\r\n\r\n"));
  bool closed = false;
  std::string response = conn->ReadUntilClose(&closed);
  EXPECT_TRUE(closed);
  EXPECT_NE(response.find("/old|"), std::string::npos);
}

TEST(HttpServerTest, ClosesConnectionsIdleLongerThanTheTimeout) {
  HttpServerOptions options;
  options.idle_timeout = milliseconds(100);
  auto server = StartServer(Echo, options);
  auto conn = RawConnection::Connect(server->port());
  bool closed = false;
  conn->ReadUntilClose(&closed, milliseconds(3000));
  EXPECT_TRUE(closed);
}

TEST(HttpServerTest, ClientReconnectsAfterTheServerClosedAnIdleConnection) {
  HttpServerOptions options;
  options.idle_timeout = milliseconds(50);
  auto server = StartServer(Echo, options);
  auto client = HttpClient::Create("127.0.0.1", server->port());
  ASSERT_TRUE(client->Send(Post("/1", ""), milliseconds(5000)).ok());
  std::this_thread::sleep_for(milliseconds(300));
  StatusOr<HttpResponse> second = client->Send(Post("/2", ""), milliseconds(5000));
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(server->connections_accepted(), 2u);
}

TEST(HttpServerTest, AnswersAThrowingHandlerWith500) {
  auto server = StartServer([](const HttpRequest&) -> HttpResponse { throw 1; });
  auto client = HttpClient::Create("127.0.0.1", server->port());
  StatusOr<HttpResponse> response = client->Send(Post("/", ""), milliseconds(5000));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 500);
}

TEST(HttpServerTest, StopFinishesTheRequestInFlight) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto server = StartServer([&](const HttpRequest& r) {
    entered.set_value();
    released.wait();
    return Echo(r);
  });
  auto client = HttpClient::Create("127.0.0.1", server->port());
  auto pending = std::async(std::launch::async,
                            [&] { return client->Send(Post("/slow", "x"), milliseconds(5000)); });
  entered.get_future().wait();
  auto stopping = std::async(std::launch::async, [&] { server->Stop(); });
  EXPECT_EQ(stopping.wait_for(milliseconds(100)), std::future_status::timeout);
  release.set_value();
  stopping.get();
  StatusOr<HttpResponse> response = pending.get();
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body, "/slow|x");
  EXPECT_EQ(response->headers.Get("connection"), "close");
}

TEST(HttpServerTest, StopClosesIdleConnectionsAndRefusesNewOnes) {
  auto server = StartServer();
  uint16_t port = server->port();
  auto idle = RawConnection::Connect(port);
  std::this_thread::sleep_for(milliseconds(50));
  server->Stop();
  bool closed = false;
  idle->ReadUntilClose(&closed, milliseconds(2000));
  EXPECT_TRUE(closed);
  EXPECT_EQ(RawConnection::Connect(port), nullptr);
  server->Stop();  // idempotent
}

TEST(HttpServerTest, ServesManyClientsConcurrentlyOnSeveralThreads) {
  HttpServerOptions options;
  options.threads = 2;
  auto server = StartServer(Echo, options);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      auto client = HttpClient::Create("127.0.0.1", server->port());
      for (int i = 0; i < 50; ++i) {
        std::string body = std::to_string(t) + "-" + std::to_string(i);
        StatusOr<HttpResponse> r = client->Send(Post("/", body), milliseconds(5000));
        if (r.ok() && r->body == "/|" + body) ok.fetch_add(1);
      }
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_EQ(server->connections_accepted(), 4u);
}

TEST(HttpServerTest, RejectsAnInvalidListenAddress) {
  HttpServerOptions options;
  options.host = "not an address";
  EXPECT_EQ(HttpServer::Start(options, Echo).status().code(), StatusCode::kInvalidArgument);
}

TEST(HttpServerTest, ReportsAPortInUseAsUnavailable) {
  auto first = StartServer();
  HttpServerOptions options;
  options.port = first->port();
  EXPECT_EQ(HttpServer::Start(options, Echo).status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace tracewire::net
