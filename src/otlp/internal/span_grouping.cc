#include "otlp/internal/span_grouping.h"

#include <limits>

namespace tracewire::otlp::internal {

namespace {
constexpr uint32_t kNoKey = std::numeric_limits<uint32_t>::max();
}  // namespace

void SpanGrouping::Group(std::span<const trace::SpanData* const> batch) {
  keys_.clear();
  key_of_span_.clear();
  resources_.clear();
  scopes_.clear();
  spans_.clear();

  // Fast path: one provider's spans share one resource and one scope.
  if (!batch.empty() && batch[0] != nullptr) {
    const trace::Resource* resource = batch[0]->resource;
    const trace::InstrumentationScope* scope = batch[0]->scope;
    bool same = true;
    for (const trace::SpanData* span : batch) {
      if (span == nullptr || span->resource != resource || span->scope != scope) {
        same = false;
        break;
      }
    }
    if (same) {
      resources_.push_back({resource, 0, 1});
      scopes_.push_back({scope, 0, static_cast<uint32_t>(batch.size())});
      spans_.assign(batch.begin(), batch.end());
      return;
    }
  }

  // Classify each span; a one-entry cache makes the common single-group batch linear.
  uint32_t resource_count = 0;
  uint32_t last = kNoKey;
  for (const trace::SpanData* span : batch) {
    if (span == nullptr) {
      key_of_span_.push_back(kNoKey);
      continue;
    }
    if (last == kNoKey || keys_[last].resource != span->resource ||
        keys_[last].scope != span->scope) {
      last = kNoKey;
      uint32_t resource_index = kNoKey;
      for (uint32_t k = 0; k < keys_.size(); ++k) {
        if (keys_[k].resource != span->resource) continue;
        resource_index = keys_[k].resource_index;
        if (keys_[k].scope == span->scope) {
          last = k;
          break;
        }
      }
      if (last == kNoKey) {
        if (resource_index == kNoKey) resource_index = resource_count++;
        keys_.push_back({span->resource, span->scope, resource_index, 0});
        last = static_cast<uint32_t>(keys_.size() - 1);
      }
    }
    ++keys_[last].count;
    key_of_span_.push_back(last);
  }

  // Order keys by resource (stable: scopes keep first-appearance order within a resource).
  key_order_.clear();
  for (uint32_t r = 0; r < resource_count; ++r) {
    for (uint32_t k = 0; k < keys_.size(); ++k) {
      if (keys_[k].resource_index == r) key_order_.push_back(k);
    }
  }

  key_offset_.assign(keys_.size(), 0);
  uint32_t offset = 0;
  for (uint32_t k : key_order_) {
    const Key& key = keys_[k];
    if (resources_.empty() || resources_.back().resource != key.resource) {
      resources_.push_back({key.resource, static_cast<uint32_t>(scopes_.size()), 0});
    }
    ++resources_.back().scope_count;
    scopes_.push_back({key.scope, offset, key.count});
    key_offset_[k] = offset;
    offset += key.count;
  }

  spans_.resize(offset);
  for (size_t i = 0; i < batch.size(); ++i) {
    const uint32_t k = key_of_span_[i];
    if (k != kNoKey) spans_[key_offset_[k]++] = batch[i];
  }
}

}  // namespace tracewire::otlp::internal
