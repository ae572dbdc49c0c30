// `tracewire demo`: one request through three simulated services, as one trace.
#pragma once

#include <ostream>

#include "trace/sdk/env_config.h"

namespace tracewire::apps {

// Runs the demo, printing progress to `out`. Spans go to the OTLP endpoint named by the
// OTEL_EXPORTER_OTLP_* variables when one is set, else as OTLP/JSON lines to `out`.
// Returns the process exit code.
int RunDemo(std::ostream& out, const trace::GetEnvFn& getenv = trace::ProcessGetEnv);

}  // namespace tracewire::apps
