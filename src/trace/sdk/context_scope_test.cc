#include "trace/sdk/context_scope.h"

#include <gtest/gtest.h>

#include <thread>

#include "trace/sdk/id_generator.h"

namespace tracewire::trace {
namespace {

Context ContextOf(TraceId t) {
  return Context().WithSpanContext(SpanContext(t, NewRandomSpanId(), TraceFlags(1), false));
}

TEST(ContextScopeTest, CurrentContextStartsEmpty) { EXPECT_EQ(CurrentContext(), Context()); }

TEST(ContextScopeTest, ScopeInstallsAndRestores) {
  const Context c = ContextOf(NewRandomTraceId());
  {
    Scope scope(c);
    EXPECT_EQ(CurrentContext(), c);
  }
  EXPECT_EQ(CurrentContext(), Context());
}

TEST(ContextScopeTest, NestedScopesRestoreInReverseOrder) {
  const Context outer = ContextOf(NewRandomTraceId());
  const Context inner = ContextOf(NewRandomTraceId());
  Scope a(outer);
  {
    Scope b(inner);
    EXPECT_EQ(CurrentContext(), inner);
  }
  EXPECT_EQ(CurrentContext(), outer);
}

TEST(ContextScopeTest, EachThreadHasItsOwnCurrentContext) {
  const Context c = ContextOf(NewRandomTraceId());
  Scope scope(c);
  Context seen_elsewhere = c;
  std::thread([&] { seen_elsewhere = CurrentContext(); }).join();
  EXPECT_EQ(seen_elsewhere, Context());
  EXPECT_EQ(CurrentContext(), c);
}

TEST(ContextScopeTest, SwapReturnsThePreviousContext) {
  const Context c = ContextOf(NewRandomTraceId());
  Context previous = SwapCurrentContext(c);
  EXPECT_EQ(previous, Context());
  EXPECT_EQ(SwapCurrentContext(previous), c);
  EXPECT_EQ(CurrentContext(), Context());
}

}  // namespace
}  // namespace tracewire::trace
