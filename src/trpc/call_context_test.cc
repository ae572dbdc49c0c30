#include "trpc/call_context.h"

#include <gtest/gtest.h>

#include "trace/sdk/context_scope.h"
#include "trace/sdk/id_generator.h"

namespace tracewire::trpc {
namespace {

trace::Context NewTrace() {
  return trace::Context().WithSpanContext(trace::SpanContext(
      trace::NewRandomTraceId(), trace::NewRandomSpanId(), trace::TraceFlags(1), false));
}

TEST(CallContextScopeTest, InstallsTheCallContextAndItsTraceAndRestoresBoth) {
  CallContext outer;
  outer.trace = NewTrace();
  CallContext inner;
  inner.trace = NewTrace();
  EXPECT_EQ(CurrentCallContext(), nullptr);
  {
    CallContextScope a(&outer);
    EXPECT_EQ(CurrentCallContext(), &outer);
    EXPECT_EQ(trace::CurrentContext(), outer.trace);
    {
      CallContextScope b(&inner);
      EXPECT_EQ(CurrentCallContext(), &inner);
      EXPECT_EQ(trace::CurrentContext(), inner.trace);
    }
    EXPECT_EQ(CurrentCallContext(), &outer);
    EXPECT_EQ(trace::CurrentContext(), outer.trace);
  }
  EXPECT_EQ(CurrentCallContext(), nullptr);
  EXPECT_EQ(trace::CurrentContext(), trace::Context());
}

TEST(CallContextScopeTest, ANullScopeClearsTheCurrentCallContext) {
  CallContext ctx;
  ctx.trace = NewTrace();
  CallContextScope a(&ctx);
  {
    CallContextScope none(nullptr);
    EXPECT_EQ(CurrentCallContext(), nullptr);
    EXPECT_EQ(trace::CurrentContext(), trace::Context());
  }
  EXPECT_EQ(CurrentCallContext(), &ctx);
}

}  // namespace
}  // namespace tracewire::trpc
