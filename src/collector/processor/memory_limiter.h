// The "memory_limiter" processor (keys as the OTel Collector's memorylimiterprocessor). Memory in
// use is the heap the allocator has handed out and not had back (like the OTel limiter's Go heap
// stats; not RSS, which allocators keep high after a burst), sampled every check_interval, plus
// the change of bytes in flight since that sample; in-flight bytes are batch.bytes_reserved()
// from the moment a batch is accepted until its ConsumeDone runs, so a release counts at once.
// A batch that would take the estimate over the soft limit (limit − spike limit) is refused at
// once with RESOURCE_EXHAUSTED, which receivers answer with 429/503 + Retry-After; data flows
// again as soon as the estimate is back under it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "collector/factory.h"

namespace tracewire::collector {

struct MemoryLimiterConfig : ComponentConfig {
  std::chrono::nanoseconds check_interval{0};  // required, > 0
  uint64_t limit_mib = 0;                      // hard limit; or limit_percentage
  uint64_t spike_limit_mib = 0;                // 0: 20% of the limit
  uint64_t limit_percentage = 0;               // of total memory (cgroup limit or MemTotal)
  uint64_t spike_limit_percentage = 0;
  // Tests: replaces HeapInUseBytes() (bytes) and the total memory (bytes).
  std::function<uint64_t()> read_in_use_bytes;
  std::function<uint64_t()> read_total_memory_bytes;
};

StatusOr<std::unique_ptr<MemoryLimiterConfig>> ParseMemoryLimiterConfig(const YAML::Node& node,
                                                                        std::string_view path);

// Counters of one memory_limiter, for tests and /metrics.
struct MemoryLimiterStats {
  uint64_t refused_batches = 0;
  uint64_t bytes_in_flight = 0;
  uint64_t last_in_use_bytes = 0;  // the measure at the last check
  uint64_t last_rss_bytes = 0;     // reported only; not used to decide
  uint64_t soft_limit_bytes = 0;
};

class MemoryLimiter : public Processor {
 public:
  virtual MemoryLimiterStats stats() const = 0;
  // Samples the memory in use now (the check_interval thread calls this; tests too).
  virtual void CheckMemory() = 0;
};

// Errors: INVALID_ARGUMENT when the limits cannot be resolved (e.g. a percentage with an
// unknown total).
StatusOr<std::unique_ptr<MemoryLimiter>> NewMemoryLimiter(std::string id,
                                                          const MemoryLimiterConfig& config,
                                                          TracesConsumer* next_traces,
                                                          LogsConsumer* next_logs);

// Heap bytes this process has allocated and not freed: the sanitizer allocator's count in
// ASan/TSan/MSan builds, glibc mallinfo2() (uordblks + hblkhd) otherwise, RSS where neither
// exists. Resident set size of this process (bytes), 0 when unknown. The memory a process may use
// (the cgroup v2 memory.max when set, else MemTotal), 0 when unknown.
uint64_t HeapInUseBytes();
uint64_t ProcessRssBytes();
uint64_t TotalMemoryBytes();

}  // namespace tracewire::collector
