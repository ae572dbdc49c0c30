#include "trpc_echo_load_options.h"

#include <gtest/gtest.h>

namespace tracewire::bench {
namespace {

TEST(ParseAddressTest, SplitsHostAndPort) {
  LoadOptions o;
  ASSERT_TRUE(ParseAddress("127.0.0.1:8000", &o).ok());
  EXPECT_EQ(o.host, "127.0.0.1");
  EXPECT_EQ(o.port, 8000);
}

TEST(ParseAddressTest, StripsTheBracketsOfAnIpv6Host) {
  LoadOptions o;
  ASSERT_TRUE(ParseAddress("[::1]:9", &o).ok());
  EXPECT_EQ(o.host, "::1");
  EXPECT_EQ(o.port, 9);
}

TEST(ParseAddressTest, RejectsMissingOrBadPorts) {
  LoadOptions o;
  EXPECT_FALSE(ParseAddress("localhost", &o).ok());
  EXPECT_FALSE(ParseAddress("localhost:", &o).ok());
  EXPECT_FALSE(ParseAddress("localhost:0", &o).ok());
  EXPECT_FALSE(ParseAddress("localhost:70000", &o).ok());
  EXPECT_FALSE(ParseAddress("localhost:80x", &o).ok());
}

TEST(ValidateLoadOptionsTest, OpenLoopNeedsARate) {
  LoadOptions o;
  o.port = 1;
  o.mode = LoadMode::kOpen;
  const Status st = ValidateLoadOptions(o);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("--rate"), std::string::npos);
  o.rate = 1000;
  EXPECT_TRUE(ValidateLoadOptions(o).ok());
}

TEST(ValidateLoadOptionsTest, ClosedLoopNeedsAPipelineOfAtLeastOne) {
  LoadOptions o;
  o.port = 1;
  o.pipeline = 0;
  EXPECT_FALSE(ValidateLoadOptions(o).ok());
  o.pipeline = 4;
  EXPECT_TRUE(ValidateLoadOptions(o).ok());
}

TEST(ValidateLoadOptionsTest, HttpNeedsAnOriginFormPath) {
  LoadOptions o;
  o.port = 1;
  o.protocol = LoadProtocol::kHttp;
  EXPECT_TRUE(ValidateLoadOptions(o).ok());
  for (const char* bad : {"", "echo", "/a b", "/a\r\nX: y"}) {
    o.path = bad;
    const Status st = ValidateLoadOptions(o);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(st.message().find("--path"), std::string::npos);
  }
}

}  // namespace
}  // namespace tracewire::bench
