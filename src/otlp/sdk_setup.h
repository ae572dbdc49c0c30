// SetUpTracingFromEnv: the whole C++ tracing SDK configured the way every OpenTelemetry SDK is —
// from the standard OTEL_* environment variables — with spans leaving through the batch
// processor and the OTLP/HTTP exporter. What a service's main() calls once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "trace/propagation/text_map.h"
#include "trace/sdk/env_config.h"
#include "trace/sdk/tracer.h"

namespace tracewire::otlp {

struct TracingSdk {
  std::unique_ptr<trace::TracerProvider> provider;
  // OTEL_PROPAGATORS (default "tracecontext,baggage").
  std::unique_ptr<trace::TextMapPropagator> propagator;
  // OTEL_SDK_DISABLED=true: the provider makes only non-recording spans.
  bool disabled = false;
  // One line per variable that was ignored or invalid, each naming it. Log them.
  std::vector<std::string> warnings;
};

// Reads the SDK variables (env_config.h), OTEL_PROPAGATORS and the OTLP exporter variables
// (otlp_http_exporter_options.h) through `getenv`. With OTEL_SDK_DISABLED=true the provider
// records nothing and no exporter is created; with OTEL_TRACES_EXPORTER=none spans are made
// (ids, propagation) but not exported. A bad OTEL_PROPAGATORS falls back to the default
// with a warning; bad exporter settings fail with the error that names the variable, since a
// silently misrouted exporter would lose every span.
StatusOr<TracingSdk> SetUpTracingFromEnv(const trace::GetEnvFn& getenv = trace::ProcessGetEnv);

}  // namespace tracewire::otlp
