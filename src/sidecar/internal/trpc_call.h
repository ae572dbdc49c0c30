// One proxied tRPC unary call between the downstream session that read it and the upstream
// connection that carries it, and how it ends (span status and attributes, metrics, the bytes
// that go back downstream).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sidecar/internal/listener_context.h"
#include "trace/sdk/span.h"

namespace tracewire::sidecar::internal {

// The downstream side of calls: where their response frames go.
class CallOwner {
 public:
  virtual ~CallOwner() = default;
  // Queues one whole response frame for the downstream connection.
  virtual void WriteResponse(std::string_view frame) = 0;
};

struct PendingCall {
  std::weak_ptr<CallOwner> owner;
  uint32_t downstream_id = 0;
  uint32_t call_type = 0;
  trace::Span span;
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point deadline;
};

// Ends `call`: response attributes and status on the span (ERROR when ret != 0 or
// func_ret != 0), the listener's request/error counters and latency. `response_bytes` 0 when
// the sidecar answered itself.
void FinishCall(ListenerContext& ctx, PendingCall& call, int32_t ret, int32_t func_ret,
                std::string_view error_msg, size_t response_bytes);

// Answers `call` downstream with a framework error `ret` (111 connect, 141 network, 101
// timeout) written by the sidecar, and finishes it.
void FailCall(ListenerContext& ctx, PendingCall& call, int32_t ret, std::string_view error_msg);

}  // namespace tracewire::sidecar::internal
