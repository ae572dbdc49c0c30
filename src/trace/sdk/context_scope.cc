#include "trace/sdk/context_scope.h"

#include <utility>

namespace tracewire::trace {
namespace {
thread_local Context tls_current;
}  // namespace

const Context& CurrentContext() { return tls_current; }

Context SwapCurrentContext(Context ctx) {
  std::swap(tls_current, ctx);
  return ctx;
}

}  // namespace tracewire::trace
