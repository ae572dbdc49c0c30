#include "collector/processor/trace_span_counter.h"

#include <cstring>

namespace tracewire::collector {

TraceSpanCounter::TraceSpanCounter(uint64_t capacity) {
  uint64_t sets = 1;
  while (sets * kWays < capacity) sets <<= 1;
  entries_.resize(sets * kWays);
  set_mask_ = sets - 1;
}

TraceSpanCounter::Entry& TraceSpanCounter::Find(const model::TraceId& id) {
  // Trace ids are random: their low bytes are a good hash already.
  uint64_t h = 0;
  std::memcpy(&h, id.data() + 8, sizeof(h));
  h ^= h >> 29;
  Entry* set = &entries_[(h & set_mask_) * kWays];
  Entry* victim = set;
  ++clock_;
  for (size_t w = 0; w < kWays; ++w) {
    if (set[w].last_use != 0 && set[w].trace_id == id) {
      set[w].last_use = clock_;
      return set[w];
    }
    if (set[w].last_use < victim->last_use) victim = &set[w];
  }
  *victim = Entry{id, 0, false, clock_};
  return *victim;
}

}  // namespace tracewire::collector
