// The thread-local current Context and its RAII Scope.
//
// Each thread has one current Context (initially empty). A Scope installs a Context for its
// lifetime and restores the previous one when destroyed; Scopes must be destroyed in reverse
// order of creation on the thread that created them (plain block scoping does this).
// For carrying the current Context across Asio handlers and C++20 coroutines, see
// asio_context.h and context_task.h.
#pragma once

#include "trace/context.h"

namespace tracewire::trace {

// The calling thread's current Context. The reference stays valid until the current Context
// of this thread changes (a Scope is created or destroyed, SwapCurrentContext is called).
const Context& CurrentContext();

// Makes `ctx` the calling thread's current Context and returns the previous one. The building
// block of Scope and of the async wrappers; prefer Scope in ordinary code.
Context SwapCurrentContext(Context ctx);

class [[nodiscard]] Scope {
 public:
  explicit Scope(Context ctx) : previous_(SwapCurrentContext(std::move(ctx))) {}
  ~Scope() { SwapCurrentContext(std::move(previous_)); }

  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  Scope(Scope&&) = delete;
  Scope& operator=(Scope&&) = delete;

 private:
  Context previous_;
};

}  // namespace tracewire::trace
