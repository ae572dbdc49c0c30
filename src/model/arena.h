// Arena: a bump allocator for the decoded views of one batch. Memory comes in chunks (64 KiB by
// default, larger when one request needs more), so decoding allocates per batch, not per span.
// Only trivially destructible objects may live here: nothing is ever destroyed, chunks are freed
// whole. Not thread-safe; owned by one batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

namespace tracewire::model {

class Arena {
 public:
  static constexpr size_t kDefaultChunkBytes = size_t{64} * 1024;

  explicit Arena(size_t chunk_bytes = kDefaultChunkBytes) : chunk_bytes_(chunk_bytes) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;

  // Returns `bytes` bytes aligned to `align` (a power of two ≤ alignof(max_align_t)).
  void* Allocate(size_t bytes, size_t align) {
    const size_t pad = Padding(cursor_, align);
    if (cursor_ == nullptr || static_cast<size_t>(limit_ - cursor_) < pad + bytes) {
      return AllocateSlow(bytes, align);
    }
    char* p = cursor_ + pad;
    cursor_ = p + bytes;
    return p;
  }

  // Returns n value-initialized Ts (n may be 0: an empty span).
  template <typename T>
  std::span<T> AllocateArray(size_t n) {
    static_assert(std::is_trivially_destructible_v<T>, "the arena never runs destructors");
    if (n == 0) return {};
    T* p = static_cast<T*>(Allocate(n * sizeof(T), alignof(T)));
    for (size_t i = 0; i < n; ++i) new (p + i) T();
    return {p, n};
  }

  // Copies `s` into the arena; the view lives as long as the arena.
  std::string_view CopyString(std::string_view s);

  // Moves every chunk of `other` into this arena (views into them stay valid); `other` is empty
  // afterwards.
  void Absorb(Arena&& other);

  // Bytes of chunk memory held (the memory limiter's measure).
  size_t bytes_reserved() const { return bytes_reserved_; }

 private:
  // Bytes to skip from p to the next multiple of align.
  static size_t Padding(const char* p, size_t align) {
    return (align - (reinterpret_cast<uintptr_t>(p) & (align - 1))) & (align - 1);
  }
  void* AllocateSlow(size_t bytes, size_t align);

  size_t chunk_bytes_;
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* cursor_ = nullptr;
  char* limit_ = nullptr;
  size_t bytes_reserved_ = 0;
};

}  // namespace tracewire::model
