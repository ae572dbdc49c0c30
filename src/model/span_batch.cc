#include "model/span_batch.h"

namespace tracewire::model {

std::string_view BatchStorage::AdoptBuffer(std::string bytes) {
  buffer_bytes_ += bytes.capacity();
  buffers_.push_back(std::make_unique<std::string>(std::move(bytes)));
  return *buffers_.back();
}

void BatchStorage::Absorb(BatchStorage&& other) {
  buffers_.insert(buffers_.end(), std::make_move_iterator(other.buffers_.begin()),
                  std::make_move_iterator(other.buffers_.end()));
  buffer_bytes_ += other.buffer_bytes_;
  other.buffers_.clear();
  other.buffer_bytes_ = 0;
  arena_.Absorb(std::move(other.arena_));
}

namespace {

// Appends `from`'s resources, scopes and items to `to`, rebasing their indices.
template <typename Batch, typename Item>
void AbsorbInto(Batch& to, Batch&& from, std::vector<Item>& to_items,
                std::vector<Item>& from_items) {
  const auto resource_base = static_cast<uint32_t>(to.resources.size());
  const auto scope_base = static_cast<uint32_t>(to.scopes.size());
  to.resources.insert(to.resources.end(), from.resources.begin(), from.resources.end());
  to.scopes.insert(to.scopes.end(), from.scopes.begin(), from.scopes.end());
  to_items.reserve(to_items.size() + from_items.size());
  for (Item item : from_items) {
    item.resource_index += resource_base;
    item.scope_index += scope_base;
    to_items.push_back(item);
  }
  to.storage.Absorb(std::move(from.storage));
  from.resources.clear();
  from.scopes.clear();
  from_items.clear();
}

template <typename Batch>
size_t BytesOf(const Batch& b, size_t item_bytes) {
  return b.storage.bytes_reserved() + b.resources.capacity() * sizeof(Resource) +
         b.scopes.capacity() * sizeof(Scope) + item_bytes;
}

}  // namespace

void SpanBatch::Absorb(SpanBatch&& other) {
  AbsorbInto(*this, std::move(other), spans, other.spans);
}
size_t SpanBatch::bytes_reserved() const { return BytesOf(*this, spans.capacity() * sizeof(Span)); }

void LogBatch::Absorb(LogBatch&& other) {
  AbsorbInto(*this, std::move(other), records, other.records);
}
size_t LogBatch::bytes_reserved() const {
  return BytesOf(*this, records.capacity() * sizeof(LogRecord));
}

}  // namespace tracewire::model
