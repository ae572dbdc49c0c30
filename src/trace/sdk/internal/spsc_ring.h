// SpscRing: a bounded lock-free single-producer single-consumer queue of trivially copyable
// values. TryPush only from the one producer thread, TryPop only from the one consumer thread;
// neither uses an atomic read-modify-write. Each side caches the other side's index, so the
// shared cache lines are touched only when the ring looks full (producer) or empty (consumer).
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

namespace tracewire::trace::internal {

template <typename T>
class SpscRing {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  // Holds at most `limit` values (limit >= 1).
  explicit SpscRing(size_t limit)
      : limit_(limit),
        mask_(std::bit_ceil(limit) - 1),
        slots_(std::make_unique<T[]>(std::bit_ceil(limit))) {}

  // Producer only. False (value not taken) when full.
  bool TryPush(T value) {
    const uint64_t t = tail_.load(std::memory_order_relaxed);
    if (t - head_cache_ >= limit_) {
      head_cache_ = head_.load(std::memory_order_acquire);
      if (t - head_cache_ >= limit_) return false;
    }
    slots_[t & mask_] = value;
    tail_.store(t + 1, std::memory_order_release);
    return true;
  }

  // Consumer only. False when empty.
  bool TryPop(T& out) {
    const uint64_t h = head_.load(std::memory_order_relaxed);
    if (h == tail_cache_) {
      tail_cache_ = tail_.load(std::memory_order_acquire);
      if (h == tail_cache_) return false;
    }
    out = slots_[h & mask_];
    head_.store(h + 1, std::memory_order_release);
    return true;
  }

  // Any thread; a snapshot that may be stale by the time it is used.
  size_t SizeApprox() const {
    const uint64_t h = head_.load(std::memory_order_acquire);
    const uint64_t t = tail_.load(std::memory_order_acquire);
    return static_cast<size_t>(t - h);
  }

  size_t limit() const { return limit_; }

 private:
  alignas(64) std::atomic<uint64_t> head_{0};  // written by the consumer
  uint64_t tail_cache_ = 0;                    // consumer's view of tail_
  alignas(64) std::atomic<uint64_t> tail_{0};  // written by the producer
  uint64_t head_cache_ = 0;                    // producer's view of head_
  alignas(64) const size_t limit_;
  const size_t mask_;
  std::unique_ptr<T[]> slots_;
};

}  // namespace tracewire::trace::internal
