#include "sidecar/sniff.h"

#include <gtest/gtest.h>

#include <string>

namespace tracewire::sidecar {
namespace {

TEST(SniffTest, TrpcMagicIsTrpc) {
  EXPECT_EQ(SniffProtocol(std::string("\x09\x30\x00\x00", 4)), SniffResult::kTrpc);
  EXPECT_EQ(SniffProtocol(std::string("\x09", 1)), SniffResult::kNeedMore);
  EXPECT_EQ(SniffProtocol(std::string("\x09\x31", 2)), SniffResult::kTcp);
}

TEST(SniffTest, HttpMethodsAreHttp) {
  EXPECT_EQ(SniffProtocol("GET / HTTP/1.1\r\n"), SniffResult::kHttp1);
  EXPECT_EQ(SniffProtocol("POST "), SniffResult::kHttp1);
  EXPECT_EQ(SniffProtocol("OPTIONS "), SniffResult::kHttp1);
  EXPECT_EQ(SniffProtocol("PO"), SniffResult::kNeedMore);
  EXPECT_EQ(SniffProtocol("CONNEC"), SniffResult::kNeedMore);
}

TEST(SniffTest, EverythingElseIsRelayed) {
  EXPECT_EQ(SniffProtocol("PRI * HTTP/2.0\r\n"), SniffResult::kTcp);            // HTTP/2 preface
  EXPECT_EQ(SniffProtocol(std::string("\x16\x03\x01", 3)), SniffResult::kTcp);  // TLS
  EXPECT_EQ(SniffProtocol("get / HTTP/1.1"), SniffResult::kTcp);  // methods are case-sensitive
  EXPECT_EQ(SniffProtocol("GETX"), SniffResult::kTcp);
  EXPECT_EQ(SniffProtocol(""), SniffResult::kNeedMore);
}

TEST(SniffTest, NeverNeedsMoreThanTheMaximum) {
  for (int b = 0; b < 256; ++b) {
    std::string input(kMaxSniffBytes, static_cast<char>(b));
    EXPECT_NE(SniffProtocol(input), SniffResult::kNeedMore) << b;
  }
  EXPECT_NE(SniffProtocol("CONNECT "), SniffResult::kNeedMore);
}

}  // namespace
}  // namespace tracewire::sidecar
