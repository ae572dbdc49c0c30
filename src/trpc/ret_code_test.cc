#include "trpc/ret_code.h"

#include <gtest/gtest.h>

namespace tracewire::trpc {
namespace {

TEST(RetCode, DescribesFrameworkCodes) {
  EXPECT_EQ(RetCodeDescription(kRetOk), "ok");
  EXPECT_EQ(RetCodeDescription(kRetServerDecodeError), "server decode error");
  EXPECT_EQ(RetCodeDescription(kRetServerNoFunc), "server no such func");
  EXPECT_EQ(RetCodeDescription(kRetServerTimeout), "server timeout");
  EXPECT_EQ(RetCodeDescription(kRetClientInvokeTimeout), "client invoke timeout");
  EXPECT_EQ(RetCodeDescription(kRetClientConnectError), "client connect error");
  EXPECT_EQ(RetCodeDescription(kRetClientNetworkError), "client network error");
  EXPECT_EQ(RetCodeDescription(kRetUnknown), "unknown error");
}

TEST(RetCode, GivesEmptyDescriptionForUnknownCodes) {
  EXPECT_EQ(RetCodeDescription(3), "");
  EXPECT_EQ(RetCodeDescription(-1), "");
}

TEST(RetCode, UsesTheWireNumbersOfTrpcProto) {
  EXPECT_EQ(kRetServerNoFunc, 12);
  EXPECT_EQ(kRetServerTimeout, 21);
  EXPECT_EQ(kRetClientInvokeTimeout, 101);
  EXPECT_EQ(kRetClientConnectError, 111);
  EXPECT_EQ(kRetClientNetworkError, 141);
}

}  // namespace
}  // namespace tracewire::trpc
