// A log-bucketed histogram of durations (ns): bucket i holds values in (γ^(i-1), γ^i] with
// γ = 1.02, so quantiles come back within ~1%. Sparse (only touched buckets are kept); merges
// by adding counts, so per-block tables combine exactly.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <string>

#include "store/format/coding.h"

namespace tracewire::store::format {

class DurationSketch {
 public:
  static constexpr double kGamma = 1.02;

  void Add(uint64_t ns, uint64_t count = 1) {
    buckets_[Bucket(ns)] += count;
    total_ += count;
  }
  void Merge(const DurationSketch& o) {
    for (auto [b, c] : o.buckets_) buckets_[b] += c;
    total_ += o.total_;
  }
  uint64_t total() const { return total_; }

  // The value at quantile q in [0, 1] (0 when empty).
  uint64_t Quantile(double q) const {
    if (total_ == 0) return 0;
    const auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(total_)));
    uint64_t seen = 0;
    for (auto [b, c] : buckets_) {
      seen += c;
      if (seen >= rank) return Value(b);
    }
    return Value(buckets_.rbegin()->first);
  }

  void Encode(std::string* out) const {
    PutVarint(out, buckets_.size());
    int32_t prev = 0;
    for (auto [b, c] : buckets_) {
      PutVarint(out, static_cast<uint64_t>(b - prev));
      PutVarint(out, c);
      prev = b;
    }
  }
  bool Decode(Reader* in) {
    uint64_t n = 0;
    if (!in->Varint(&n) || n > in->remaining() / 2 || n > 4096) return in->Fail();
    int64_t b = 0;
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t db = 0;
      uint64_t c = 0;
      if (!in->Varint(&db) || !in->Varint(&c) || db > 4096 || (i > 0 && db == 0)) {
        return in->Fail();
      }
      b += static_cast<int64_t>(db);
      if (b > 4096) return in->Fail();
      buckets_[static_cast<int32_t>(b)] += c;
      total_ += c;
    }
    return true;
  }

 private:
  static int32_t Bucket(uint64_t ns) {
    if (ns <= 1) return 0;
    return static_cast<int32_t>(std::ceil(std::log(static_cast<double>(ns)) / std::log(kGamma)));
  }
  static uint64_t Value(int32_t bucket) {
    if (bucket == 0) return 1;
    // Midpoint of (γ^(b-1), γ^b]: relative error ≤ (γ-1)/2.
    const double hi = std::pow(kGamma, bucket);
    return static_cast<uint64_t>(std::llround(hi * 2.0 / (1.0 + kGamma)));
  }

  std::map<int32_t, uint64_t> buckets_;
  uint64_t total_ = 0;
};

}  // namespace tracewire::store::format
