// CallContext: what an RPC hands on to the calls it makes (trpc-go's ctx): the trace context,
// the inbound trans_info that flows downstream, the caller's own service name and the deadline.
// The server creates one per inbound call; a client call made with it (explicitly, or as the
// thread's current CallContext) inherits all four.
#pragma once

#include <chrono>
#include <string>

#include "trace/context.h"
#include "trpc/trans_info.h"

namespace tracewire::trpc {

struct CallContext {
  using Clock = std::chrono::steady_clock;

  trace::Context trace;      // the SERVER span's context once the tracing filter ran
  TransInfo trans_info;      // inbound trans_info, forwarded to downstream calls
  std::string service_name;  // this service: the inbound callee, the outbound caller
  Clock::time_point deadline = Clock::time_point::max();  // max() = none
};

// The calling thread's current CallContext, or nullptr. Set by the server while a handler (and
// the filters around it) run synchronously on an event-loop thread.
const CallContext* CurrentCallContext();

// Installs `ctx` as the current CallContext for its lifetime (nullptr clears it) and makes
// ctx->trace the current trace::Context. Scopes nest; destroy them in reverse order on the thread
// that made them. `ctx` must outlive the scope.
class [[nodiscard]] CallContextScope {
 public:
  explicit CallContextScope(const CallContext* ctx);
  ~CallContextScope();
  CallContextScope(const CallContextScope&) = delete;
  CallContextScope& operator=(const CallContextScope&) = delete;

 private:
  const CallContext* previous_;
  trace::Context previous_trace_;
};

}  // namespace tracewire::trpc
