#include "trace/propagation/grpc_trace_bin.h"

#include <gtest/gtest.h>

#include <vector>

#include "trace/propagation/base64.h"
#include "trace/propagation/binary_propagator.h"
#include "trace/propagation/carriers.h"
#include "trace/propagation/test_util.h"

namespace tracewire::trace::propagation {
namespace {

using testing::ContextWith;

// The valid example of opencensus-specs encodings/BinaryEncoding.md.
std::vector<uint8_t> SpecExample() {
  return {0,  0,  75, 249, 47, 53,  119, 179, 77, 166, 163, 206, 146, 157, 0,
          14, 71, 54, 1,   52, 240, 103, 170, 11, 169, 2,   183, 2,   1};
}

TEST(GrpcTraceBinTest, DecodesTheSpecExample) {
  auto bin = DecodeGrpcTraceBin(SpecExample());
  ASSERT_TRUE(bin.ok()) << bin.status().ToString();
  EXPECT_EQ(bin->trace_id.ToHex(), "4bf92f3577b34da6a3ce929d000e4736");
  EXPECT_EQ(bin->span_id.ToHex(), "34f067aa0ba902b7");
  EXPECT_TRUE(bin->flags.sampled());
}

TEST(GrpcTraceBinTest, EncodeIsTheInverseOfDecode) {
  const std::vector<uint8_t> ex = SpecExample();
  auto bin = DecodeGrpcTraceBin(SpecExample());
  ASSERT_TRUE(bin.ok());
  std::string raw = EncodeGrpcTraceBin(bin->trace_id, bin->span_id, bin->flags, false);
  EXPECT_EQ(raw, std::string(ex.begin(), ex.end()));
}

TEST(GrpcTraceBinTest, OptionsAreOptionalAndDefaultToNotSampled) {
  const std::vector<uint8_t> ex = SpecExample();
  std::vector<uint8_t> v(ex.begin(), ex.begin() + 27);
  auto bin = DecodeGrpcTraceBin(v);
  ASSERT_TRUE(bin.ok());
  EXPECT_FALSE(bin->flags.sampled());
}

TEST(GrpcTraceBinTest, FieldsMayComeInAnyOrder) {
  const std::vector<uint8_t> ex = SpecExample();
  std::vector<uint8_t> v = {0, 2, 1};
  v.insert(v.end(), ex.begin() + 18, ex.begin() + 27);  // span id field
  v.insert(v.end(), ex.begin() + 1, ex.begin() + 18);   // trace id field
  auto bin = DecodeGrpcTraceBin(v);
  ASSERT_TRUE(bin.ok());
  EXPECT_EQ(bin->span_id.ToHex(), "34f067aa0ba902b7");
  EXPECT_TRUE(bin->flags.sampled());
}

TEST(GrpcTraceBinTest, AnUnknownFieldStopsDecodingWithoutError) {
  std::vector<uint8_t> v = SpecExample();
  v.push_back(7);  // unknown field id
  v.push_back(0);  // what follows is ignored, even a field id 0 cut short
  EXPECT_TRUE(DecodeGrpcTraceBin(v).ok());
}

TEST(GrpcTraceBinTest, RejectsOtherVersionsShortFieldsAndMissingIds) {
  const std::vector<uint8_t> ex = SpecExample();
  std::vector<uint8_t> v = SpecExample();
  v[0] = 1;
  EXPECT_FALSE(DecodeGrpcTraceBin(v).ok());
  EXPECT_FALSE(DecodeGrpcTraceBin(std::vector<uint8_t>(ex.begin(), ex.begin() + 20)).ok());
  EXPECT_FALSE(DecodeGrpcTraceBin(std::vector<uint8_t>(ex.begin(), ex.begin() + 18)).ok());
  EXPECT_FALSE(DecodeGrpcTraceBin(std::vector<uint8_t>()).ok());
}

TEST(GrpcTraceBinTest, RejectsAllZeroIds) {
  std::vector<uint8_t> v = SpecExample();
  std::fill(v.begin() + 19, v.begin() + 27, 0);
  EXPECT_FALSE(DecodeGrpcTraceBin(v).ok());
}

TEST(GrpcTraceBinTest, ValueAcceptsPaddedAndUnpaddedBase64) {
  const std::vector<uint8_t> ex = SpecExample();
  std::string raw(ex.begin(), ex.end());
  EXPECT_TRUE(DecodeGrpcTraceBinValue(raw).ok());
  EXPECT_TRUE(DecodeGrpcTraceBinValue(EncodeBase64(raw, true)).ok());
  EXPECT_TRUE(DecodeGrpcTraceBinValue(EncodeBase64(raw, false)).ok());
  EXPECT_FALSE(DecodeGrpcTraceBinValue("not base64!").ok());
}

TEST(Base64Test, KnownVectors) {
  EXPECT_EQ(EncodeBase64("", true), "");
  EXPECT_EQ(EncodeBase64("f", true), "Zg==");
  EXPECT_EQ(EncodeBase64("fo", true), "Zm8=");
  EXPECT_EQ(EncodeBase64("foo", true), "Zm9v");
  EXPECT_EQ(EncodeBase64("foob", false), "Zm9vYg");
  uint8_t out[8];
  size_t n = 0;
  ASSERT_TRUE(DecodeBase64To("Zm9vYg==", out, &n));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(out), n), "foob");
  EXPECT_FALSE(DecodeBase64To("Zm9vY", out, &n));   // impossible length
  EXPECT_FALSE(DecodeBase64To("Zm=9", out, &n));    // padding inside
  EXPECT_FALSE(DecodeBase64To("Zm9v-_", out, &n));  // URL-safe alphabet
}

TEST(BinaryPropagatorTest, InjectsRawByDefaultAndExtractsIt) {
  std::map<std::string, std::string> m;
  MapCarrier carrier(m);
  BinaryPropagator().Inject(ContextWith(TraceFlags(1)), carrier);
  ASSERT_EQ(m["grpc-trace-bin"].size(), kGrpcTraceBinSize);
  Context ctx = BinaryPropagator().Extract(carrier, Context());
  EXPECT_EQ(ctx.span_context().trace_id(), testing::TestTraceId());
  EXPECT_TRUE(ctx.span_context().IsSampled());
  EXPECT_TRUE(ctx.span_context().IsRemote());
}

TEST(BinaryPropagatorTest, InjectsUnpaddedBase64WhenAsked) {
  HttpHeaders h;
  HttpHeaderCarrier carrier(h);
  BinaryPropagator(BinaryValueEncoding::kBase64).Inject(ContextWith(TraceFlags(0)), carrier);
  EXPECT_EQ(carrier.Get("grpc-trace-bin"), "AABL+S81d7NNpqPOkp0ODkc2AQDwZ6oLqQK3AgA");
  EXPECT_TRUE(BinaryPropagator().Extract(carrier, Context()).span_context().IsValid());
}

}  // namespace
}  // namespace tracewire::trace::propagation
