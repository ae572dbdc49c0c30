// The "batch" processor (as the OTel Collector's batchprocessor): merges incoming batches with
// Absorb() until send_batch_size items, or until `timeout` passed since the oldest one arrived,
// then sends the merged batch on; a batch over send_batch_max_size is split (deep copies).
// Acknowledgement stays end to end: the merged batch's ConsumeDone fans back to the done of every
// batch it absorbed (a partial success downstream then reaches each as a plain OK, since its
// counts are of the merged batch).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "collector/factory.h"

namespace tracewire::collector {

struct BatchProcessorConfig : ComponentConfig {
  uint64_t send_batch_size = 8192;   // items (spans or log records); 0: timeout only
  uint64_t send_batch_max_size = 0;  // items; 0: no upper bound
  std::chrono::nanoseconds timeout = std::chrono::milliseconds(200);  // 0: no batching
};

StatusOr<std::unique_ptr<BatchProcessorConfig>> ParseBatchProcessorConfig(const YAML::Node& node,
                                                                          std::string_view path);

// `next_traces` / `next_logs` outlive the processor; null when that signal is unused.
std::unique_ptr<Processor> NewBatchProcessor(std::string id, const BatchProcessorConfig& config,
                                             TracesConsumer* next_traces, LogsConsumer* next_logs);

}  // namespace tracewire::collector
