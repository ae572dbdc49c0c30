// Server behaviours, driven through the Client (and raw sockets where the client would hide
// what the server sends).
#include "trpc/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "net/testing/raw_tcp.h"
#include "trpc/internal/runtime_test_util.h"
#include "trpc/ret_code.h"

namespace tracewire::trpc {
namespace {

using namespace std::chrono_literals;
using testing::EchoHandler;
using testing::EchoRequest;
using testing::kEcho;
using testing::MakeClient;
using testing::StartServer;

TEST(ServerTest, EchoesARequestBodyBackToTheClient) {
  auto server = StartServer({{std::string(kEcho), EchoHandler()}});
  auto client = MakeClient(server->port());
  CallResult result = client->Call(EchoRequest("hello"));
  EXPECT_EQ(result.ret, 0) << result.error_msg;
  EXPECT_EQ(result.body, "hello");
  EXPECT_EQ(server->stats().requests, 1u);
}

TEST(ServerTest, MatchesAThousandConcurrentCallsOnOneConnection) {
  auto server = StartServer({{std::string(kEcho), EchoHandler()}});
  auto client = MakeClient(server->port());
  constexpr int kCalls = 1000;
  std::atomic<int> matched{0};
  std::atomic<int> finished{0};
  std::promise<void> all_done;
  for (int i = 0; i < kCalls; ++i) {
    std::string body = "call-" + std::to_string(i);
    client->AsyncCall(EchoRequest(body), [&, body](const CallResult& result) {
      if (result.ret == 0 && result.body == body) matched.fetch_add(1);
      if (finished.fetch_add(1) + 1 == kCalls) all_done.set_value();
    });
  }
  ASSERT_EQ(all_done.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_EQ(matched.load(), kCalls);
  EXPECT_EQ(server->stats().connections_accepted, 1u);
}

TEST(ServerTest, SpreadsConnectionsOverTwoEventLoops) {
  std::mutex mu;
  std::set<std::thread::id> threads;
  Handler record = SyncHandler([&](ServerCall& call) {
    std::lock_guard lock(mu);
    threads.insert(std::this_thread::get_id());
  });
  ServerOptions options;
  options.threads = 2;
  auto server = StartServer({{std::string(kEcho), record}}, options);
  ClientOptions client_options;
  client_options.connections = 2;
  auto client = MakeClient(server->port(), client_options);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(client->Call(EchoRequest("x")).ret, 0);
  EXPECT_EQ(server->stats().connections_accepted, 2u);
  std::lock_guard lock(mu);
  EXPECT_EQ(threads.size(), 2u);
}

TEST(ServerTest, AnswersAnUnknownFuncWith12NamingIt) {
  auto server = StartServer({{std::string(kEcho), EchoHandler()}});
  auto client = MakeClient(server->port());
  CallRequest request = EchoRequest("x");
  request.func = "/trpc.test.echo.Echo/Nope";
  CallResult result = client->Call(std::move(request));
  EXPECT_EQ(result.ret, kRetServerNoFunc);
  EXPECT_NE(result.error_msg.find("/trpc.test.echo.Echo/Nope"), std::string::npos);
}

TEST(ServerTest, AnswersALateHandlerWith21AndIgnoresItsLaterReply) {
  std::promise<bool> late_reply;
  std::thread worker;
  Handler slow = [&](const std::shared_ptr<ServerCall>& call) {
    worker = std::thread([&late_reply, call] {
      std::this_thread::sleep_for(200ms);
      // Touching response() here would race with the server's 21 answer: after the deadline a
      // handler replies with its own Response (ServerCall's contract).
      Response late;
      late.body = "too late";
      late_reply.set_value(call->Reply(std::move(late)));
    });
  };
  auto server = StartServer({{std::string(kEcho), slow}});
  auto raw = net::testing::RawConnection::Connect(server->port());
  ASSERT_TRUE(raw->Send(testing::RequestFrameBytes(7, kEcho, "x", /*timeout_ms=*/30)));
  std::string buffer, bytes;
  ResponseFrame frame;
  ASSERT_TRUE(testing::ReadResponseFrame(raw->fd(), &buffer, &bytes, &frame));
  EXPECT_EQ(frame.head.request_id, 7u);
  EXPECT_EQ(frame.head.ret, kRetServerTimeout);
  EXPECT_FALSE(late_reply.get_future().get()) << "the late Reply must report it was ignored";
  worker.join();
  EXPECT_FALSE(testing::ReadResponseFrame(raw->fd(), &buffer, &bytes, &frame, 100ms))
      << "nothing is sent for the late reply";
  EXPECT_EQ(server->stats().timeouts, 1u);
}

TEST(ServerTest, EchoesTheRequestsTransInfoUnderTheResponsesOwn) {
  auto server = StartServer({{std::string(kEcho), SyncHandler([](ServerCall& call) {
                                call.response().trans_info["shared"] = "from-response";
                                call.response().trans_info["reply-only"] = "r";
                              })}});
  auto client = MakeClient(server->port());
  CallRequest request = EchoRequest("x");
  request.trans_info = {{"shared", "from-request"}, {"user", "42"}};
  CallResult result = client->Call(std::move(request));
  ASSERT_EQ(result.ret, 0) << result.error_msg;
  EXPECT_EQ(result.trans_info,
            (TransInfo{{"reply-only", "r"}, {"shared", "from-response"}, {"user", "42"}}));
}

TEST(ServerTest, RepliesWithAResponseBuiltOffTheLoopThread) {
  std::thread worker;
  Handler later = [&](const std::shared_ptr<ServerCall>& call) {
    worker = std::thread([call] {
      Response rsp;
      rsp.body = "built elsewhere";
      rsp.func_ret = 3;
      EXPECT_TRUE(call->Reply(std::move(rsp)));
      EXPECT_FALSE(call->Reply()) << "a call completes once";
    });
  };
  auto server = StartServer({{std::string(kEcho), later}});
  auto client = MakeClient(server->port());
  CallResult result = client->Call(EchoRequest("x"));
  worker.join();
  EXPECT_EQ(result.body, "built elsewhere");
  EXPECT_EQ(result.func_ret, 3);
}

TEST(ServerTest, RunsOnewayCallsWithoutAnsweringThem) {
  std::promise<std::string> seen;
  Handler oneway = SyncHandler([&](ServerCall& call) {
    EXPECT_TRUE(call.oneway());
    seen.set_value(std::string(call.body()));
  });
  auto server = StartServer({{std::string(kEcho), oneway}});
  auto raw = net::testing::RawConnection::Connect(server->port());
  RequestHead head;
  head.request_id = 3;
  head.call_type = kCallTypeOneway;
  head.func = kEcho;
  std::string frame;
  ASSERT_EQ(AppendRequestFrame(head, "fire", {}, kDefaultMaxFrameSize, &frame), CodecError::kOk);
  ASSERT_TRUE(raw->Send(frame));
  auto future = seen.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(future.get(), "fire");
  bool closed = false;
  EXPECT_EQ(raw->ReadUntilClose(&closed, 200ms), "") << "no response for a oneway call";
}

TEST(ServerTest, AnswersAThrowingHandlerWith31AndMarksTheCall) {
  struct Seen : ServerFilter {
    FilterStatus OnRequest(ServerCall&) override { return FilterStatus::kContinue; }
    void OnResponse(ServerCall& call) override {
      threw = call.handler_threw();
      type = call.exception_type();
      message = call.exception_message();
    }
    std::atomic<bool> threw{false};
    std::string type, message;
  };
  auto seen = std::make_shared<Seen>();
  Handler thrower = SyncHandler([](ServerCall&) { throw std::runtime_error("boom"); });
  ServerOptions options;
  options.filters = {seen};
  auto server = StartServer({{std::string(kEcho), thrower}}, options);
  auto client = MakeClient(server->port());
  CallResult result = client->Call(EchoRequest("x"));
  EXPECT_EQ(result.ret, kRetServerSystemError);
  EXPECT_NE(result.error_msg.find("boom"), std::string::npos);
  EXPECT_TRUE(seen->threw.load());
  EXPECT_EQ(seen->type, "std::runtime_error");
  EXPECT_EQ(seen->message, "boom");
}

TEST(ServerTest, ClosesAConnectionIdleLongerThanTheIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = 50ms;
  auto server = StartServer({{std::string(kEcho), EchoHandler()}}, options);
  auto raw = net::testing::RawConnection::Connect(server->port());
  bool closed = false;
  raw->ReadUntilClose(&closed, 2s);
  EXPECT_TRUE(closed);
}

TEST(ServerTest, ShutdownLetsACallInFlightFinish) {
  std::promise<std::shared_ptr<ServerCall>> started;
  Handler park = [&](std::shared_ptr<ServerCall> call) { started.set_value(std::move(call)); };
  auto server = StartServer({{std::string(kEcho), park}});
  auto client = MakeClient(server->port());
  std::promise<CallResult> done;
  client->AsyncCall(EchoRequest("x"), [&](CallResult r) { done.set_value(std::move(r)); });
  std::shared_ptr<ServerCall> call = started.get_future().get();
  std::thread replier([call] {
    std::this_thread::sleep_for(100ms);
    call->response().body = "finished";
    call->Reply();
  });
  server->Shutdown(5s);  // returns once the in-flight call was answered and its connection closed
  replier.join();
  CallResult result = done.get_future().get();
  EXPECT_EQ(result.ret, 0) << result.error_msg;
  EXPECT_EQ(result.body, "finished");
  EXPECT_EQ(client->Call(EchoRequest("again")).ret, kRetClientConnectError);
  server->Shutdown(0ms);  // idempotent
}

// Keeps the calls it gets; the test replies.
struct Parked {
  std::mutex mu;
  std::vector<std::shared_ptr<ServerCall>> calls;
  Handler handler() {
    return [this](std::shared_ptr<ServerCall> call) {
      std::lock_guard lock(mu);
      calls.push_back(std::move(call));
    };
  }
  size_t size() {
    std::lock_guard lock(mu);
    return calls.size();
  }
  std::shared_ptr<ServerCall> at(size_t i) {
    std::lock_guard lock(mu);
    return calls.at(i);
  }
};

TEST(ServerTest, AnswersRequestsArrivingDuringDrainWith22) {
  Parked parked;
  auto server = StartServer({{std::string(kEcho), parked.handler()}});
  auto raw = net::testing::RawConnection::Connect(server->port());
  ASSERT_TRUE(raw->Send(testing::RequestFrameBytes(1, kEcho, "first")));
  while (parked.size() < 1) std::this_thread::sleep_for(1ms);
  std::thread shutdown([&] { server->Shutdown(5s); });
  std::this_thread::sleep_for(50ms);  // the drain has begun
  ASSERT_TRUE(raw->Send(testing::RequestFrameBytes(2, kEcho, "second")));
  std::string buffer, bytes;
  ResponseFrame frame;
  ASSERT_TRUE(testing::ReadResponseFrame(raw->fd(), &buffer, &bytes, &frame));
  EXPECT_EQ(frame.head.request_id, 2u);
  EXPECT_EQ(frame.head.ret, kRetServerOverload);
  parked.at(0)->Reply();
  ASSERT_TRUE(testing::ReadResponseFrame(raw->fd(), &buffer, &bytes, &frame));
  EXPECT_EQ(frame.head.request_id, 1u);
  EXPECT_EQ(frame.head.ret, 0);
  shutdown.join();
  EXPECT_EQ(parked.size(), 1u) << "no handler ran for the request that came during the drain";
}

TEST(ServerTest, PausesReadingAtTheInFlightLimitAndResumesAfterAReply) {
  Parked parked;
  ServerOptions options;
  options.max_in_flight_per_connection = 2;
  auto server = StartServer({{std::string(kEcho), parked.handler()}}, options);
  auto raw = net::testing::RawConnection::Connect(server->port());
  ASSERT_TRUE(raw->Send(testing::RequestFrameBytes(1, kEcho, "a") +
                        testing::RequestFrameBytes(2, kEcho, "b") +
                        testing::RequestFrameBytes(3, kEcho, "c")));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(parked.size(), 2u);
  parked.at(0)->Reply();
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (parked.size() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(parked.size(), 3u);
}

TEST(ServerTest, RejectsInvalidOptions) {
  ServerOptions options;
  options.threads = 0;
  EXPECT_FALSE(Server::Start(options, {}).ok());
  EXPECT_FALSE(Server::Start(ServerOptions{}, {{"/a/b", Handler()}}).ok());
}

}  // namespace
}  // namespace tracewire::trpc
