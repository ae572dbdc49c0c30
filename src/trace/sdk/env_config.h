// SdkConfig: the tracing SDK's settings from the standard OpenTelemetry environment
// variables (OTel "SDK environment variables" spec), with the spec's names and defaults:
//   OTEL_SDK_DISABLED                      false ("true", any case, disables)
//   OTEL_SERVICE_NAME                      wins over service.name from the next one
//   OTEL_RESOURCE_ATTRIBUTES               see resource_attributes.h
//   OTEL_TRACES_SAMPLER                    parentbased_always_on; also always_on, always_off,
//                                          traceidratio, parentbased_always_off,
//                                          parentbased_traceidratio (any case)
//   OTEL_TRACES_SAMPLER_ARG                ratio in [0, 1] for the *traceidratio samplers: 1.0
//   OTEL_BSP_SCHEDULE_DELAY                5000 ms
//   OTEL_BSP_EXPORT_TIMEOUT                30000 ms
//   OTEL_BSP_MAX_QUEUE_SIZE                2048
//   OTEL_BSP_MAX_EXPORT_BATCH_SIZE         512 (at most the queue size)
//   OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT      unlimited \ general limits; the OTEL_SPAN_*,
//   OTEL_ATTRIBUTE_COUNT_LIMIT             128       / OTEL_EVENT_*, OTEL_LINK_* ones win
//   OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT unlimited
//   OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT        128
//   OTEL_SPAN_EVENT_COUNT_LIMIT            128
//   OTEL_SPAN_LINK_COUNT_LIMIT             128
//   OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT       128
//   OTEL_LINK_ATTRIBUTE_COUNT_LIMIT        128
// An empty variable counts as unset. A value that cannot be parsed or is out of range is
// ignored (the default applies) with a warning naming the variable, as the spec says; an
// invalid OTEL_RESOURCE_ATTRIBUTES is discarded whole. Exporter and propagator variables are
// read elsewhere.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "trace/resource.h"
#include "trace/sdk/batch_span_processor.h"
#include "trace/sdk/sampler.h"
#include "trace/sdk/span_limits.h"

namespace tracewire::trace {

using ::tracewire::GetEnvFn;
using ::tracewire::ProcessGetEnv;

enum class SamplerKind {
  kAlwaysOn,
  kAlwaysOff,
  kTraceIdRatio,
  kParentBasedAlwaysOn,
  kParentBasedAlwaysOff,
  kParentBasedTraceIdRatio,
};

struct SamplerConfig {
  SamplerKind kind = SamplerKind::kParentBasedAlwaysOn;
  double ratio = 1.0;  // for the trace-id-ratio kinds

  friend bool operator==(const SamplerConfig&, const SamplerConfig&) = default;
};

struct SdkConfig {
  bool disabled = false;
  Resource resource;  // DefaultResource() merged with the variables above
  SamplerConfig sampler;
  BatchSpanProcessorOptions batch;
  SpanLimits limits;
  // Human-readable, one per ignored or invalid variable, each naming it. Log them.
  std::vector<std::string> warnings;
};

// Reads every variable above through `getenv`. Never fails: bad values become warnings.
SdkConfig SdkConfigFromEnv(const GetEnvFn& getenv = ProcessGetEnv);

// Builds the sampler `config` describes.
std::unique_ptr<Sampler> MakeSampler(const SamplerConfig& config);

}  // namespace tracewire::trace
