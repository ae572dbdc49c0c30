// StringIds: byte strings → dense ids (0, 1, ... in first-seen order) in one open-addressing
// table, for the store's hot interning (page dictionaries, posting keys, name tables). Lookups
// hash once (HashBytes) and touch one flat slot array; no node per key.
//
// kCopyKeys = true: the table copies each new key into chunks it owns (views stay valid for the
// table's life). false: it keeps the caller's views, which must outlive the table.
// Thread-safety: none.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace tracewire::store::format {

// A fast 64-bit hash of short byte strings (8 bytes a step, murmur3's finalizer). Not for
// untrusted adversarial keys at scale: the store's keys are bounded per head/page.
inline uint64_t HashBytes(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = 0x9e3779b97f4a7c15ull ^ (static_cast<uint64_t>(n) * 0xff51afd7ed558ccdull);
  while (n >= 8) {
    uint64_t v = 0;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t v = 0;
    std::memcpy(&v, p, n);
    h = (h ^ v) * 0x94d049bb133111ebull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

template <bool kCopyKeys>
class BasicStringIds {
 public:
  static constexpr uint32_t kAbsent = UINT32_MAX;

  BasicStringIds() = default;
  BasicStringIds(const BasicStringIds&) = delete;
  BasicStringIds& operator=(const BasicStringIds&) = delete;
  BasicStringIds(BasicStringIds&&) noexcept = default;
  BasicStringIds& operator=(BasicStringIds&&) noexcept = default;

  // The id of `key`, adding it when new (*inserted says which, when given).
  uint32_t Intern(std::string_view key, bool* inserted = nullptr) {
    if ((keys_.size() + 1) * 4 > slots_.size() * 3) Grow();
    const uint64_t h = HashBytes(key);
    const size_t mask = slots_.size() - 1;
    for (size_t i = static_cast<size_t>(h) & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.id == kAbsent) {
        s.id = static_cast<uint32_t>(keys_.size());
        s.hash = h;
        keys_.push_back(Store(key));
        if (inserted != nullptr) *inserted = true;
        return s.id;
      }
      if (s.hash == h && keys_[s.id] == key) {
        if (inserted != nullptr) *inserted = false;
        return s.id;
      }
    }
  }
  // The id of `key`, or kAbsent.
  uint32_t Find(std::string_view key) const {
    if (slots_.empty()) return kAbsent;
    const uint64_t h = HashBytes(key);
    const size_t mask = slots_.size() - 1;
    for (size_t i = static_cast<size_t>(h) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.id == kAbsent) return kAbsent;
      if (s.hash == h && keys_[s.id] == key) return s.id;
    }
  }
  // A copy of the table (views only: the keys stay the caller's).
  BasicStringIds Clone() const {
    static_assert(!kCopyKeys, "a copying table owns its chunks: clone the keys instead");
    BasicStringIds c;
    c.slots_ = slots_;
    c.keys_ = keys_;
    return c;
  }
  std::string_view key(uint32_t id) const { return keys_[id]; }
  const std::vector<std::string_view>& keys() const { return keys_; }
  size_t size() const { return keys_.size(); }
  // Bytes held (slots, views and copied keys).
  size_t MemoryBytes() const {
    return slots_.size() * sizeof(Slot) + keys_.capacity() * sizeof(std::string_view) +
           chunks_.size() * kChunkBytes;
  }
  void Clear() {
    slots_.clear();
    keys_.clear();
    chunks_.clear();
    chunk_used_ = kChunkBytes;
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t id = kAbsent;
  };
  static constexpr size_t kChunkBytes = 64 << 10;

  std::string_view Store(std::string_view key) {
    if constexpr (!kCopyKeys) {
      return key;
    } else {
      if (key.empty()) return {};
      if (key.size() > kChunkBytes / 4) {  // a big key gets a chunk of its own
        chunks_.push_back(std::make_unique<char[]>(key.size()));
        std::memcpy(chunks_.back().get(), key.data(), key.size());
        return {chunks_.back().get(), key.size()};
      }
      if (chunk_used_ + key.size() > kChunkBytes) {
        chunks_.push_back(std::make_unique<char[]>(kChunkBytes));
        chunk_used_ = 0;
        current_ = chunks_.back().get();
      }
      char* at = current_ + chunk_used_;
      std::memcpy(at, key.data(), key.size());
      chunk_used_ += key.size();
      return {at, key.size()};
    }
  }
  void Grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    const size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.id == kAbsent) continue;
      size_t i = static_cast<size_t>(s.hash) & mask;
      while (slots_[i].id != kAbsent) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;  // power of two, at most 3/4 full
  std::vector<std::string_view> keys_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* current_ = nullptr;
  size_t chunk_used_ = kChunkBytes;
};

using StringIds = BasicStringIds<true>;       // owns copies of its keys
using StringViewIds = BasicStringIds<false>;  // keys are the caller's views

}  // namespace tracewire::store::format
