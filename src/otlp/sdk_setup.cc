#include "otlp/sdk_setup.h"

#include <utility>

#include "otlp/otlp_http_exporter.h"
#include "otlp/otlp_http_exporter_options.h"
#include "trace/propagation/propagator_from_env.h"
#include "trace/sdk/batch_span_processor.h"

namespace tracewire::otlp {

StatusOr<TracingSdk> SetUpTracingFromEnv(const trace::GetEnvFn& getenv) {
  TracingSdk sdk;
  trace::SdkConfig config = trace::SdkConfigFromEnv(getenv);
  sdk.warnings = std::move(config.warnings);

  std::string propagators =
      getenv("OTEL_PROPAGATORS").value_or(std::string(trace::propagation::kDefaultOtelPropagators));
  auto propagator = trace::propagation::MakePropagatorFromEnvValue(propagators);
  if (!propagator.ok()) {
    sdk.warnings.push_back("OTEL_PROPAGATORS ignored: " + propagator.status().message());
    propagator =
        trace::propagation::MakePropagatorFromEnvValue(trace::propagation::kDefaultOtelPropagators);
  }
  sdk.propagator = std::move(*propagator);

  trace::TracerProviderOptions options;
  options.resource = std::move(config.resource);
  options.use_default_resource = false;  // SdkConfigFromEnv already merged the defaults
  options.sampler = trace::MakeSampler(config.sampler);
  options.limits = config.limits;
  options.disabled = config.disabled;
  sdk.disabled = config.disabled;
  // OTEL_TRACES_EXPORTER: "otlp" (default) or "none" (spans are made and propagate, but go
  // nowhere). Other exporters are not built in; they fall back to otlp with a warning.
  std::string exporter_name = getenv("OTEL_TRACES_EXPORTER").value_or("otlp");
  if (exporter_name != "otlp" && exporter_name != "none") {
    sdk.warnings.push_back("OTEL_TRACES_EXPORTER=" + exporter_name +
                           " is not supported; using otlp");
    exporter_name = "otlp";
  }
  if (!config.disabled && exporter_name == "otlp") {
    auto exporter_options = OtlpHttpExporterOptionsFromEnv(getenv);
    if (!exporter_options.ok()) return exporter_options.status();
    auto exporter = OtlpHttpExporter::Create(std::move(*exporter_options));
    if (!exporter.ok()) return exporter.status();
    auto processor = trace::BatchSpanProcessor::Create(std::move(*exporter), config.batch);
    if (!processor.ok()) return processor.status();
    options.processor = std::move(*processor);
  }
  sdk.provider = std::make_unique<trace::TracerProvider>(std::move(options));
  return sdk;
}

}  // namespace tracewire::otlp
