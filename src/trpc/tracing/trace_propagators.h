// The propagators behind the tracing filters (internal to tracing/).
#pragma once

#include <memory>

#include "trace/propagation/text_map.h"
#include "trpc/tracing/tracing_filters.h"

namespace tracewire::trpc::internal {

// Reads W3C first, then grpc-trace-bin, then B3 (single and multi); merges baggage.
std::unique_ptr<trace::TextMapPropagator> MakeExtractPropagator();

// Writes `format` plus baggage.
std::unique_ptr<trace::TextMapPropagator> MakeInjectPropagator(TraceInjectFormat format);

// Every trans_info key any of our propagators writes (traceparent, tracestate, baggage,
// grpc-trace-bin, b3, x-b3-*): what a client call must not forward from its parent.
std::span<const std::string_view> TraceKeys();

}  // namespace tracewire::trpc::internal
