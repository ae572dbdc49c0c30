#include "trace/sdk/env_config.h"

#include <gtest/gtest.h>

#include <map>

#include "trace/sdk/resource_defaults.h"
#include "trace/sdk/sdk_test_util.h"

namespace tracewire::trace {
namespace {

using std::chrono::milliseconds;

SdkConfig FromEnv(const std::map<std::string, std::string>& env) {
  return SdkConfigFromEnv([env](std::string_view name) -> std::optional<std::string> {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
}

using testing::Find;

bool WarnsAbout(const SdkConfig& c, std::string_view name) {
  for (const std::string& w : c.warnings) {
    if (w.find(name) != std::string::npos) return true;
  }
  return false;
}

TEST(EnvConfigTest, NoVariablesGiveTheSpecDefaults) {
  const SdkConfig c = FromEnv({});
  EXPECT_FALSE(c.disabled);
  EXPECT_EQ(c.sampler, (SamplerConfig{SamplerKind::kParentBasedAlwaysOn, 1.0}));
  EXPECT_EQ(c.batch, BatchSpanProcessorOptions());
  EXPECT_EQ(c.limits, SpanLimits());
  EXPECT_EQ(c.resource, DefaultResource());
  EXPECT_TRUE(c.warnings.empty());
}

TEST(EnvConfigTest, SdkDisabledAcceptsTrueInAnyCase) {
  EXPECT_TRUE(FromEnv({{"OTEL_SDK_DISABLED", "TRUE"}}).disabled);
  EXPECT_FALSE(FromEnv({{"OTEL_SDK_DISABLED", "false"}}).disabled);
  EXPECT_TRUE(FromEnv({{"OTEL_SDK_DISABLED", "false"}}).warnings.empty());
}

TEST(EnvConfigTest, SdkDisabledWithAnotherValueIsFalseAndWarns) {
  const SdkConfig c = FromEnv({{"OTEL_SDK_DISABLED", "yes"}});
  EXPECT_FALSE(c.disabled);
  EXPECT_TRUE(WarnsAbout(c, "OTEL_SDK_DISABLED"));
}

TEST(EnvConfigTest, EmptyValueCountsAsUnset) {
  const SdkConfig c = FromEnv({{"OTEL_BSP_MAX_QUEUE_SIZE", ""}, {"OTEL_TRACES_SAMPLER", ""}});
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(EnvConfigTest, ResourceAttributesAreMergedOverTheDefaults) {
  const SdkConfig c = FromEnv({{"OTEL_RESOURCE_ATTRIBUTES",
                                "deployment.environment=prod,"
                                "service.name=from-attrs"}});
  EXPECT_EQ(*Find(c.resource.attributes, "deployment.environment"),
            AttributeValue(std::string("prod")));
  EXPECT_EQ(*Find(c.resource.attributes, "service.name"),
            AttributeValue(std::string("from-attrs")));
  EXPECT_EQ(*Find(c.resource.attributes, "telemetry.sdk.name"),
            AttributeValue(std::string("tracewire")));
}

TEST(EnvConfigTest, ServiceNameVariableWinsOverResourceAttributes) {
  const SdkConfig c = FromEnv(
      {{"OTEL_RESOURCE_ATTRIBUTES", "service.name=from-attrs"}, {"OTEL_SERVICE_NAME", "checkout"}});
  EXPECT_EQ(*Find(c.resource.attributes, "service.name"), AttributeValue(std::string("checkout")));
}

TEST(EnvConfigTest, InvalidResourceAttributesAreDiscardedWhole) {
  const SdkConfig c = FromEnv({{"OTEL_RESOURCE_ATTRIBUTES", "a=1,broken"}});
  EXPECT_EQ(Find(c.resource.attributes, "a"), nullptr);
  EXPECT_TRUE(WarnsAbout(c, "OTEL_RESOURCE_ATTRIBUTES"));
}

TEST(EnvConfigTest, EverySamplerNameIsRecognisedInAnyCase) {
  const std::pair<const char*, SamplerKind> cases[] = {
      {"always_on", SamplerKind::kAlwaysOn},
      {"always_off", SamplerKind::kAlwaysOff},
      {"traceidratio", SamplerKind::kTraceIdRatio},
      {"parentbased_always_on", SamplerKind::kParentBasedAlwaysOn},
      {"PARENTBASED_ALWAYS_OFF", SamplerKind::kParentBasedAlwaysOff},
      {"parentbased_traceidratio", SamplerKind::kParentBasedTraceIdRatio},
  };
  for (const auto& [name, kind] : cases) {
    const SdkConfig c = FromEnv({{"OTEL_TRACES_SAMPLER", name}});
    EXPECT_EQ(c.sampler.kind, kind) << name;
    EXPECT_TRUE(c.warnings.empty()) << name;
  }
}

TEST(EnvConfigTest, UnknownOrUnsupportedSamplerFallsBackToTheDefaultWithAWarning) {
  for (const char* name : {"sometimes", "jaeger_remote", "xray"}) {
    const SdkConfig c = FromEnv({{"OTEL_TRACES_SAMPLER", name}});
    EXPECT_EQ(c.sampler.kind, SamplerKind::kParentBasedAlwaysOn);
    EXPECT_TRUE(WarnsAbout(c, "OTEL_TRACES_SAMPLER")) << name;
  }
}

TEST(EnvConfigTest, SamplerArgSetsTheRatio) {
  const SdkConfig c = FromEnv(
      {{"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "0.25"}});
  EXPECT_EQ(c.sampler.ratio, 0.25);
  EXPECT_NE(MakeSampler(c.sampler)->Description().find("TraceIdRatioBased{0.250000}"),
            std::string::npos);
}

TEST(EnvConfigTest, BadSamplerArgMeansRatioOneWithAWarning) {
  for (const char* arg : {"1.5", "-0.1", "half", "nan"}) {
    const SdkConfig c =
        FromEnv({{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", arg}});
    EXPECT_EQ(c.sampler.ratio, 1.0) << arg;
    EXPECT_TRUE(WarnsAbout(c, "OTEL_TRACES_SAMPLER_ARG")) << arg;
  }
}

TEST(EnvConfigTest, BatchVariablesSetTheProcessorOptions) {
  const SdkConfig c = FromEnv({{"OTEL_BSP_SCHEDULE_DELAY", "100"},
                               {"OTEL_BSP_EXPORT_TIMEOUT", "2000"},
                               {"OTEL_BSP_MAX_QUEUE_SIZE", "4096"},
                               {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "1024"}});
  EXPECT_EQ(c.batch.schedule_delay, milliseconds(100));
  EXPECT_EQ(c.batch.export_timeout, milliseconds(2000));
  EXPECT_EQ(c.batch.max_queue_size, 4096u);
  EXPECT_EQ(c.batch.max_export_batch_size, 1024u);
}

TEST(EnvConfigTest, UnparsableNumbersAreIgnoredWithAWarning) {
  const SdkConfig c = FromEnv({{"OTEL_BSP_SCHEDULE_DELAY", "5s"},
                               {"OTEL_BSP_MAX_QUEUE_SIZE", "-1"},
                               {"OTEL_SPAN_EVENT_COUNT_LIMIT", "lots"}});
  EXPECT_EQ(c.batch.schedule_delay, milliseconds(5000));
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  EXPECT_EQ(c.limits.event_count, 128u);
  EXPECT_TRUE(WarnsAbout(c, "OTEL_BSP_SCHEDULE_DELAY"));
  EXPECT_TRUE(WarnsAbout(c, "OTEL_BSP_MAX_QUEUE_SIZE"));
  EXPECT_TRUE(WarnsAbout(c, "OTEL_SPAN_EVENT_COUNT_LIMIT"));
}

TEST(EnvConfigTest, ZeroQueueSizeIsOutOfRange) {
  const SdkConfig c = FromEnv({{"OTEL_BSP_MAX_QUEUE_SIZE", "0"}});
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  EXPECT_TRUE(WarnsAbout(c, "OTEL_BSP_MAX_QUEUE_SIZE"));
}

TEST(EnvConfigTest, BatchLargerThanQueueIsCappedWithAWarning) {
  const SdkConfig c =
      FromEnv({{"OTEL_BSP_MAX_QUEUE_SIZE", "100"}, {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "512"}});
  EXPECT_EQ(c.batch.max_export_batch_size, 100u);
  EXPECT_TRUE(WarnsAbout(c, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE"));
}

TEST(EnvConfigTest, SpanLimitVariablesSetTheLimits) {
  const SdkConfig c = FromEnv({{"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "10"},
                               {"OTEL_SPAN_EVENT_COUNT_LIMIT", "11"},
                               {"OTEL_SPAN_LINK_COUNT_LIMIT", "12"},
                               {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "13"},
                               {"OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "14"},
                               {"OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "15"}});
  EXPECT_EQ(c.limits.attribute_count, 10u);
  EXPECT_EQ(c.limits.event_count, 11u);
  EXPECT_EQ(c.limits.link_count, 12u);
  EXPECT_EQ(c.limits.attribute_value_length, 13u);
  EXPECT_EQ(c.limits.attributes_per_event, 14u);
  EXPECT_EQ(c.limits.attributes_per_link, 15u);
}

TEST(EnvConfigTest, SpanSpecificLimitsWinOverGeneralOnes) {
  const SdkConfig c = FromEnv({{"OTEL_ATTRIBUTE_COUNT_LIMIT", "5"},
                               {"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "7"},
                               {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "100"},
                               {"OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "50"}});
  EXPECT_EQ(c.limits.attribute_count, 7u);
  EXPECT_EQ(c.limits.attributes_per_event, 5u);
  EXPECT_EQ(c.limits.attribute_value_length, 50u);
}

TEST(EnvConfigTest, MakeSamplerBuildsTheConfiguredKind) {
  EXPECT_EQ(MakeSampler({SamplerKind::kAlwaysOff, 1})->Description(), "AlwaysOffSampler");
  EXPECT_EQ(MakeSampler({SamplerKind::kParentBasedAlwaysOn, 1})
                ->Description()
                .rfind("ParentBased{root=AlwaysOnSampler", 0),
            0u);
}

}  // namespace
}  // namespace tracewire::trace
