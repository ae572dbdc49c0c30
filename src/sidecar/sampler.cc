#include "sidecar/sampler.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "base/text.h"

namespace tracewire::sidecar {
namespace {

class SidecarSampler final : public trace::Sampler {
 public:
  SidecarSampler(const SamplingConfig& config, trace::MonotonicClockFn clock)
      : parent_based_(config.parent_based),
        ratio_(config.ratio < 1.0 ? trace::MakeTraceIdRatioSampler(config.ratio) : nullptr),
        clock_(clock),
        description_("SidecarSampler{ratio=" + std::to_string(config.ratio) +
                     ",rate_limit=" + std::to_string(config.rate_limit) +
                     ",parent_based=" + (config.parent_based ? "true" : "false") + "}") {
    if (config.rate_limit > 0) limiter_ = std::make_unique<RateLimiter>(config.rate_limit);
  }

  // HOT PATH
  trace::SamplingResult ShouldSample(const trace::SamplingParams& params) const override {
    trace::SamplingResult result;
    for (const trace::Attribute& a : params.attributes) {
      if (a.key == kForcedSamplingAttribute) {
        result.decision = trace::SamplingDecision::kRecordAndSample;
        return result;
      }
    }
    const trace::SpanContext& parent = params.parent.span_context();
    if (parent_based_ && parent.IsValid()) {
      result.decision = parent.IsSampled() ? trace::SamplingDecision::kRecordAndSample
                                           : trace::SamplingDecision::kDrop;
      return result;
    }
    if (ratio_ != nullptr &&
        ratio_->ShouldSample(params).decision != trace::SamplingDecision::kRecordAndSample) {
      return result;
    }
    if (limiter_ != nullptr && !limiter_->TryAcquire(clock_())) return result;
    result.decision = trace::SamplingDecision::kRecordAndSample;
    return result;
  }

  std::string Description() const override { return description_; }

 private:
  bool parent_based_;
  std::unique_ptr<trace::Sampler> ratio_;
  std::unique_ptr<RateLimiter> limiter_;
  trace::MonotonicClockFn clock_;
  std::string description_;
};

}  // namespace

std::span<const trace::Attribute> ForcedSamplingAttributes() {
  static const trace::Attribute kForced{std::string(kForcedSamplingAttribute), true};
  return {&kForced, 1};
}

bool IsForceValue(std::string_view value) {
  return value == "1" || EqualsIgnoreCase(value, "true");
}

RateLimiter::RateLimiter(double per_second) {
  const double interval = 1e9 / per_second;
  interval_ns_ = static_cast<uint64_t>(std::max(1.0, std::round(interval)));
  const double burst = std::max(per_second, 1.0);
  slack_ns_ = static_cast<uint64_t>(std::round((burst - 1.0) * interval));
}

// HOT PATH
bool RateLimiter::TryAcquire(uint64_t now_ns) {
  uint64_t tat = tat_.load(std::memory_order_relaxed);
  for (;;) {
    const uint64_t base = std::max(tat, now_ns);
    if (base - now_ns > slack_ns_) return false;
    if (tat_.compare_exchange_weak(tat, base + interval_ns_, std::memory_order_relaxed)) {
      return true;
    }
  }
}

std::unique_ptr<trace::Sampler> MakeSidecarSampler(const SamplingConfig& config,
                                                   trace::MonotonicClockFn clock) {
  return std::make_unique<SidecarSampler>(config, clock);
}

}  // namespace tracewire::sidecar
