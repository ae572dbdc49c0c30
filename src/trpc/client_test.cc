// Client behaviours: failures mapped to their codes, oneway, propagation of the CallContext.
#include "trpc/client.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "net/testing/raw_tcp.h"
#include "trace/sdk/context_task.h"
#include "trace/sdk/id_generator.h"
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

// Keeps every call it gets without replying (until destroyed).
struct Parking {
  std::mutex mu;
  std::condition_variable arrived;
  std::vector<std::shared_ptr<ServerCall>> calls;
  Handler handler() {
    return [this](std::shared_ptr<ServerCall> call) {
      std::lock_guard lock(mu);
      calls.push_back(std::move(call));
      arrived.notify_all();
    };
  }
  // Waits (up to 5 s) until `n` calls are parked: a client's timeout can pass before a busy
  // server has read the request. Returns with `lock` held.
  void WaitFor(size_t n, std::unique_lock<std::mutex>& lock) {
    arrived.wait_for(lock, 5s, [&] { return calls.size() >= n; });
  }
};

TEST(ClientTest, TimesOutWith101WhenTheServerNeverAnswers) {
  Parking parking;
  auto server = StartServer({{std::string(kEcho), parking.handler()}});
  ClientOptions options;
  options.timeout = 50ms;
  auto client = MakeClient(server->port(), options);
  auto start = std::chrono::steady_clock::now();
  CallResult result = client->Call(EchoRequest("x"));
  EXPECT_EQ(result.ret, kRetClientInvokeTimeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 45ms);
  std::unique_lock lock(parking.mu);
  parking.WaitFor(1, lock);
  ASSERT_EQ(parking.calls.size(), 1u);
  EXPECT_EQ(parking.calls[0]->head().timeout_ms, 50u) << "the timeout travels in the request";
}

TEST(ClientTest, DropsAResponseThatArrivesAfterTheTimeout) {
  Parking parking;
  auto server = StartServer({{std::string(kEcho), parking.handler()}});
  ClientOptions options;
  options.timeout = 30ms;
  auto client = MakeClient(server->port(), options);
  EXPECT_EQ(client->Call(EchoRequest("x")).ret, kRetClientInvokeTimeout);
  {
    std::unique_lock lock(parking.mu);
    parking.WaitFor(1, lock);
    ASSERT_EQ(parking.calls.size(), 1u);
    parking.calls[0]->Reply();  // the late answer reaches the client and is dropped
  }
  CallRequest next = EchoRequest("y");
  next.func = "/none/none";
  EXPECT_EQ(client->Call(std::move(next)).ret, kRetServerNoFunc) << "the connection still works";
}

TEST(ClientTest, FailsWith111WhenNothingListens) {
  auto client = MakeClient(net::testing::UnusedPort());
  CallResult result = client->Call(EchoRequest("x"));
  EXPECT_EQ(result.ret, kRetClientConnectError);
  EXPECT_FALSE(result.error_msg.empty());
}

TEST(ClientTest, FailsWith141WhenTheServerClosesMidCallAndReconnectsAfter) {
  net::testing::ScriptedServer server([](int fd, int index) {
    char buf[256];
    (void)::recv(fd, buf, sizeof(buf), 0);  // take the request, then hang up
  });
  auto client = MakeClient(server.port());
  EXPECT_EQ(client->Call(EchoRequest("x")).ret, kRetClientNetworkError);
  EXPECT_EQ(client->Call(EchoRequest("x")).ret, kRetClientNetworkError);
  EXPECT_EQ(server.accepted(), 2) << "the second call opened a new connection";
}

// Reads one request frame from `fd` and returns its request id (0 on failure).
uint32_t ReadRequestId(int fd) {
  std::string buffer;
  char chunk[4096];
  while (true) {
    FrameHeader header;
    size_t size = 0;
    if (PeekFrame(buffer, kDefaultMaxFrameSize, &header, &size) == CodecError::kOk && size > 0) {
      RequestFrame frame;
      std::string_view whole = buffer;
      if (DecodeRequestFrame(whole.substr(0, size), kDefaultMaxFrameSize, &frame) !=
          CodecError::kOk) {
        return 0;
      }
      return frame.head.request_id;
    }
    ssize_t n = ::recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return 0;
    buffer.append(chunk, static_cast<size_t>(n));
  }
}

