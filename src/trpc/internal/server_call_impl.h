// Internal to the server: the ServerCall of one inbound unary request. Owns a copy of its frame
// bytes; head(), body() and attachment() are views into that copy.
// Thread-safety: created, dispatched and written on its connection's loop; Reply() and the
// completion that follows may run on any thread, exactly once (guarded by an atomic flag).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "trpc/frame_codec.h"
#include "trpc/server_call.h"

namespace tracewire::trpc::internal {

class ServerConnection;
struct ServerShared;

class ServerCallImpl final : public ServerCall,
                             public std::enable_shared_from_this<ServerCallImpl> {
 public:
  using Clock = std::chrono::steady_clock;

  ServerCallImpl(std::shared_ptr<ServerConnection> connection, std::string_view frame);

  // Decodes the owned frame copy. On kOk, fills the CallContext (trans_info copy, service
  // name, deadline = now + timeout) and the response defaults.
  CodecError Decode(const ServerShared& shared);

  const RequestHead& head() const override { return frame_view_.head; }
  std::string_view body() const override { return frame_view_.body; }
  std::string_view attachment() const override { return frame_view_.attachment; }
  const Endpoints& endpoints() const override;
  bool Reply() override;
  bool Reply(Response response) override;

  // Claims the completion; false when someone else already did.
  bool TryClaim() { return !completed_.exchange(true, std::memory_order_acq_rel); }
  bool completed() const { return completed_.load(std::memory_order_acquire); }
  // After a successful TryClaim: runs OnResponse of the filters that ran, then hands the
  // response to the connection.
  void Finish();
  // Loop thread: the request's timeout elapsed; answers 21 unless already completed.
  void TimeOut();
  // Loop thread: the handler threw. Answers 31 unless the call had already completed.
  void HandlerThrew(std::string type, std::string message);

  void set_filters_ran(size_t n) { filters_ran_ = n; }
  Clock::time_point deadline() const { return context_.deadline; }
  // Loop-thread bookkeeping of the deadline heap.
  bool tracked = false;

 private:
  std::shared_ptr<ServerConnection> connection_;
  std::string frame_;
  RequestFrame frame_view_;
  const ServerShared* shared_ = nullptr;  // kept alive by connection_
  size_t filters_ran_ = 0;
  std::atomic<bool> completed_{false};
};

// The name of the exception currently being handled, demangled ("std::runtime_error").
std::string DemangledTypeName(const std::type_info& type);

}  // namespace tracewire::trpc::internal
