// The asynchronous side of HttpServer: HttpAsyncHandler, HttpResponder, pipelining limits,
// per-route body limits.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "net/http_client.h"
#include "net/http_router.h"
#include "net/http_server.h"
#include "net/testing/raw_tcp.h"

namespace tracewire::net {
namespace {

using std::chrono::milliseconds;
using testing::RawConnection;

// Keeps every responder until the test answers them.
class HeldRequests {
 public:
  void Add(HttpRequest request, HttpResponder responder) {
    std::lock_guard lock(mu_);
    held_.push_back({std::move(request), std::move(responder)});
    cv_.notify_all();
  }
  // Waits until `n` requests are held (false after 5 s).
  bool WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(5), [&] { return held_.size() >= n; });
  }
  size_t size() {
    std::lock_guard lock(mu_);
    return held_.size();
  }
  // Answers request i with its target as the body.
  void Answer(size_t i) {
    std::lock_guard lock(mu_);
    HttpResponse response;
    response.body = held_[i].first.target;
    held_[i].second.Respond(std::move(response));
  }
  void Drop() {
    std::lock_guard lock(mu_);
    held_.clear();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::pair<HttpRequest, HttpResponder>> held_;
};

std::unique_ptr<HttpServer> StartAsync(HeldRequests& held, HttpServerOptions options = {}) {
  auto server = HttpServer::Start(std::move(options), [&held](HttpRequest r, HttpResponder w) {
    held.Add(std::move(r), std::move(w));
  });
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return server.ok() ? std::move(*server) : nullptr;
}

std::string Get(std::string_view target) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: h\r\n\r\n";
}

TEST(HttpServerAsyncTest, AnswersFromAnotherThreadAfterTheHandlerReturned) {
  HeldRequests held;
  auto server = StartAsync(held);
  auto client = HttpClient::Create("127.0.0.1", server->port());
  std::thread answerer([&] {
    ASSERT_TRUE(held.WaitFor(1));
    held.Answer(0);
  });
  HttpRequest request;
  request.target = "/later";
  StatusOr<HttpResponse> response = client->Send(request, milliseconds(5000));
  answerer.join();
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "/later");
}

TEST(HttpServerAsyncTest, KeepsRequestOrderWhenAnswersComeBackwards) {
  HeldRequests held;
  auto server = StartAsync(held);
  auto conn = RawConnection::Connect(server->port());
  ASSERT_TRUE(conn->Send(Get("/1") + Get("/2") + Get("/3")));
  ASSERT_TRUE(held.WaitFor(3));  // all three dispatched before any answer
  held.Answer(2);
  held.Answer(1);
  held.Answer(0);
  std::string all = conn->ReadUntil("/3");
  size_t a = all.find("/1");
  size_t b = all.find("/2");
  size_t c = all.find("/3");
  ASSERT_NE(c, std::string::npos) << all;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST(HttpServerAsyncTest, PausesAConnectionAtMaxPipelinedRequests) {
  HeldRequests held;
  HttpServerOptions options;
  options.max_pipelined_requests = 4;
  auto server = StartAsync(held, options);
  auto conn = RawConnection::Connect(server->port());
  std::string many;
  for (int i = 0; i < 10; ++i) many += Get("/" + std::to_string(i));
  ASSERT_TRUE(conn->Send(many));
  ASSERT_TRUE(held.WaitFor(4));
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(held.size(), 4u);  // the rest waits
  for (size_t answered = 0; answered < 10; ++answered) {
    ASSERT_TRUE(held.WaitFor(answered + 1));
    held.Answer(answered);
  }
  std::string all = conn->ReadUntil("/9");
  EXPECT_NE(all.find("/9"), std::string::npos) << all;
  EXPECT_EQ(held.size(), 10u);
}

TEST(HttpServerAsyncTest, AnswersManyConcurrentClientsOutOfOrder) {
  HeldRequests held;
  HttpServerOptions options;
  options.threads = 2;
  auto server = StartAsync(held, options);
  constexpr int kClients = 16;
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      auto client = HttpClient::Create("127.0.0.1", server->port());
      HttpRequest request;
      request.target = "/c" + std::to_string(i);
      StatusOr<HttpResponse> response = client->Send(request, milliseconds(5000));
      if (response.ok() && response->body == request.target) ok.fetch_add(1);
    });
  }
  ASSERT_TRUE(held.WaitFor(kClients));  // every request in flight at once
  for (int i = kClients - 1; i >= 0; --i) held.Answer(i);
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), kClients);
}