TEST(ClientTest, FailsWith122WhenTheResponseDoesNotDecode) {
  net::testing::ScriptedServer server([](int fd, int) {
    ResponseHead head;
    head.request_id = ReadRequestId(fd);
    head.attachment_size = 1000;  // past the end of the frame
    std::string proto;
    EncodeResponseHead(head, &proto);
    FrameHeader header;
    header.total_size = static_cast<uint32_t>(kFrameHeaderSize + proto.size());
    header.proto_header_size = static_cast<uint16_t>(proto.size());
    std::string frame(kFrameHeaderSize, '\0');
    EncodeFrameHeader(header, frame.data());
    net::testing::SendAll(fd, frame + proto);
    char buf[64];
    (void)::recv(fd, buf, sizeof(buf), 0);  // until the client closes
  });
  auto client = MakeClient(server.port());
  CallResult result = client->Call(EchoRequest("x"));
  EXPECT_EQ(result.ret, kRetClientDecodeError);
}

TEST(ClientTest, CompletesAOnewayCallOnceWritten) {
  std::promise<std::string> seen;
  auto server =
      StartServer({{std::string(kEcho),
                    SyncHandler([&](ServerCall& c) { seen.set_value(std::string(c.body())); })}});
  auto client = MakeClient(server->port());
  CallRequest request = EchoRequest("one way");
  request.oneway = true;
  EXPECT_EQ(client->Call(std::move(request)).ret, 0);
  auto future = seen.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(future.get(), "one way");
}

TEST(ClientTest, FailsARequestLargerThanTheMaximumFrameWith121) {
  auto server = StartServer({{std::string(kEcho), EchoHandler()}});
  ClientOptions options;
  options.max_frame_size = 1024;
  auto client = MakeClient(server->port(), options);
  EXPECT_EQ(client->Call(EchoRequest(std::string(2000, 'x'))).ret, kRetClientEncodeError);
  EXPECT_EQ(server->stats().requests, 0u);
}

// A two-hop chain: the client calls A, whose handler calls B with `call_b`.
struct Chain {
  std::mutex mu;
  TransInfo seen_by_b;
  std::string caller_seen_by_b;
  uint32_t timeout_seen_by_b = 0;
  std::unique_ptr<Server> b;
  std::unique_ptr<Client> to_b;
  std::unique_ptr<Server> a;

  explicit Chain(const std::function<void(ServerCall&, Client&)>& call_b) {
    b = StartServer({{std::string(kEcho), SyncHandler([this](ServerCall& call) {
                        std::lock_guard lock(mu);
                        seen_by_b = call.context().trans_info;
                        caller_seen_by_b = std::string(call.head().caller);
                        timeout_seen_by_b = call.head().timeout_ms;
                      })}});
    to_b = MakeClient(b->port());
    ServerOptions options;
    options.service_name = "trpc.test.a.A";
    a = StartServer({{std::string(kEcho),
                      SyncHandler([this, call_b](ServerCall& call) { call_b(call, *to_b); })}},
                    options);
  }
};

TEST(ClientTest, ForwardsTheInboundTransInfoToAnExplicitParentsDownstreamCall) {
  Chain chain([](ServerCall& call, Client& to_b) {
    CallRequest request = EchoRequest("down");
    request.parent = &call.context();
    request.trans_info["x"] = "2";  // the call's own entry wins
    call.response().ret = to_b.Call(std::move(request)).ret;
  });
  auto client = MakeClient(chain.a->port());
  CallRequest request = EchoRequest("up");
  request.trans_info = {{"k", "v"}, {"x", "1"}};
  EXPECT_EQ(client->Call(std::move(request)).ret, 0);
  std::lock_guard lock(chain.mu);
  EXPECT_EQ(chain.seen_by_b, (TransInfo{{"k", "v"}, {"x", "2"}}));
  EXPECT_EQ(chain.caller_seen_by_b, "trpc.test.a.A");
}

TEST(ClientTest, ForwardsTheInboundTransInfoThroughTheCurrentCallContext) {
  Chain chain([](ServerCall& call, Client& to_b) {
    call.response().ret = to_b.Call(EchoRequest("down")).ret;  // no explicit parent
  });
  auto client = MakeClient(chain.a->port());
  CallRequest request = EchoRequest("up");
  request.trans_info = {{"k", "v"}};
  EXPECT_EQ(client->Call(std::move(request)).ret, 0);
  std::lock_guard lock(chain.mu);
  EXPECT_EQ(chain.seen_by_b, (TransInfo{{"k", "v"}}));
}

