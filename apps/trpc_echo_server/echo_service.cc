#include "apps/trpc_echo_server/echo_service.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <utility>

#include "apps/trpc_echo_server/delayed_replies.h"

namespace tracewire::apps {
namespace {

constexpr int kMaxSleepMs = 60'000;

std::string TransInfoJson(const trpc::TransInfo& info) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, value] : info) j[key] = value;
  // Values are bytes: anything not UTF-8 (a raw grpc-trace-bin) is shown with U+FFFD.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

EchoService::EchoService(trpc::Client* downstream, std::shared_ptr<spdlog::logger> logger)
    : downstream_(downstream),
      logger_(std::move(logger)),
      delayed_(std::make_unique<DelayedReplies>()) {}

EchoService::~EchoService() = default;

void EchoService::Forward(const std::shared_ptr<trpc::ServerCall>& call) {
  trpc::CallRequest request;
  request.func = std::string(call->head().func);
  request.callee = kEchoService;
  request.body = std::string(call->body());
  request.content_type = call->head().content_type;
  request.parent = &call->context();
  // The answer arrives on a client thread, maybe after this call's deadline: Reply(Response).
  downstream_->AsyncCall(std::move(request), [call](trpc::CallResult result) {
    trpc::Response rsp;
    rsp.ret = result.ret;
    rsp.func_ret = result.func_ret;
    rsp.error_msg = std::move(result.error_msg);
    rsp.body = std::move(result.body);
    rsp.content_type = result.content_type;
    call->Reply(std::move(rsp));
  });
}

std::unordered_map<std::string, trpc::Handler> EchoService::Handlers() {
  std::unordered_map<std::string, trpc::Handler> handlers;
  const std::string prefix = std::string("/") + kEchoService + "/";

  handlers[prefix + "Echo"] = [this](const std::shared_ptr<trpc::ServerCall>& call) {
    if (downstream_ != nullptr) return Forward(call);
    call->response().body.assign(call->body());
    call->Reply();
  };
  handlers[prefix + "Fail"] = trpc::SyncHandler([this](trpc::ServerCall& call) {
    if (logger_) logger_->warn("Fail called by \"{}\": answering func_ret 1", call.head().caller);
    call.response().func_ret = 1;
    call.response().error_msg = "echo: failure requested";
  });
  handlers[prefix + "Meta"] = [this](const std::shared_ptr<trpc::ServerCall>& call) {
    if (downstream_ != nullptr) return Forward(call);
    call->response().body = TransInfoJson(call->context().trans_info);
    call->response().content_type = trpc::kContentTypeJson;
    call->Reply();
  };
  handlers[prefix + "Sleep"] = [this](const std::shared_ptr<trpc::ServerCall>& call) {
    std::string_view text = call->body();
    int ms = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec != std::errc() || end != text.data() + text.size() || ms < 0 || ms > kMaxSleepMs) {
      call->response().func_ret = 2;
      call->response().error_msg = "echo: Sleep wants a body of 0..60000 (ms)";
      call->Reply();
      return;
    }
    call->response().body.assign(text);
    delayed_->At(DelayedReplies::Clock::now() + std::chrono::milliseconds(ms),
                 [call] { call->Reply(); });
  };
  return handlers;
}

}  // namespace tracewire::apps
