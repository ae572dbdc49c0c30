#include "trpc/call_context.h"

#include "trace/sdk/context_scope.h"

namespace tracewire::trpc {
namespace {

thread_local const CallContext* t_current_call = nullptr;

}  // namespace

const CallContext* CurrentCallContext() { return t_current_call; }

CallContextScope::CallContextScope(const CallContext* ctx)
    : previous_(t_current_call),
      previous_trace_(trace::SwapCurrentContext(ctx != nullptr ? ctx->trace : trace::Context())) {
  t_current_call = ctx;
}

CallContextScope::~CallContextScope() {
  t_current_call = previous_;
  trace::SwapCurrentContext(std::move(previous_trace_));
}

}  // namespace tracewire::trpc
