// A log-bucketed histogram of durations (ns): bucket i holds values in (γ^(i-1), γ^i] with
// γ = 1.02, so quantiles come back within ~1%. Counts sit in a flat array indexed by bucket
// over the touched range (grown on demand) so Add is O(1); the encoding is sparse (only
// touched buckets). Merges by adding counts, so per-block tables combine exactly.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "store/format/coding.h"

namespace tracewire::store::format {

class DurationSketch {
 public:
  static constexpr double kGamma = 1.02;
  static constexpr int32_t kMaxBucket = 4096;

  void Add(uint64_t ns, uint64_t count = 1) {
    At(Bucket(ns)) += count;
    total_ += count;
  }
  void Merge(const DurationSketch& o) {
    for (size_t i = 0; i < o.buckets_.size(); ++i) {
      if (o.buckets_[i] != 0) At(o.first_ + static_cast<int32_t>(i)) += o.buckets_[i];
    }
    total_ += o.total_;
  }
  uint64_t total() const { return total_; }

  // The value at quantile q in [0, 1] (0 when empty).
  uint64_t Quantile(double q) const {
    if (total_ == 0) return 0;
    const auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(total_)));
    uint64_t seen = 0;
    int32_t last = 0;
    for (size_t b = 0; b < buckets_.size(); ++b) {
      if (buckets_[b] == 0) continue;
      seen += buckets_[b];
      last = first_ + static_cast<int32_t>(b);
      if (seen >= rank) return Value(last);
    }
    return Value(last);
  }

  void Encode(std::string* out) const {
    const auto used = static_cast<uint64_t>(
        std::count_if(buckets_.begin(), buckets_.end(), [](uint64_t c) { return c != 0; }));
    PutVarint(out, used);
    int32_t prev = 0;
    for (size_t b = 0; b < buckets_.size(); ++b) {
      if (buckets_[b] == 0) continue;
      const int32_t bucket = first_ + static_cast<int32_t>(b);
      PutVarint(out, static_cast<uint64_t>(bucket - prev));
      PutVarint(out, buckets_[b]);
      prev = bucket;
    }
  }
  // Reads what Encode wrote. `window_budget` bounds the memory decoding may take (bucket slots,
  // shared across the sketches of one index); it shrinks by this sketch's window width.
  bool Decode(Reader* in, uint64_t* window_budget) {
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
      if (b > kMaxBucket) return in->Fail();
      if (buckets_.empty() || static_cast<uint64_t>(b - first_) >= buckets_.size()) {
        const uint64_t grow =
            buckets_.empty() ? 1 : static_cast<uint64_t>(b - first_) + 1 - buckets_.size();
        if (grow > *window_budget) return in->Fail();
        *window_budget -= grow;
      }
      At(static_cast<int32_t>(b)) += c;
      total_ += c;
    }
    return true;
  }

 private:
  static int32_t Bucket(uint64_t ns) {
    if (ns <= 1) return 0;
    static const double kInvLogGamma = 1.0 / std::log(kGamma);
    const auto b =
        static_cast<int32_t>(std::ceil(std::log(static_cast<double>(ns)) * kInvLogGamma));
    return std::min(b, kMaxBucket);
  }
  // The count of `bucket`, growing the window [first_, first_ + size) to hold it.
  uint64_t& At(int32_t bucket) {
    if (buckets_.empty()) {
      first_ = bucket;
      buckets_.assign(1, 0);
    } else if (bucket < first_) {
      buckets_.insert(buckets_.begin(), static_cast<size_t>(first_ - bucket), 0);
      first_ = bucket;
    }
    const auto i = static_cast<size_t>(bucket - first_);
    if (i >= buckets_.size()) buckets_.resize(i + 1, 0);
    return buckets_[i];
  }
  static uint64_t Value(int32_t bucket) {
    if (bucket == 0) return 1;
    // Midpoint of (γ^(b-1), γ^b]: relative error ≤ (γ-1)/2.
    const double hi = std::pow(kGamma, bucket);
    return static_cast<uint64_t>(std::llround(hi * 2.0 / (1.0 + kGamma)));
  }

  std::vector<uint64_t> buckets_;  // count of bucket first_ + i
  int32_t first_ = 0;
  uint64_t total_ = 0;
};

}  // namespace tracewire::store::format
