#include "trace/sdk/clock.h"

#include <time.h>

#include <atomic>
#include <mutex>

#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
#endif

namespace tracewire::trace {
namespace {

// Re-anchor the TSC→realtime mapping after this many ns of TSC-estimated time.
constexpr uint64_t kRecalibrateNs = 1'000'000'000;
// The start-up calibration window.
constexpr uint64_t kInitialWindowNs = 2'000'000;

uint64_t ReadRealtime() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + static_cast<uint64_t>(ts.tv_nsec);
}

#if defined(__x86_64__)
bool HasInvariantTsc() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid_max(0x80000000, nullptr) < 0x80000007) return false;
  __get_cpuid(0x80000007, &a, &b, &c, &d);
  return (d & (1u << 8)) != 0;
}
uint64_t ReadTsc() { return __rdtsc(); }
#else
bool HasInvariantTsc() { return false; }
uint64_t ReadTsc() { return 0; }
#endif

// The mapping realtime = base_ns + (tsc - base_tsc) * ns_per_tick, published with a
// sequence lock: readers retry while `seq` is odd or changed under them.
struct Anchor {
  std::atomic<uint64_t> seq{0};
  std::atomic<uint64_t> base_tsc{0};
  std::atomic<uint64_t> base_ns{0};
  std::atomic<double> ns_per_tick{0};
  std::mutex writer;  // one re-anchoring thread at a time
  bool tsc_ok = false;

  Anchor() {
    tsc_ok = HasInvariantTsc();
    if (!tsc_ok) return;
    const uint64_t t0 = ReadTsc();
    const uint64_t n0 = ReadRealtime();
    uint64_t n1 = n0;
    uint64_t t1 = t0;
    while (n1 - n0 < kInitialWindowNs) {
      n1 = ReadRealtime();
      t1 = ReadTsc();
    }
    if (t1 <= t0) {
      tsc_ok = false;
      return;
    }
    base_tsc.store(t1, std::memory_order_relaxed);
    base_ns.store(n1, std::memory_order_relaxed);
    ns_per_tick.store(static_cast<double>(n1 - n0) / static_cast<double>(t1 - t0),
                      std::memory_order_relaxed);
  }

  // Measures the rate over the last window and moves the anchor to now.
  void Reanchor() {
    std::unique_lock lock(writer, std::try_to_lock);
    if (!lock.owns_lock()) return;  // someone else is doing it
    const uint64_t old_tsc = base_tsc.load(std::memory_order_relaxed);
    const uint64_t old_ns = base_ns.load(std::memory_order_relaxed);
    const uint64_t now_ns = ReadRealtime();
    const uint64_t now_tsc = ReadTsc();
    if (now_tsc <= old_tsc || now_ns <= old_ns) return;  // clock stepped back: keep the rate
    const double rate =
        static_cast<double>(now_ns - old_ns) / static_cast<double>(now_tsc - old_tsc);
    seq.fetch_add(1, std::memory_order_acq_rel);  // odd: writing
    base_tsc.store(now_tsc, std::memory_order_relaxed);
    base_ns.store(now_ns, std::memory_order_relaxed);
    // Ignore absurd rates (suspend/resume, clock steps): keep the previous one.
    const double prev = ns_per_tick.load(std::memory_order_relaxed);
    if (rate > prev * 0.9 && rate < prev * 1.1) ns_per_tick.store(rate, std::memory_order_relaxed);
    seq.fetch_add(1, std::memory_order_release);  // even: done
  }
};

Anchor& GetAnchor() {
  static Anchor anchor;
  return anchor;
}

}  // namespace

uint64_t SystemNowUnixNano() { return ReadRealtime(); }

uint64_t FastNowUnixNano() {
  Anchor& a = GetAnchor();
  if (!a.tsc_ok) [[unlikely]] {
    return ReadRealtime();
  }
  for (;;) {
    const uint64_t s0 = a.seq.load(std::memory_order_acquire);
    const uint64_t base_tsc = a.base_tsc.load(std::memory_order_relaxed);
    const uint64_t base_ns = a.base_ns.load(std::memory_order_relaxed);
    const double rate = a.ns_per_tick.load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    if ((s0 & 1) != 0 || a.seq.load(std::memory_order_relaxed) != s0) continue;
    const uint64_t tsc = ReadTsc();
    if (tsc < base_tsc) [[unlikely]] {
      return ReadRealtime();  // another core's TSC lags the anchor slightly
    }
    const uint64_t elapsed = static_cast<uint64_t>(static_cast<double>(tsc - base_tsc) * rate);
    if (elapsed > kRecalibrateNs) [[unlikely]] {
      a.Reanchor();
      return ReadRealtime();
    }
    return base_ns + elapsed;
  }
}

}  // namespace tracewire::trace
