// Builds the propagator named by the OTEL_PROPAGATORS environment variable.
#pragma once

#include <memory>
#include <string_view>

#include "base/status.h"
#include "trace/propagation/text_map.h"

namespace tracewire::trace::propagation {

inline constexpr std::string_view kDefaultOtelPropagators = "tracecontext,baggage";

// `otel_propagators` is a comma-separated list, case-insensitive, blanks around names ignored:
//   tracecontext    W3C traceparent + tracestate
//   baggage         W3C baggage
//   b3              B3 single header (extract also reads multi)
//   b3multi         B3 multi headers (extract also reads single)
//   grpc-trace-bin  tracewire's own: OpenCensus binary context under `grpc-trace-bin`,
//                   injected raw (for tRPC trans_info); extract accepts raw and base64
//   none            no propagation (other names in the list still count)
// An empty or blank value means the OpenTelemetry default "tracecontext,baggage". Duplicates
// are used once. The result is a CompositePropagator in list order (extract priority, see
// composite_propagator.h). INVALID_ARGUMENT names every unknown or unsupported entry.
StatusOr<std::unique_ptr<TextMapPropagator>> MakePropagatorFromEnvValue(
    std::string_view otel_propagators);

}  // namespace tracewire::trace::propagation
