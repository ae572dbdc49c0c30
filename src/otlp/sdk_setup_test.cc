#include "otlp/sdk_setup.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "trace/propagation/carriers.h"

namespace tracewire::otlp {
namespace {

trace::GetEnvFn EnvOf(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string AttributeOf(const trace::Resource& r, std::string_view key) {
  for (const auto& a : r.attributes) {
    if (a.key == key) return std::get<std::string>(a.value);
  }
  return "";
}

TEST(SdkSetupTest, DefaultsGiveARecordingProviderAndW3cPropagation) {
  auto sdk = SetUpTracingFromEnv(
      EnvOf({{"OTEL_SERVICE_NAME", "checkout"}, {"OTEL_EXPORTER_OTLP_TIMEOUT", "200"}}));
  ASSERT_TRUE(sdk.ok()) << sdk.status().ToString();
  EXPECT_EQ(AttributeOf(sdk->provider->resource(), "service.name"), "checkout");
  trace::Span span = sdk->provider->GetTracer("t").StartSpan("op");
  EXPECT_TRUE(span.IsRecording());
  std::map<std::string, std::string, std::less<>> carrier_map;
  trace::propagation::MapCarrier carrier(carrier_map);
  sdk->propagator->Inject(trace::ContextWithSpan(span, trace::Context()), carrier);
  EXPECT_EQ(carrier_map.count("traceparent"), 1u);
  span.End();
  // Nothing listens on the default endpoint: shutting down must still return promptly.
  (void)sdk->provider->Shutdown(std::chrono::milliseconds(100));
}

TEST(SdkSetupTest, DisabledSdkRecordsNothing) {
  auto sdk = SetUpTracingFromEnv(EnvOf({{"OTEL_SDK_DISABLED", "true"}}));
  ASSERT_TRUE(sdk.ok());
  EXPECT_TRUE(sdk->disabled);
  EXPECT_FALSE(sdk->provider->GetTracer("t").StartSpan("op").IsRecording());
}

TEST(SdkSetupTest, NoneExporterMakesSpansThatGoNowhere) {
  auto sdk = SetUpTracingFromEnv(EnvOf({{"OTEL_TRACES_EXPORTER", "none"}}));
  ASSERT_TRUE(sdk.ok()) << sdk.status().ToString();
  EXPECT_TRUE(sdk->warnings.empty());
  trace::Span span = sdk->provider->GetTracer("t").StartSpan("op");
  EXPECT_TRUE(span.context().IsValid());
  EXPECT_FALSE(span.IsRecording());
}

TEST(SdkSetupTest, UnsupportedExporterFallsBackToOtlpWithAWarning) {
  auto sdk = SetUpTracingFromEnv(
      EnvOf({{"OTEL_TRACES_EXPORTER", "zipkin"}, {"OTEL_EXPORTER_OTLP_TIMEOUT", "200"}}));
  ASSERT_TRUE(sdk.ok()) << sdk.status().ToString();
  ASSERT_EQ(sdk->warnings.size(), 1u);
  EXPECT_NE(sdk->warnings[0].find("OTEL_TRACES_EXPORTER"), std::string::npos);
  trace::Span span = sdk->provider->GetTracer("t").StartSpan("op");
  EXPECT_TRUE(span.IsRecording());
  span.End();
  (void)sdk->provider->Shutdown(std::chrono::milliseconds(100));  // nothing listens
}

TEST(SdkSetupTest, UnknownPropagatorFallsBackToTheDefaultWithAWarning) {
  auto sdk = SetUpTracingFromEnv(EnvOf({{"OTEL_PROPAGATORS", "tracecontext,xray"}}));
  ASSERT_TRUE(sdk.ok());
  ASSERT_FALSE(sdk->warnings.empty());
  EXPECT_NE(sdk->warnings.back().find("OTEL_PROPAGATORS"), std::string::npos);
  std::map<std::string, std::string, std::less<>> carrier_map{
      {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}};
  trace::propagation::MapCarrier carrier(carrier_map);
  EXPECT_TRUE(sdk->propagator->Extract(carrier, trace::Context()).span_context().IsValid());
}

TEST(SdkSetupTest, BadExporterSettingFailsNamingTheVariable) {
  auto grpc = SetUpTracingFromEnv(EnvOf({{"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}}));
  ASSERT_FALSE(grpc.ok());
  EXPECT_EQ(grpc.status().code(), StatusCode::kUnimplemented);
  auto bad = SetUpTracingFromEnv(EnvOf({{"OTEL_EXPORTER_OTLP_COMPRESSION", "brotli"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("OTEL_EXPORTER_OTLP_COMPRESSION"), std::string::npos);
}

}  // namespace
}  // namespace tracewire::otlp
