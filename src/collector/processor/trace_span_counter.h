// A bounded table of span counts per trace id: 4-way set-associative, least recently used
// way evicted, allocated once. Not thread-safe (the limits processor locks it per batch).
#pragma once

#include <cstdint>
#include <vector>

#include "model/span_batch.h"

namespace tracewire::collector {

class TraceSpanCounter {
 public:
  struct Entry {
    model::TraceId trace_id;
    uint32_t spans = 0;     // spans seen (kept or not)
    bool marked = false;    // tracewire.trace_truncated already set on a kept span
    uint64_t last_use = 0;  // 0: free
  };

  // Capacity rounded up to a power of two, at least 4.
  explicit TraceSpanCounter(uint64_t capacity);

  // The entry of `id`, created (evicting the least recently used of its set) when absent.
  // HOT PATH: no allocation. The reference is valid until the next call.
  Entry& Find(const model::TraceId& id);

 private:
  static constexpr size_t kWays = 4;
  std::vector<Entry> entries_;
  uint64_t set_mask_ = 0;
  uint64_t clock_ = 0;
};

}  // namespace tracewire::collector
