#include "trpc_echo_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace tracewire::bench {
namespace {

constexpr unsigned kSubBits = 8;
constexpr uint64_t kSub = uint64_t{1} << kSubBits;  // buckets per power of two
constexpr uint64_t kLinear = 2 * kSub;              // values below this have their own bucket
// Highest bucket: values with bit width 64 (shift 55).
constexpr size_t kBuckets = kLinear + (64 - kSubBits - 1) * kSub;

}  // namespace

LatencyHistogram::LatencyHistogram() : counts_(kBuckets, 0) {}

size_t LatencyHistogram::BucketOf(uint64_t ns) {
  if (ns < kLinear) return static_cast<size_t>(ns);
  const unsigned shift = static_cast<unsigned>(std::bit_width(ns)) - 1 - kSubBits;  // >= 1
  return static_cast<size_t>(kLinear + (shift - 1) * kSub + ((ns >> shift) - kSub));
}

uint64_t LatencyHistogram::BucketUpperBound(size_t bucket) {
  if (bucket < kLinear) return bucket;
  const uint64_t shift = (bucket - kLinear) / kSub + 1;
  const uint64_t mantissa = (bucket - kLinear) % kSub + kSub;  // in [kSub, 2 kSub)
  return ((mantissa + 1) << shift) - 1;
}

void LatencyHistogram::Record(int64_t ns) {
  const uint64_t v = ns < 0 ? 0 : static_cast<uint64_t>(ns);
  ++counts_[BucketOf(v)];
  ++count_;
  sum_ns_ += v;
  max_ns_ = std::max(max_ns_, static_cast<int64_t>(v));
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ns_ += other.sum_ns_;
  max_ns_ = std::max(max_ns_, other.max_ns_);
}

int64_t LatencyHistogram::ValueAtQuantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const auto rank =
      std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      return std::min(static_cast<int64_t>(BucketUpperBound(i)), max_ns_);
    }
  }
  return max_ns_;
}

}  // namespace tracewire::bench
