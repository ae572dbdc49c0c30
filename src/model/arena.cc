#include "model/arena.h"

#include <cstring>

namespace tracewire::model {

std::string_view Arena::CopyString(std::string_view s) {
  if (s.empty()) return {};
  char* p = static_cast<char*>(Allocate(s.size(), 1));
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

void* Arena::AllocateSlow(size_t bytes, size_t align) {
  // A request larger than a quarter chunk gets a chunk of its own, so the current chunk's free
  // tail stays usable.
  const size_t need = bytes + align;
  if (need > chunk_bytes_ / 4) {
    auto chunk = std::make_unique_for_overwrite<char[]>(need);
    char* base = chunk.get();
    chunks_.insert(chunks_.begin(), std::move(chunk));
    bytes_reserved_ += need;
    return base + Padding(base, align);
  }
  auto chunk = std::make_unique_for_overwrite<char[]>(chunk_bytes_);
  cursor_ = chunk.get();
  limit_ = cursor_ + chunk_bytes_;
  chunks_.push_back(std::move(chunk));
  bytes_reserved_ += chunk_bytes_;
  char* p = cursor_ + Padding(cursor_, align);
  cursor_ = p + bytes;
  return p;
}

void Arena::Absorb(Arena&& other) {
  if (other.chunks_.empty()) return;
  // Keep our own current chunk last, so allocation continues in it.
  auto insert_at = chunks_.empty() ? chunks_.end() : chunks_.end() - 1;
  chunks_.insert(insert_at, std::make_move_iterator(other.chunks_.begin()),
                 std::make_move_iterator(other.chunks_.end()));
  bytes_reserved_ += other.bytes_reserved_;
  other.chunks_.clear();
  other.cursor_ = other.limit_ = nullptr;
  other.bytes_reserved_ = 0;
}

}  // namespace tracewire::model
