// Factories of the receivers in this folder, for the collector's registry.
#pragma once

#include <memory>

#include "collector/factory.h"

namespace tracewire::collector {

// "otlp": OTLP/gRPC (default localhost:4317) and OTLP/HTTP (default localhost:4318), traces
// and logs.
std::unique_ptr<ReceiverFactory> NewOtlpReceiverFactory();
// "zipkin": Zipkin v2 JSON on POST /api/v2/spans (default localhost:9411), traces.
std::unique_ptr<ReceiverFactory> NewZipkinReceiverFactory();

}  // namespace tracewire::collector
