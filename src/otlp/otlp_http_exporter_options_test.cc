#include "otlp/otlp_http_exporter_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

namespace tracewire::otlp {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

GetEnvFn FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(OtlpHttpExporterOptionsTest, AnEmptyEnvironmentGivesTheSpecDefaults) {
  auto o = OtlpHttpExporterOptionsFromEnv(FakeEnv({}));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->endpoint, "http://localhost:4318/v1/traces");
  EXPECT_EQ(o->protocol, OtlpProtocol::kHttpProtobuf);
  EXPECT_EQ(o->compression, OtlpCompression::kNone);
  EXPECT_EQ(o->timeout, std::chrono::milliseconds(10000));
  EXPECT_TRUE(o->headers.empty());
}

TEST(OtlpHttpExporterOptionsTest, TheGenericEndpointGetsTheTracesPathAppended) {
  auto o = OtlpHttpExporterOptionsFromEnv(
      FakeEnv({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"}}));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->endpoint, "http://collector:4318/v1/traces");
  auto with_path = OtlpHttpExporterOptionsFromEnv(
      FakeEnv({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/otlp/"}}));
  ASSERT_TRUE(with_path.ok());
  EXPECT_EQ(with_path->endpoint, "http://collector:4318/otlp/v1/traces");
}

TEST(OtlpHttpExporterOptionsTest, TheTracesEndpointIsUsedAsIsAndWins) {
  auto o = OtlpHttpExporterOptionsFromEnv(
      FakeEnv({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://generic:4318"},
               {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://arms:8080/api/otlp/traces"}}));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->endpoint, "http://arms:8080/api/otlp/traces");
}

TEST(OtlpHttpExporterOptionsTest, EmptyVariablesCountAsUnset) {
  auto o = OtlpHttpExporterOptionsFromEnv(
      FakeEnv({{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", ""}, {"OTEL_EXPORTER_OTLP_PROTOCOL", ""}}));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->endpoint, "http://localhost:4318/v1/traces");
}

TEST(OtlpHttpExporterOptionsTest, TracesHeadersReplaceTheGenericHeaders) {
  auto generic = OtlpHttpExporterOptionsFromEnv(
      FakeEnv({{"OTEL_EXPORTER_OTLP_HEADERS", "x-sls-token=abc,x-project=p%201"}}));
  ASSERT_TRUE(generic.ok());
  EXPECT_THAT(generic->headers, ElementsAre(Pair("x-sls-token", "abc"), Pair("x-project", "p 1")));
  auto specific = OtlpHttpExporterOptionsFromEnv(FakeEnv(
      {{"OTEL_EXPORTER_OTLP_HEADERS", "a=1"}, {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "b=2"}}));
  ASSERT_TRUE(specific.ok());
  EXPECT_THAT(specific->headers, ElementsAre(Pair("b", "2")));
}

TEST(OtlpHttpExporterOptionsTest, BadHeadersNameTheVariableButNotTheValue) {
  auto o = OtlpHttpExporterOptionsFromEnv(
      FakeEnv({{"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "token-without-key-abc123"}}));
  ASSERT_FALSE(o.ok());
  EXPECT_THAT(o.status().message(), HasSubstr("OTEL_EXPORTER_OTLP_TRACES_HEADERS"));
  EXPECT_THAT(o.status().message(), Not(HasSubstr("abc123")));
}

TEST(OtlpHttpExporterOptionsTest, ProtocolSelectsJsonAndGrpcIsUnimplemented) {
  auto json =
      OtlpHttpExporterOptionsFromEnv(FakeEnv({{"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"}}));
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->protocol, OtlpProtocol::kHttpJson);
  auto grpc =
      OtlpHttpExporterOptionsFromEnv(FakeEnv({{"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc"}}));
  EXPECT_EQ(grpc.status().code(), StatusCode::kUnimplemented);
  EXPECT_THAT(grpc.status().message(), HasSubstr("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"));
  auto bad = OtlpHttpExporterOptionsFromEnv(FakeEnv({{"OTEL_EXPORTER_OTLP_PROTOCOL", "http"}}));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
}

TEST(OtlpHttpExporterOptionsTest, CompressionAndTimeoutAreRead) {
  auto o = OtlpHttpExporterOptionsFromEnv(FakeEnv(
      {{"OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"}, {"OTEL_EXPORTER_OTLP_TIMEOUT", "2500"}}));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->compression, OtlpCompression::kGzip);
  EXPECT_EQ(o->timeout, std::chrono::milliseconds(2500));
  auto traces =
      OtlpHttpExporterOptionsFromEnv(FakeEnv({{"OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"},
                                              {"OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "none"},
                                              {"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "7"}}));
  ASSERT_TRUE(traces.ok());
  EXPECT_EQ(traces->compression, OtlpCompression::kNone);
  EXPECT_EQ(traces->timeout, std::chrono::milliseconds(7));
}

TEST(OtlpHttpExporterOptionsTest, BadCompressionOrTimeoutNamesTheVariable) {
  auto c = OtlpHttpExporterOptionsFromEnv(FakeEnv({{"OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"}}));
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr("OTEL_EXPORTER_OTLP_COMPRESSION"));
  for (const char* bad : {"10s", "-1", "0", "1.5", "99999999999999999999"}) {
    auto t = OtlpHttpExporterOptionsFromEnv(FakeEnv({{"OTEL_EXPORTER_OTLP_TIMEOUT", bad}}));
    EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace tracewire::otlp
