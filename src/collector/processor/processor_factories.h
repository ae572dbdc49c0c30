// Factories of the processors in this folder, for the collector's registry.
#pragma once

#include <memory>

#include "collector/factory.h"

namespace tracewire::collector {

// "batch": merges batches up to send_batch_size spans or timeout, splits over
// send_batch_max_size (batch_processor.h).
std::unique_ptr<ProcessorFactory> NewBatchProcessorFactory();
// "memory_limiter": refuses data while memory use is over the limit (memory_limiter.h).
std::unique_ptr<ProcessorFactory> NewMemoryLimiterProcessorFactory();
// "limits": attribute value size and spans per trace, truncating and marking (limits_processor.h).
std::unique_ptr<ProcessorFactory> NewLimitsProcessorFactory();

}  // namespace tracewire::collector
