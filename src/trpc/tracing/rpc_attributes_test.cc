#include "trpc/tracing/rpc_attributes.h"

#include <gtest/gtest.h>

namespace tracewire::trpc::internal {
namespace {

TEST(SplitFuncTest, SplitsServiceAndMethod) {
  FuncParts p = SplitFunc("/trpc.test.echo.Echo/Echo");
  EXPECT_EQ(p.service, "trpc.test.echo.Echo");
  EXPECT_EQ(p.method, "Echo");
}

TEST(SplitFuncTest, AcceptsAFuncWithoutLeadingSlash) {
  FuncParts p = SplitFunc("pkg.Svc/Do");
  EXPECT_EQ(p.service, "pkg.Svc");
  EXPECT_EQ(p.method, "Do");
}

TEST(SplitFuncTest, TreatsAFuncWithoutSlashAsAMethod) {
  FuncParts p = SplitFunc("Ping");
  EXPECT_EQ(p.service, "");
  EXPECT_EQ(p.method, "Ping");
}

TEST(StatusCodeTest, PrefersTheFrameworkCode) {
  EXPECT_EQ(StatusCode(12, 0), 12);
  EXPECT_EQ(StatusCode(0, 7), 7);
  EXPECT_EQ(StatusCode(21, 7), 21);
  EXPECT_EQ(StatusType(0, 0), 0);
  EXPECT_EQ(StatusType(12, 0), 1);
  EXPECT_EQ(StatusType(0, 3), 2);
}

}  // namespace
}  // namespace tracewire::trpc::internal
