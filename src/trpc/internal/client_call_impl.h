// Internal to the client: one outbound call, its resolved parent and its completion.
// Thread-safety: prepared and filtered on the calling thread, then owned by one connection's
// loop; completes exactly once (atomic flag), on that loop or on the calling thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "trpc/client.h"

namespace tracewire::trpc::internal {

// What every call of one Client shares; immutable after Create except the id counter.
struct ClientShared {
  ClientOptions options;
  std::string host;
  uint16_t port = 0;
  std::atomic<uint32_t> next_request_id{1};

  uint32_t NewRequestId() {
    uint32_t id = next_request_id.fetch_add(1, std::memory_order_relaxed);
    return id != 0 ? id : next_request_id.fetch_add(1, std::memory_order_relaxed);  // never 0
  }
};

class ClientCallImpl final : public ClientCall {
 public:
  using Clock = std::chrono::steady_clock;

  ClientCallImpl(ClientShared& shared, CallRequest request, Client::Callback done);

  // Calling thread: resolves the parent (explicit or current), merges trans_info, fills callee,
  // computes the effective timeout and deadline. Returns false when the parent's deadline has
  // already passed (the call must fail with 101 without being sent).
  bool Prepare();

  CallRequest& request() override { return request_; }
  const CallContext* parent() const override { return parent_ ? &*parent_ : nullptr; }
  const trace::Context& trace_parent() const override { return trace_parent_; }
  const std::string& target_host() const override { return shared_.host; }
  uint16_t target_port() const override { return shared_.port; }
  const std::string& peer_address() const override { return peer_address_; }
  uint16_t peer_port() const override { return peer_port_; }
  CallResult& result() override { return result_; }

  uint32_t request_id() const { return request_id_; }
  uint32_t timeout_ms() const { return timeout_ms_; }
  Clock::time_point deadline() const { return deadline_; }
  std::string_view caller() const { return caller_; }
  void set_filters_ran(size_t n) { filters_ran_ = n; }
  void set_peer(const std::string& address, uint16_t port) {
    peer_address_ = address;
    peer_port_ = port;
  }

  // Sets the framework code and message (the rest of result() is left as is) and completes.
  void Fail(int32_t ret, std::string message);
  // Runs OnResponse of the filters that ran (reverse order), then the callback. Once.
  void Complete();

 private:
  ClientShared& shared_;  // the Client outlives its calls' completion
  CallRequest request_;
  Client::Callback done_;
  std::optional<CallContext> parent_;  // a copy: the caller's CallContext may be gone
  trace::Context trace_parent_;
  std::string_view caller_;
  std::string peer_address_;
  uint16_t peer_port_ = 0;
  CallResult result_;
  uint32_t request_id_ = 0;
  uint32_t timeout_ms_ = 0;
  Clock::time_point deadline_;
  size_t filters_ran_ = 0;
  std::atomic<bool> completed_{false};
};

}  // namespace tracewire::trpc::internal
