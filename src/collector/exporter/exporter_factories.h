// Factories of the exporters in this folder, for the collector's registry.
#pragma once

#include <memory>

#include "collector/factory.h"

namespace tracewire::collector {

// "tracewire": the embedded store (BuildContext::store); tracewire_exporter.h.
std::unique_ptr<ExporterFactory> NewTracewireExporterFactory();
// "otlphttp": OTLP/HTTP forwarding; otlphttp_exporter.h.
std::unique_ptr<ExporterFactory> NewOtlpHttpExporterFactory();
// "otlp": OTLP/gRPC forwarding; otlp_grpc_exporter.h.
std::unique_ptr<ExporterFactory> NewOtlpGrpcExporterFactory();
// "debug": batches or spans to standard error; debug_exporter.h.
std::unique_ptr<ExporterFactory> NewDebugExporterFactory();

}  // namespace tracewire::collector
