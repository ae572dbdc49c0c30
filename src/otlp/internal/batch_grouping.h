// Groups the items (spans or log records) of a batch for encoding: one run per (resource_index,
// scope_index), runs ordered by resource index then scope index, items in batch order inside a
// run. Batches from the decoders (and their Absorb()) are already in that order, which is
// checked in one pass and costs nothing more; anything else is stable-sorted.
// Reusable: after warm-up, Group() on an ordered batch allocates nothing. NOT thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace tracewire::otlp::internal {

class BatchGrouping {
 public:
  struct Run {
    uint32_t resource_index;
    uint32_t scope_index;
    uint32_t begin;  // positions in the grouped order, [begin, end)
    uint32_t end;
  };

  template <typename Item>
  void Group(std::span<const Item> items) {
    runs_.clear();
    order_.clear();
    bool ordered = true;
    for (size_t i = 1; i < items.size() && ordered; ++i) {
      ordered = !Less(items[i], items[i - 1]);
    }
    if (!ordered) {
      order_.resize(items.size());
      for (uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
      std::stable_sort(order_.begin(), order_.end(),
                       [&](uint32_t a, uint32_t b) { return Less(items[a], items[b]); });
    }
    for (uint32_t k = 0; k < items.size(); ++k) {
      const Item& item = items[at(k)];
      if (runs_.empty() || runs_.back().resource_index != item.resource_index ||
          runs_.back().scope_index != item.scope_index) {
        runs_.push_back({item.resource_index, item.scope_index, k, k});
      }
      runs_.back().end = k + 1;
    }
  }

  const std::vector<Run>& runs() const { return runs_; }
  // Index into the batch of the item at grouped position k.
  uint32_t at(uint32_t k) const { return order_.empty() ? k : order_[k]; }

 private:
  template <typename Item>
  static bool Less(const Item& a, const Item& b) {
    return a.resource_index != b.resource_index ? a.resource_index < b.resource_index
                                                : a.scope_index < b.scope_index;
  }

  std::vector<Run> runs_;
  std::vector<uint32_t> order_;  // empty: the identity
};

}  // namespace tracewire::otlp::internal
