// Client: calls one tRPC address over a small pool of connections, many calls in flight per
// connection matched by request id. Connections open lazily and reopen after a failure.
// Framework failures come back as CallResult.ret: 101 timeout, 111 connect error, 141 network
// error, 121/122 encode/decode error; nothing throws.
#pragma once

#include <chrono>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "trace/sdk/context_scope.h"
#include "trace/span_context.h"
#include "trpc/call_context.h"
#include "trpc/filter.h"
#include "trpc/frame_format.h"
#include "trpc/trans_info.h"

namespace tracewire::trpc {

struct ClientOptions {
  std::string address;     // "host:port"
  std::string caller;      // RequestProtocol.caller when no CallContext gives one
  std::string callee;      // default RequestProtocol.callee, e.g. "trpc.test.echo.Echo"
  size_t connections = 1;  // pool size; calls go round-robin
  int io_threads = 1;
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds timeout{5000};       // per call, unless the call sets one
  size_t max_frame_size = kDefaultMaxFrameSize;  // bytes, both directions
  size_t max_pending_per_connection = 65536;     // further calls fail with 124 (overload)
  ClientFilters filters;
};

struct CallRequest {
  std::string func;    // "/pkg.Service/Method"
  std::string callee;  // empty: ClientOptions::callee
  std::string body;
  std::string attachment;
  uint32_t content_type = kContentTypeProto;
  TransInfo trans_info;                  // this call's metadata, over the inherited trans_info
  std::chrono::milliseconds timeout{0};  // 0: ClientOptions::timeout; capped by the deadline
  bool oneway = false;
  // Trace parent, trans_info to forward, caller name and deadline. nullptr: the thread's
  // CurrentCallContext() at the time of the call, if any.
  const CallContext* parent = nullptr;
};

struct CallResult {
  int32_t ret = 0;       // RetCode, from the server or the client
  int32_t func_ret = 0;  // business code from the server
  std::string error_msg;
  std::string body;
  std::string attachment;
  TransInfo trans_info;  // the response's
  uint32_t content_type = 0;
  trace::SpanContext client_span;  // the CLIENT span, when a tracing filter made one
  bool ok() const { return ret == 0 && func_ret == 0; }
};

// One outbound call as the client filters see it.
class ClientCall : public FilterStateSlots {
 public:
  virtual ~ClientCall() = default;
  // The request as it will be encoded; trans_info already merges the parent's with the call's.
  virtual CallRequest& request() = 0;
  // The parent resolved at call time (explicit or current), or nullptr.
  virtual const CallContext* parent() const = 0;
  // The caller's trace context: parent()->trace, else trace::CurrentContext() at call time.
  virtual const trace::Context& trace_parent() const = 0;
  // Address the client targets, and the connected peer (empty/0 until connected).
  virtual const std::string& target_host() const = 0;
  virtual uint16_t target_port() const = 0;
  virtual const std::string& peer_address() const = 0;
  virtual uint16_t peer_port() const = 0;
  virtual CallResult& result() = 0;
};

class Client {
 public:
  using Callback = std::function<void(CallResult)>;

  // Validates the options (InvalidArgument naming the bad one) and starts the io threads; does
  // not connect.
  static StatusOr<std::unique_ptr<Client>> Create(ClientOptions options);

  // Fails calls still pending with 141 and joins the io threads.
  virtual ~Client() = default;

  // Starts a call; never blocks. `done` runs exactly once: on an io thread, or on the calling
  // thread when a filter stops the call.
  virtual void AsyncCall(CallRequest request, Callback done) = 0;

  // Blocks until the call completes. REQUIRES: not on one of this client's io threads.
  virtual CallResult Call(CallRequest request) = 0;

  // co_await client.CoCall(std::move(request)) -> CallResult; resumes on an io thread (the
  // trace::Task type restores the trace context there).
  class CallAwaiter {
   public:
    CallAwaiter(Client& client, CallRequest request)
        : client_(client), request_(std::move(request)), trace_(trace::CurrentContext()) {}
    bool await_ready() const noexcept { return false; }
    // NOLINTNEXTLINE: out of line on purpose (clang 16 coroutine bug, see context_task.h).
    [[gnu::noinline]] void await_suspend(std::coroutine_handle<> handle);
    [[gnu::noinline]] CallResult await_resume() { return std::move(result_); }

   private:
    Client& client_;
    CallRequest request_;
    trace::Context trace_;  // the caller's, captured at CoCall (a Task hides it in await_suspend)
    CallResult result_;
  };
  CallAwaiter CoCall(CallRequest request) { return CallAwaiter(*this, std::move(request)); }
};

}  // namespace tracewire::trpc
