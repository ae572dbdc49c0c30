// One tRPC unary call between the downstream session that made it (a tRPC session, or an HTTP
// session transcoding) and the upstream connection that carries it, and how a proxied tRPC
// call ends (span status and attributes, metrics).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "sidecar/internal/listener_context.h"
#include "trace/propagation/text_map.h"
#include "trace/sdk/span.h"
#include "trpc/frame_codec.h"

namespace tracewire::sidecar::internal {

struct PendingCall;

// The downstream side of calls. Loop-thread only.
class CallOwner {
 public:
  virtual ~CallOwner() = default;
  // The upstream answered: `rsp` decoded from `frame` (its bytes, with the upstream's request
  // id). Views valid during the call only.
  virtual void CallAnswered(PendingCall& call, const trpc::ResponseFrame& rsp,
                            std::string_view frame) = 0;
  // The sidecar could not complete the call: `ret` 111 (connect), 141 (connection lost or a
  // malformed response), 101 (past the deadline).
  virtual void CallFailed(PendingCall& call, int32_t ret, std::string_view error_msg) = 0;
};

struct PendingCall {
  std::shared_ptr<CallOwner> owner;  // kept alive until the call ends (bounded by the deadline)
  ListenerContext* listener = nullptr;
  uint32_t downstream_id = 0;
  uint32_t call_type = 0;
  trace::Span span;  // empty for transcoded calls: the HTTP session owns the span
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point deadline;
};

// Starts a listener's span named `name`: SERVER on inbound and edge listeners, CLIENT on
// outbound ones, parented on the context `carrier` holds (returned in *parent; none when
// null) and forced when it carries one of sampling.force's keys. HOT PATH.
trace::Span StartListenerSpan(const ListenerContext& ctx, std::string_view name,
                              const trace::TextMapCarrier* carrier, trace::Context* parent);

// Starts the span of a tRPC call or stream named `func` (SERVER on inbound and edge listeners,
// CLIENT on outbound ones), parented on the context in `trans_info` (returned in *parent) and
// forced when it carries one of sampling.force's keys. HOT PATH.
trace::Span StartTrpcSpan(const ListenerContext& ctx, std::string_view func,
                          const trpc::TransInfoView& trans_info, trace::Context* parent);

// rpc.system, rpc.service, rpc.method (from `func`), trpc.caller_service,
// trpc.callee_service, trpc.callee_method on a recording `span`.
void SetTrpcCallAttributes(trace::Span& span, std::string_view func, std::string_view caller,
                           std::string_view callee);

// The result attributes of a tRPC call on `span` (trpc.status_code, trpc.status_type,
// trpc.status_msg, trpc.response_size when `response_bytes` > 0) and ERROR when ret or
// func_ret is non-zero.
void SetTrpcResult(trace::Span& span, int32_t ret, int32_t func_ret, std::string_view error_msg,
                   size_t response_bytes);

// The listener's tRPC counters and latency for `call`. Called before its answer is written,
// so a client that got the answer sees it counted.
void CountCall(const PendingCall& call, int32_t ret, int32_t func_ret);

// SetTrpcResult on the span of `call`, then ends it. `response_bytes` 0 when the sidecar
// answered itself.
void EndCallSpan(PendingCall& call, int32_t ret, int32_t func_ret, std::string_view error_msg,
                 size_t response_bytes);

// CountCall, then EndCallSpan.
void FinishCall(PendingCall& call, int32_t ret, int32_t func_ret, std::string_view error_msg,
                size_t response_bytes);

}  // namespace tracewire::sidecar::internal