TEST(HttpServerAsyncTest, AnswersARequestNobodyAnsweredWith500) {
  auto server = HttpServer::Start({}, [](HttpRequest, HttpResponder) {});
  ASSERT_TRUE(server.ok());
  auto client = HttpClient::Create("127.0.0.1", (*server)->port());
  StatusOr<HttpResponse> response = client->Send(HttpRequest{}, milliseconds(5000));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 500);
}

TEST(HttpServerAsyncTest, IgnoresASecondAnswer) {
  auto server = HttpServer::Start({}, [](HttpRequest, HttpResponder w) {
    HttpResponse first;
    first.status = 201;
    w.Respond(first);
    HttpResponse second;
    second.status = 202;
    w.Respond(second);
  });
  ASSERT_TRUE(server.ok());
  auto client = HttpClient::Create("127.0.0.1", (*server)->port());
  for (int i = 0; i < 2; ++i) {
    StatusOr<HttpResponse> response = client->Send(HttpRequest{}, milliseconds(5000));
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->status, 201);
  }
}

TEST(HttpServerAsyncTest, DropsAnswersForClosedConnectionsAndStoppedServers) {
  HeldRequests held;
  HttpServerOptions options;
  options.stop_grace = milliseconds(100);
  auto server = StartAsync(held, options);
  {
    auto conn = RawConnection::Connect(server->port());
    ASSERT_TRUE(conn->Send(Get("/gone")));
    ASSERT_TRUE(held.WaitFor(1));
  }  // the client hangs up
  std::this_thread::sleep_for(milliseconds(20));
  held.Answer(0);  // no one to answer: dropped
  auto conn = RawConnection::Connect(server->port());
  ASSERT_TRUE(conn->Send(Get("/late")));
  ASSERT_TRUE(held.WaitFor(2));
  server.reset();  // stop_grace passes with /late unanswered
  held.Answer(1);  // after the server is gone: dropped, no crash
  held.Drop();
}

TEST(HttpServerAsyncTest, StopWaitsForPendingAnswers) {
  HeldRequests held;
  auto server = StartAsync(held);
  auto client = HttpClient::Create("127.0.0.1", server->port());
  StatusOr<HttpResponse> response = InternalError("not sent");
  std::thread sender([&] {
    HttpRequest request;
    request.target = "/pending";
    response = client->Send(request, milliseconds(5000));
  });
  ASSERT_TRUE(held.WaitFor(1));
  std::thread answerer([&] {
    std::this_thread::sleep_for(milliseconds(100));
    held.Answer(0);
  });
  server->Stop();
  answerer.join();
  sender.join();
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body, "/pending");
  EXPECT_EQ(response->headers.Get("connection"), "close");
}

TEST(HttpServerAsyncTest, AppliesABodyLimitPerRoute) {
  auto router = std::make_shared<HttpRouter>();
  router->Handle(
      "POST", "/small", [](const HttpRequest&) { return HttpResponse{}; }, 4);
  router->HandleAsync("POST", "/big", [](HttpRequest r, HttpResponder w) {
    HttpResponse response;
    response.body = std::to_string(r.body.size());
    w.Respond(std::move(response));
  });
  HttpServerOptions options;
  options.limits.max_body_bytes = 100;
  options.body_limit = [router](const HttpRequest& head, size_t fallback) {
    return router->BodyLimitFor(head, fallback);
  };
  auto server = HttpServer::Start(
      options, [router](HttpRequest r, HttpResponder w) { router->Dispatch(std::move(r), w); });
  ASSERT_TRUE(server.ok());
  auto client = HttpClient::Create("127.0.0.1", (*server)->port());
  HttpRequest big;
  big.method = "POST";
  big.target = "/big";
  big.body = std::string(50, 'x');
  StatusOr<HttpResponse> response = client->Send(big, milliseconds(5000));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->body, "50");
  big.target = "/small";
  response = client->Send(big, milliseconds(5000));
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 413);
}

}  // namespace
}  // namespace tracewire::net
