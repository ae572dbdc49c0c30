#include "trace/sdk/id_generator.h"

#include <pthread.h>

#include <atomic>
#include <cstring>
#include <random>

namespace tracewire::trace {
namespace {

// Bumped in every forked child so each thread there reseeds instead of repeating the
// parent's sequence.
std::atomic<uint32_t> fork_generation{1};

void OnForkChild() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

uint32_t RegisterForkHandler() {
  pthread_atfork(nullptr, nullptr, &OnForkChild);
  return 1;
}

uint64_t SplitMix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// xoshiro256++ (Blackman & Vigna). Trivially constructible so the thread_local needs no
// guard; `generation` 0 means "not seeded yet".
struct Xoshiro {
  uint64_t s[4];
  uint32_t generation;

  void Seed() {
    static const uint32_t kRegistered = RegisterForkHandler();
    (void)kRegistered;
    std::random_device rd;
    uint64_t x = (static_cast<uint64_t>(rd()) << 32) ^ rd();
    // Mix in the state address so two threads seeded from a weak random_device still differ.
    x ^= reinterpret_cast<uintptr_t>(this);
    for (uint64_t& w : s) w = SplitMix64(x);
    generation = fork_generation.load(std::memory_order_relaxed);
  }

  void EnsureSeeded() {
    if (generation != fork_generation.load(std::memory_order_relaxed)) [[unlikely]] {
      Seed();
    }
  }

  uint64_t Next() {
    EnsureSeeded();
    return NextSeeded();
  }

  // REQUIRES: EnsureSeeded() was called on this thread since the last fork.
  uint64_t NextSeeded() {
    const uint64_t result = Rotl(s[0] + s[3], 23) + s[0];
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = Rotl(s[3], 45);
    return result;
  }
};

thread_local Xoshiro tls_rng;  // zero-initialised: generation 0 forces a seed on first use

uint64_t NonZero64(Xoshiro& rng) {
  for (;;) {
    const uint64_t v = rng.NextSeeded();
    if (v != 0) [[likely]]
      return v;
  }
}

class RandomIdGenerator final : public IdGenerator {
 public:
  TraceId NewTraceId() override { return NewRandomTraceId(); }
  SpanId NewSpanId() override { return NewRandomSpanId(); }
};

}  // namespace

uint64_t NextRandom64() { return tls_rng.Next(); }

TraceId NewRandomTraceId() {
  TraceId id;
  // The low half is never zero, so the id is never all-zero; both halves are random.
  Xoshiro& rng = tls_rng;
  rng.EnsureSeeded();
  const uint64_t hi = rng.NextSeeded();
  const uint64_t lo = NonZero64(rng);
  std::memcpy(id.mutable_data(), &hi, 8);
  std::memcpy(id.mutable_data() + 8, &lo, 8);
  return id;
}

SpanId NewRandomSpanId() {
  SpanId id;
  Xoshiro& rng = tls_rng;
  rng.EnsureSeeded();
  const uint64_t v = NonZero64(rng);
  std::memcpy(id.mutable_data(), &v, 8);
  return id;
}

std::unique_ptr<IdGenerator> MakeRandomIdGenerator() {
  return std::make_unique<RandomIdGenerator>();
}

}  // namespace tracewire::trace
