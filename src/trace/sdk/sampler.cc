#include "trace/sdk/sampler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <mutex>

namespace tracewire::trace {
namespace {

class AlwaysOnSampler final : public Sampler {
 public:
  SamplingResult ShouldSample(const SamplingParams&) const override {
    return {SamplingDecision::kRecordAndSample, {}, std::nullopt};
  }
  std::string Description() const override { return "AlwaysOnSampler"; }
};

class AlwaysOffSampler final : public Sampler {
 public:
  SamplingResult ShouldSample(const SamplingParams&) const override {
    return {SamplingDecision::kDrop, {}, std::nullopt};
  }
  std::string Description() const override { return "AlwaysOffSampler"; }
};

constexpr uint64_t kTwoPow56 = uint64_t{1} << 56;

class TraceIdRatioSampler final : public Sampler {
 public:
  explicit TraceIdRatioSampler(double ratio) {
    if (!(ratio > 0)) ratio = 0;  // also maps NaN to 0
    ratio_ = std::min(ratio, 1.0);
    const long double t = (1.0L - ratio_) * static_cast<long double>(kTwoPow56);
    threshold_ = static_cast<uint64_t>(std::llround(t));
    if (threshold_ > kTwoPow56) threshold_ = kTwoPow56;
  }

  SamplingResult ShouldSample(const SamplingParams& p) const override {
    const uint8_t* b = p.trace_id.data();
    uint64_t r = 0;
    for (int i = 9; i < 16; ++i) r = (r << 8) | b[i];
    const bool sampled = r >= threshold_;
    return {
        sampled ? SamplingDecision::kRecordAndSample : SamplingDecision::kDrop, {}, std::nullopt};
  }

  std::string Description() const override {
    char buf[64];
    std::snprintf(buf, sizeof buf, "TraceIdRatioBased{%f}", ratio_);
    return buf;
  }

 private:
  double ratio_ = 0;
  uint64_t threshold_ = kTwoPow56;
};

class ParentBasedSampler final : public Sampler {
 public:
  explicit ParentBasedSampler(ParentBasedOptions o) : o_(std::move(o)) {
    if (!o_.root) o_.root = MakeAlwaysOnSampler();
    if (!o_.remote_parent_sampled) o_.remote_parent_sampled = MakeAlwaysOnSampler();
    if (!o_.remote_parent_not_sampled) o_.remote_parent_not_sampled = MakeAlwaysOffSampler();
    if (!o_.local_parent_sampled) o_.local_parent_sampled = MakeAlwaysOnSampler();
    if (!o_.local_parent_not_sampled) o_.local_parent_not_sampled = MakeAlwaysOffSampler();
  }

  SamplingResult ShouldSample(const SamplingParams& p) const override {
    const SpanContext& parent = p.parent.span_context();
    if (!parent.IsValid()) return o_.root->ShouldSample(p);
    if (parent.IsRemote()) {
      return parent.IsSampled() ? o_.remote_parent_sampled->ShouldSample(p)
                                : o_.remote_parent_not_sampled->ShouldSample(p);
    }
    return parent.IsSampled() ? o_.local_parent_sampled->ShouldSample(p)
                              : o_.local_parent_not_sampled->ShouldSample(p);
  }

  std::string Description() const override {
    return "ParentBased{root=" + o_.root->Description() +
           ",remoteParentSampled=" + o_.remote_parent_sampled->Description() +
           ",remoteParentNotSampled=" + o_.remote_parent_not_sampled->Description() +
           ",localParentSampled=" + o_.local_parent_sampled->Description() +
           ",localParentNotSampled=" + o_.local_parent_not_sampled->Description() + "}";
  }

 private:
  ParentBasedOptions o_;
};

class RateLimitingSampler final : public Sampler {
 public:
  RateLimitingSampler(double per_second, MonotonicClockFn clock)
      : rate_(per_second > 0 ? per_second : 0),
        max_balance_(std::max(rate_, 1.0)),
        balance_(max_balance_),
        clock_(clock),
        last_ns_(clock()) {}

  SamplingResult ShouldSample(const SamplingParams&) const override {
    bool sampled = false;
    {
      std::lock_guard lock(mu_);
      const uint64_t now = clock_();
      if (now > last_ns_) {
        balance_ =
            std::min(max_balance_, balance_ + static_cast<double>(now - last_ns_) * rate_ / 1e9);
        last_ns_ = now;
      }
      if (balance_ >= 1.0) {
        balance_ -= 1.0;
        sampled = true;
      }
    }
    if (!sampled) return {SamplingDecision::kDrop, {}, std::nullopt};
    SamplingResult r{SamplingDecision::kRecordAndSample, {}, std::nullopt};
    r.attributes.push_back({"sampler.type", std::string("ratelimiting")});
    r.attributes.push_back({"sampler.param", rate_});
    return r;
  }

  std::string Description() const override {
    char buf[64];
    std::snprintf(buf, sizeof buf, "RateLimitingSampler{%g}", rate_);
    return buf;
  }

 private:
  const double rate_;
  const double max_balance_;
  mutable std::mutex mu_;
  mutable double balance_;
  MonotonicClockFn clock_;
  mutable uint64_t last_ns_;
};

}  // namespace

uint64_t SteadyNowNano() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

std::unique_ptr<Sampler> MakeAlwaysOnSampler() { return std::make_unique<AlwaysOnSampler>(); }
std::unique_ptr<Sampler> MakeAlwaysOffSampler() { return std::make_unique<AlwaysOffSampler>(); }
std::unique_ptr<Sampler> MakeTraceIdRatioSampler(double ratio) {
  return std::make_unique<TraceIdRatioSampler>(ratio);
}
std::unique_ptr<Sampler> MakeParentBasedSampler(ParentBasedOptions options) {
  return std::make_unique<ParentBasedSampler>(std::move(options));
}
std::unique_ptr<Sampler> MakeParentBasedSampler(std::unique_ptr<Sampler> root) {
  ParentBasedOptions o;
  o.root = std::move(root);
  return MakeParentBasedSampler(std::move(o));
}
std::unique_ptr<Sampler> MakeRateLimitingSampler(double traces_per_second, MonotonicClockFn clock) {
  return std::make_unique<RateLimitingSampler>(traces_per_second, clock);
}

}  // namespace tracewire::trace
