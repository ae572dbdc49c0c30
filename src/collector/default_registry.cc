// DefaultRegistry: every factory. Apart from registry.cc so that programs and tests that need no
// receivers do not link them.
#include "collector/exporter/exporter_factories.h"
#include "collector/processor/processor_factories.h"
#include "collector/query_extension_config.h"
#include "collector/receiver/receiver_factories.h"
#include "collector/registry.h"

namespace tracewire::collector {

Registry DefaultRegistry() {
  Registry r = DefaultRegistryWithoutReceivers();
  r.Add(NewOtlpReceiverFactory());
  r.Add(NewZipkinReceiverFactory());
  return r;
}

}  // namespace tracewire::collector
