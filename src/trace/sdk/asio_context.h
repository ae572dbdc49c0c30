// Keeping the current Context across Asio handlers.
//
// Asio runs a handler on whichever thread calls io_context::run, long after the code that
// started the operation returned, so the thread-local current Context at call time is
// unrelated to the operation. BindContext(handler) captures the caller's current Context when
// it is called and, when the handler runs, installs that Context for the duration of the
// call and restores the running thread's previous Context afterwards:
//
//   asio::post(io, BindContext([] { /* CurrentContext() is the poster's */ }));
//   timer.async_wait(BindContext([](asio::error_code ec) { ... }));
//
// The wrapper forwards every associated characteristic (executor, allocator, cancellation
// slot) of the wrapped handler to Asio, so BindContext(bind_executor(strand, h)) still runs
// on the strand. Thread-safety: the wrapper is a value; it may be moved to and invoked on
// any thread, once or many times.
#pragma once

#include <asio/associator.hpp>
#include <type_traits>
#include <utility>

#include "trace/context.h"
#include "trace/sdk/context_scope.h"

namespace tracewire::trace {

template <typename Handler>
class ContextBoundHandler {
 public:
  ContextBoundHandler(Context ctx, Handler handler)
      : ctx_(std::move(ctx)), handler_(std::move(handler)) {}

  template <typename... Args>
  decltype(auto) operator()(Args&&... args) {
    Scope scope(ctx_);
    return handler_(std::forward<Args>(args)...);
  }
  template <typename... Args>
  decltype(auto) operator()(Args&&... args) const {
    Scope scope(ctx_);
    return handler_(std::forward<Args>(args)...);
  }

  const Context& context() const { return ctx_; }
  const Handler& get() const { return handler_; }
  Handler& get() { return handler_; }

 private:
  Context ctx_;
  Handler handler_;
};

// Wraps `handler` with the calling thread's current Context.
template <typename Handler>
ContextBoundHandler<std::decay_t<Handler>> BindContext(Handler&& handler) {
  return ContextBoundHandler<std::decay_t<Handler>>(CurrentContext(),
                                                    std::forward<Handler>(handler));
}

// Wraps `handler` with an explicit Context.
template <typename Handler>
ContextBoundHandler<std::decay_t<Handler>> BindContext(Context ctx, Handler&& handler) {
  return ContextBoundHandler<std::decay_t<Handler>>(std::move(ctx), std::forward<Handler>(handler));
}

}  // namespace tracewire::trace

namespace asio {

// Forwards associated_executor, associated_allocator, ... to the wrapped handler.
template <template <typename, typename> class Associator, typename Handler,
          typename DefaultCandidate>
struct associator<Associator, tracewire::trace::ContextBoundHandler<Handler>, DefaultCandidate> {
  using type = typename Associator<Handler, DefaultCandidate>::type;

  static type get(const tracewire::trace::ContextBoundHandler<Handler>& h,
                  const DefaultCandidate& c = DefaultCandidate()) noexcept {
    return Associator<Handler, DefaultCandidate>::get(h.get(), c);
  }
};

}  // namespace asio
