#include "collector/exporter/exporter_factories.h"
#include "collector/processor/processor_factories.h"
#include "collector/query_extension_config.h"
#include "collector/registry.h"

namespace tracewire::collector {

Registry DefaultRegistryWithoutReceivers() {
  Registry r;
  r.Add(NewBatchProcessorFactory());
  r.Add(NewMemoryLimiterProcessorFactory());
  r.Add(NewLimitsProcessorFactory());
  r.Add(NewTracewireExporterFactory());
  r.Add(NewOtlpHttpExporterFactory());
  r.Add(NewOtlpGrpcExporterFactory());
  r.Add(NewDebugExporterFactory());
  r.Add(NewQueryExtensionFactory());
  return r;
}

}  // namespace tracewire::collector
