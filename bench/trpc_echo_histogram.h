// A log-linear latency histogram in the spirit of HdrHistogram: exact below 512 ns, then 256
// buckets per power of two (relative error < 0.4%). Values are nanoseconds. Not thread-safe:
// keep one per thread and Merge them at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tracewire::bench {

class LatencyHistogram {
 public:
  LatencyHistogram();

  // Records one value in ns; negative values count as 0.
  void Record(int64_t ns);
  // Adds every recording of `other`.
  void Merge(const LatencyHistogram& other);

  uint64_t count() const { return count_; }
  int64_t max_ns() const { return max_ns_; }
  double mean_ns() const { return count_ == 0 ? 0.0 : static_cast<double>(sum_ns_) / count_; }

  // The value at quantile q (0..1): the highest value equivalent to the ceil(q * count)-th
  // smallest recording (its bucket's upper bound, capped at the exact maximum). 0 when empty.
  int64_t ValueAtQuantile(double q) const;

  // Bucket geometry, exposed for tests.
  static size_t BucketOf(uint64_t ns);
  static uint64_t BucketUpperBound(size_t bucket);  // the highest ns value in `bucket`

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  int64_t max_ns_ = 0;
  // Sum for the mean; 2^63 ns is 292 years of latency, so it does not overflow in practice.
  uint64_t sum_ns_ = 0;
};

}  // namespace tracewire::bench
