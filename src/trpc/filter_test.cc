// Filter chains on both sides: order, kStop, and per-call filter state.
#include "trpc/filter.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "trpc/internal/runtime_test_util.h"
#include "trpc/ret_code.h"

namespace tracewire::trpc {
namespace {

using testing::EchoHandler;
using testing::EchoRequest;
using testing::kEcho;

struct Log {
  std::mutex mu;
  std::vector<std::string> events;
  void Add(std::string e) {
    std::lock_guard lock(mu);
    events.push_back(std::move(e));
  }
  std::vector<std::string> Get() {
    std::lock_guard lock(mu);
    return events;
  }
};

template <typename Base, typename Call>
struct Recorder : Base {
  Recorder(Log& log, std::string name, bool stop) : log(log), name(std::move(name)), stop(stop) {}
  FilterStatus OnRequest(Call& call) override {
    log.Add(name + ".request");
    if (!stop) return FilterStatus::kContinue;
    RejectCall(call);
    return FilterStatus::kStop;
  }
  void OnResponse(Call&) override { log.Add(name + ".response"); }
  static void RejectCall(ServerCall& call) {
    call.response().ret = kRetServerAuthError;
    call.response().error_msg = "denied";
  }
  static void RejectCall(ClientCall& call) {
    call.result().ret = kRetClientValidateError;
    call.result().error_msg = "denied";
  }
  Log& log;
  std::string name;
  bool stop;
};
using ServerRecorder = Recorder<ServerFilter, ServerCall>;
using ClientRecorder = Recorder<ClientFilter, ClientCall>;

TEST(FilterTest, ServerFiltersWrapTheHandlerInOrderAndUnwindInReverse) {
  Log log;
  ServerOptions options;
  options.filters = {std::make_shared<ServerRecorder>(log, "a", false),
                     std::make_shared<ServerRecorder>(log, "b", false)};
  Handler handler = SyncHandler([&](ServerCall&) { log.Add("handler"); });
  auto server = testing::StartServer({{std::string(kEcho), handler}}, options);
  auto client = testing::MakeClient(server->port());
  EXPECT_EQ(client->Call(EchoRequest("x")).ret, 0);
  EXPECT_EQ(log.Get(), (std::vector<std::string>{"a.request", "b.request", "handler", "b.response",
                                                 "a.response"}));
}

TEST(FilterTest, AServerFilterThatStopsSkipsTheHandlerAndLaterFilters) {
  Log log;
  ServerOptions options;
  options.filters = {std::make_shared<ServerRecorder>(log, "a", false),
                     std::make_shared<ServerRecorder>(log, "b", true),
                     std::make_shared<ServerRecorder>(log, "c", false)};
  Handler handler = SyncHandler([&](ServerCall&) { log.Add("handler"); });
  auto server = testing::StartServer({{std::string(kEcho), handler}}, options);
  auto client = testing::MakeClient(server->port());
  CallResult result = client->Call(EchoRequest("x"));
  EXPECT_EQ(result.ret, kRetServerAuthError);
  EXPECT_EQ(result.error_msg, "denied");
  EXPECT_EQ(log.Get(),
            (std::vector<std::string>{"a.request", "b.request", "b.response", "a.response"}));
}

TEST(FilterTest, ServerFiltersSeeAnUnknownFunc) {
  Log log;
  ServerOptions options;
  options.filters = {std::make_shared<ServerRecorder>(log, "a", false)};
  auto server = testing::StartServer({{std::string(kEcho), EchoHandler()}}, options);
  auto client = testing::MakeClient(server->port());
  CallRequest request = EchoRequest("x");
  request.func = "/x.Y/Z";
  EXPECT_EQ(client->Call(std::move(request)).ret, kRetServerNoFunc);
  EXPECT_EQ(log.Get(), (std::vector<std::string>{"a.request", "a.response"}));
}

TEST(FilterTest, ClientFiltersWrapTheCallInOrderAndUnwindInReverse) {
  Log log;
  auto server = testing::StartServer({{std::string(kEcho), EchoHandler()}});
  ClientOptions options;
  options.filters = {std::make_shared<ClientRecorder>(log, "a", false),
                     std::make_shared<ClientRecorder>(log, "b", false)};
  auto client = testing::MakeClient(server->port(), options);
  EXPECT_EQ(client->Call(EchoRequest("x")).ret, 0);
  EXPECT_EQ(log.Get(),
            (std::vector<std::string>{"a.request", "b.request", "b.response", "a.response"}));
}

TEST(FilterTest, AClientFilterThatStopsSendsNothingAndCompletesOnTheCallingThread) {
  Log log;
  auto server = testing::StartServer({{std::string(kEcho), EchoHandler()}});
  ClientOptions options;
  options.filters = {std::make_shared<ClientRecorder>(log, "a", false),
                     std::make_shared<ClientRecorder>(log, "b", true),
                     std::make_shared<ClientRecorder>(log, "c", false)};
  auto client = testing::MakeClient(server->port(), options);
  std::thread::id callback_thread;
  CallResult result;
  client->AsyncCall(EchoRequest("x"), [&](CallResult r) {
    callback_thread = std::this_thread::get_id();
    result = std::move(r);
  });
  EXPECT_TRUE(callback_thread == std::this_thread::get_id());
  EXPECT_EQ(result.ret, kRetClientValidateError);
  EXPECT_EQ(log.Get(),
            (std::vector<std::string>{"a.request", "b.request", "b.response", "a.response"}));
  EXPECT_EQ(server->stats().requests, 0u);
}

struct Counter : FilterState {
  int value = 0;
};

TEST(FilterStateSlotsTest, KeepsOneStatePerOwnerAndReplacesIt) {
  FilterStateSlots slots;
  int owner_a = 0, owner_b = 0;
  EXPECT_EQ(slots.GetFilterState(&owner_a), nullptr);
  auto first = std::make_unique<Counter>();
  first->value = 1;
  slots.SetFilterState(&owner_a, std::move(first));
  auto second = std::make_unique<Counter>();
  second->value = 2;
  slots.SetFilterState(&owner_b, std::move(second));
  auto replacement = std::make_unique<Counter>();
  replacement->value = 3;
  slots.SetFilterState(&owner_a, std::move(replacement));
  EXPECT_EQ(static_cast<Counter*>(slots.GetFilterState(&owner_a))->value, 3);
  EXPECT_EQ(static_cast<Counter*>(slots.GetFilterState(&owner_b))->value, 2);
}

}  // namespace
}  // namespace tracewire::trpc
