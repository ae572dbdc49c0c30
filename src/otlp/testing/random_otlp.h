// Random and realistic OTLP requests built with the generated classes, for the codec tests,
// fuzz seeds and benchmarks. Random requests use every field the batch form keeps, every
// AnyValue type (nested arrays and maps, bytes, empty values), and are shaped so that a round
// trip through the batch form gives back an equal message: messages that are present are never
// all-default, every envelope holds at least one item, ids have their proper sizes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace tracewire::otlp::testing {

opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest RandomTracesRequest(
    uint64_t seed);
opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest RandomLogsRequest(
    uint64_t seed);

// What a service's SDK sends: one resource (service.name and a few more), one scope, `spans`
// spans of a few traces with 10 attributes each (strings, ints, a bool, a double), 5% with an
// event, server/client kinds and some error statuses.
opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest RealisticTracesRequest(
    size_t spans, uint64_t seed);

}  // namespace tracewire::otlp::testing