TEST(ClientTest, CapsTheDownstreamTimeoutByTheInboundDeadline) {
  Chain chain([](ServerCall& call, Client& to_b) {
    CallRequest request = EchoRequest("down");
    request.timeout = 5000ms;
    call.response().ret = to_b.Call(std::move(request)).ret;
  });
  auto client = MakeClient(chain.a->port());
  CallRequest request = EchoRequest("up");
  request.timeout = 800ms;
  EXPECT_EQ(client->Call(std::move(request)).ret, 0);
  std::lock_guard lock(chain.mu);
  EXPECT_GT(chain.timeout_seen_by_b, 0u);
  EXPECT_LE(chain.timeout_seen_by_b, 800u);
}

TEST(ClientTest, FailsWith101WithoutSendingWhenTheParentDeadlinePassed) {
  auto server = StartServer({{std::string(kEcho), EchoHandler()}});
  auto client = MakeClient(server->port());
  CallContext parent;
  parent.deadline = CallContext::Clock::now() - 1ms;
  CallRequest request = EchoRequest("x");
  request.parent = &parent;
  EXPECT_EQ(client->Call(std::move(request)).ret, kRetClientInvokeTimeout);
  EXPECT_EQ(server->stats().requests, 0u);
}

// Records the trace parent each call saw.
struct TraceParentProbe : ClientFilter {
  FilterStatus OnRequest(ClientCall& call) override {
    seen = call.trace_parent();
    return FilterStatus::kContinue;
  }
  void OnResponse(ClientCall&) override {}
  trace::Context seen;
};

trace::Task CallFromTask(Client& client, std::promise<std::pair<CallResult, trace::Context>>& out) {
  CallResult result = co_await client.CoCall(EchoRequest("from a task"));
  out.set_value({std::move(result), trace::CurrentContext()});
}

TEST(ClientTest, CoCallInsideATaskKeepsTheTasksTraceContext) {
  auto server = StartServer({{std::string(kEcho), EchoHandler()}});
  auto probe = std::make_shared<TraceParentProbe>();
  ClientOptions options;
  options.filters = {probe};
  auto client = MakeClient(server->port(), options);
  const trace::Context ctx = trace::Context().WithSpanContext(trace::SpanContext(
      trace::NewRandomTraceId(), trace::NewRandomSpanId(), trace::TraceFlags(1), false));
  std::promise<std::pair<CallResult, trace::Context>> out;
  {
    trace::Scope scope(ctx);
    CallFromTask(*client, out);
  }
  auto [result, after] = out.get_future().get();
  EXPECT_EQ(result.body, "from a task");
  EXPECT_EQ(after, ctx) << "the task resumes with its own context";
  EXPECT_EQ(probe->seen, ctx) << "the call's trace parent is the task's context";
}

TEST(ClientTest, FailsCallsStillPendingWith141WhenDestroyed) {
  Parking parking;
  auto server = StartServer({{std::string(kEcho), parking.handler()}});
  auto client = MakeClient(server->port());
  std::promise<CallResult> done;
  client->AsyncCall(EchoRequest("x"), [&](CallResult r) { done.set_value(std::move(r)); });
  while (true) {
    std::lock_guard lock(parking.mu);
    if (!parking.calls.empty()) break;
  }
  client.reset();
  auto future = done.get_future();
  ASSERT_EQ(future.wait_for(0s), std::future_status::ready)
      << "completed before the destructor returned";
  EXPECT_EQ(future.get().ret, kRetClientNetworkError);
}

TEST(ClientTest, ReturnsTheResponsesTransInfoAndBusinessCode) {
  auto server = StartServer({{std::string(kEcho), SyncHandler([](ServerCall& call) {
                                call.response().func_ret = 7;
                                call.response().error_msg = "business says no";
                                call.response().trans_info["reply-key"] = "reply-value";
                              })}});
  auto client = MakeClient(server->port());
  CallResult result = client->Call(EchoRequest("x"));
  EXPECT_EQ(result.ret, 0);
  EXPECT_EQ(result.func_ret, 7);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.error_msg, "business says no");
  EXPECT_EQ(result.trans_info, (TransInfo{{"reply-key", "reply-value"}}));
}

TEST(ClientTest, RejectsAnAddressWithoutAPort) {
  ClientOptions options;
  options.address = "localhost";
  EXPECT_FALSE(Client::Create(options).ok());
}

}  // namespace
}  // namespace tracewire::trpc
