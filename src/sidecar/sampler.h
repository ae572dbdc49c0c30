// The sidecar's sampler (config.h `sampling:`). In order:
//   1. forced: the span was started with the attribute kForcedSamplingAttribute (the session
//      saw one of `sampling.force`'s keys with the value 1 or true) -> sampled;
//   2. parent_based and a valid parent -> the parent's sampled flag;
//   3. a root: the trace-id ratio, then the rate limit (a token bucket of `rate_limit` traces
//      per second, burst max(rate_limit, 1), full at start; 0 = no limit) -> sampled, else drop.
// HOT PATH: lock-free (one compare-and-swap per rate-limited root), no allocation.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "sidecar/config.h"
#include "trace/attribute.h"
#include "trace/sdk/sampler.h"

namespace tracewire::sidecar {

inline constexpr std::string_view kForcedSamplingAttribute = "tracewire.sampling.forced";

// One attribute {kForcedSamplingAttribute: true}, to pass as StartSpanOptions::attributes.
std::span<const trace::Attribute> ForcedSamplingAttributes();

// True for the force values "1" and "true" (case-insensitive).
bool IsForceValue(std::string_view value);

// A token bucket as a generic cell rate algorithm: one atomic "theoretical arrival time".
class RateLimiter {
 public:
  // `per_second` > 0.
  explicit RateLimiter(double per_second);
  // Takes one token at monotonic time `now_ns` when there is one.
  bool TryAcquire(uint64_t now_ns);

 private:
  uint64_t interval_ns_;  // one token
  uint64_t slack_ns_;     // (burst - 1) tokens
  std::atomic<uint64_t> tat_{0};
};

// `clock` returns monotonic ns (injectable for tests).
std::unique_ptr<trace::Sampler> MakeSidecarSampler(
    const SamplingConfig& config, trace::MonotonicClockFn clock = &trace::SteadyNowNano);

}  // namespace tracewire::sidecar
