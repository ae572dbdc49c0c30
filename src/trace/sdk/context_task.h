// Task: a tiny fire-and-forget C++20 coroutine type that keeps its own current Context.
//
// The problem: a coroutine suspends on one thread and resumes on another (or on the same
// thread after unrelated work ran), so the thread-local current Context cannot simply be
// left installed. The rule Task implements:
//   - When created, the coroutine captures the creator's current Context.
//   - Whenever the coroutine body runs (first run and every resumption) its Context is the
//     thread's current one; the resuming thread's own Context is saved aside.
//   - Whenever it suspends or finishes, the Context the body had at that moment is kept in
//     the coroutine frame (so Scopes opened inside the body survive a co_await) and the
//     resuming thread's saved Context is put back.
// Every co_await inside a Task goes through Promise::await_transform, which wraps the
// awaiter so await_suspend/await_resume do the swaps above; nothing else is needed from the
// awaited types. Proof sketch: the body runs only between an await_resume (or the start)
// and the next await_suspend (or final_suspend); those are exactly the points that install
// and remove the Context, on the thread executing them.
//
// Asio awaiters for use inside a Task: AsioOp (any async operation taking a completion
// handler) and PostTo (hop to an executor). Example:
//   Task Worker(asio::steady_timer& t) {
//     co_await PostTo(t.get_executor());
//     auto ec = co_await AsioOp<asio::error_code>([&](auto h) { t.async_wait(std::move(h)); });
//   }
// Compiler note: clang (through at least 17) may touch the coroutine frame, or reuse a
// thread_local address computed before the suspension, after await_suspend has handed the
// coroutine to another thread (llvm-project issues 65018, 72006, 63022). So every
// await_suspend here is [[gnu::noinline]], and ContextAwaiter runs the wrapped awaiter's
// await_suspend inside its own non-inlined one; the 5000-task test in
// async_context_test.cc hangs or corrupts Asio's queues without this.
// Only awaiter objects (await_ready/await_suspend/await_resume) can be co_awaited; a Task is
// not itself awaitable. Task starts eagerly and destroys its frame when it finishes; it must not
// throw (an escaping exception terminates, as everywhere on tracewire's data paths).
#pragma once

#include <asio/post.hpp>
#include <coroutine>
#include <exception>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "trace/context.h"
#include "trace/sdk/context_scope.h"

namespace tracewire::trace {

class Task {
 public:
  struct promise_type;

 private:
  // Adapts any awaiter so the coroutine's Context is removed from the thread while it is
  // suspended and re-installed when it resumes.
  template <typename Awaiter>
  struct ContextAwaiter {
    Awaiter inner;
    promise_type* promise;

    bool await_ready() { return inner.await_ready(); }
    template <typename H>
    [[gnu::noinline]] auto await_suspend(H h) {
      promise->Leave();
      using R = decltype(inner.await_suspend(h));
      if constexpr (std::is_same_v<R, bool>) {
        const bool suspended = inner.await_suspend(h);
        if (!suspended) promise->Enter();
        return suspended;
      } else {
        return inner.await_suspend(h);
      }
    }
    decltype(auto) await_resume() {
      if (!promise->inside_) promise->Enter();
      return inner.await_resume();
    }
  };

 public:
  struct promise_type {
    Context ctx_;          // the body's Context while suspended
    Context resumer_ctx_;  // the resuming thread's Context while the body runs
    bool inside_ = false;

    promise_type() : ctx_(CurrentContext()) {}

    void Enter() {
      resumer_ctx_ = SwapCurrentContext(std::move(ctx_));
      inside_ = true;
    }
    void Leave() {
      ctx_ = SwapCurrentContext(std::move(resumer_ctx_));
      inside_ = false;
    }

    Task get_return_object() { return Task(); }
    auto initial_suspend() noexcept {
      struct EnterOnStart {
        promise_type* p;
        bool await_ready() noexcept { return true; }
        void await_suspend(std::coroutine_handle<>) noexcept {}
        void await_resume() noexcept { p->Enter(); }
      };
      return EnterOnStart{this};
    }
    auto final_suspend() noexcept {
      Leave();
      return std::suspend_never{};
    }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }

    template <typename A>
    auto await_transform(A&& a) {
      return ContextAwaiter<std::decay_t<A>>{std::forward<A>(a), this};
    }
  };
};

// Suspends the coroutine and resumes it on `executor` (through asio::post).
template <typename Executor>
auto PostTo(Executor executor) {
  struct Awaiter {
    Executor ex;
    bool await_ready() { return false; }
    [[gnu::noinline]] void await_suspend(std::coroutine_handle<> h) {
      asio::post(ex, [h]() mutable { h.resume(); });
    }
    void await_resume() {}
  };
  return Awaiter{std::move(executor)};
}

// Starts an Asio async operation and resumes the coroutine from its completion handler.
// `initiate` is called with the completion handler; the co_await yields the handler's
// argument (for a single Result) or a std::tuple<Results...>.
template <typename... Results, typename Initiate>
auto AsioOp(Initiate initiate) {
  using Value = std::conditional_t<sizeof...(Results) == 1,
                                   std::tuple_element_t<0, std::tuple<Results..., void>>,
                                   std::tuple<Results...>>;
  struct Awaiter {
    Initiate init;
    std::optional<Value> result;
    bool await_ready() { return false; }
    [[gnu::noinline]] void await_suspend(std::coroutine_handle<> h) {
      init([this, h](Results... r) mutable {
        result.emplace(std::move(r)...);
        h.resume();
      });
    }
    Value await_resume() { return std::move(result).value(); }
  };
  return Awaiter{std::move(initiate), std::nullopt};
}

}  // namespace tracewire::trace
