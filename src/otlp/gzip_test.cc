#include "otlp/gzip.h"

#include <gtest/gtest.h>

#include <string>

#include "otlp/testing/test_spans.h"
#include "otlp/trace_proto_encoder.h"

namespace tracewire::otlp {
namespace {

TEST(GzipTest, AnEncodedRequestSurvivesARoundTrip) {
  testing::SpanSet set;
  testing::FillResourceAndScope(set);
  for (uint8_t i = 0; i < 50; ++i) set.spans.push_back(testing::FullSpan(set, i));
  TraceProtoEncoder encoder;
  std::string body, compressed, restored;
  ASSERT_TRUE(encoder.Encode(set.Pointers(), body).ok());
  ASSERT_TRUE(GzipCompress(body, compressed).ok());
  EXPECT_LT(compressed.size(), body.size());
  EXPECT_EQ(static_cast<uint8_t>(compressed[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<uint8_t>(compressed[1]), 0x8b);
  ASSERT_TRUE(GzipDecompress(compressed, restored, 1 << 20).ok());
  EXPECT_EQ(restored, body);
}

TEST(GzipTest, AnEmptyBodyRoundTrips) {
  std::string compressed, restored = "stale";
  ASSERT_TRUE(GzipCompress("", compressed).ok());
  ASSERT_TRUE(GzipDecompress(compressed, restored, 16).ok());
  EXPECT_TRUE(restored.empty());
}

TEST(GzipTest, ConcatenatedMembersDecompressToTheirConcatenation) {
  std::string a, b, restored;
  ASSERT_TRUE(GzipCompress("hello ", a).ok());
  ASSERT_TRUE(GzipCompress("world", b).ok());
  ASSERT_TRUE(GzipDecompress(a + b, restored, 1024).ok());
  EXPECT_EQ(restored, "hello world");
}

TEST(GzipTest, ATruncatedStreamIsDataLoss) {
  std::string compressed, restored;
  ASSERT_TRUE(GzipCompress(std::string(1000, 'x'), compressed).ok());
  compressed.resize(compressed.size() - 4);
  EXPECT_EQ(GzipDecompress(compressed, restored, 1 << 20).code(), StatusCode::kDataLoss);
}

TEST(GzipTest, GarbageIsDataLoss) {
  std::string restored;
  EXPECT_EQ(GzipDecompress("not gzip at all", restored, 1024).code(), StatusCode::kDataLoss);
  EXPECT_EQ(GzipDecompress("", restored, 1024).code(), StatusCode::kDataLoss);
}

TEST(GzipTest, OutputBeyondTheLimitIsResourceExhausted) {
  std::string compressed, restored;
  ASSERT_TRUE(GzipCompress(std::string(1 << 20, '\0'), compressed).ok());
  EXPECT_EQ(GzipDecompress(compressed, restored, 1000).code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(GzipDecompress(compressed, restored, 1 << 20).ok());
}

}  // namespace
}  // namespace tracewire::otlp
