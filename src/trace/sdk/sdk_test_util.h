// Test helpers for the SDK tests: a processor that keeps every ended span.
#pragma once

#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "trace/sdk/span_processor.h"
#include "trace/sdk/tracer.h"

namespace tracewire::trace::testing {

// Keeps ended spans (sampled or not) and can hand them back as "recycled" SpanData, to test
// that reuse never leaks an earlier span's data.
class RecordingProcessor final : public SpanProcessor {
 public:
  std::unique_ptr<SpanData> AcquireSpanData() override {
    std::lock_guard lock(mu_);
    if (!recycle_.empty()) {
      auto d = std::move(recycle_.back());
      recycle_.pop_back();
      return d;
    }
    return std::make_unique<SpanData>();
  }
  void OnStart(const SpanData& span, const Context&) override {
    std::lock_guard lock(mu_);
    ++started_;
  }
  void OnEnd(std::unique_ptr<SpanData> span) override {
    std::lock_guard lock(mu_);
    ended_.push_back(std::move(span));
  }
  Status ForceFlush(std::chrono::milliseconds) override { return OkStatus(); }
  Status Shutdown(std::chrono::milliseconds) override { return OkStatus(); }

  // Moves every ended span back into the pool AcquireSpanData draws from.
  void RecycleAll() {
    std::lock_guard lock(mu_);
    for (auto& d : ended_) recycle_.push_back(std::move(d));
    ended_.clear();
  }
  const std::vector<std::unique_ptr<SpanData>>& ended() const { return ended_; }
  int started() const { return started_; }

 private:
  std::mutex mu_;
  int started_ = 0;
  std::vector<std::unique_ptr<SpanData>> ended_;
  std::vector<std::unique_ptr<SpanData>> recycle_;
};

// A provider whose spans all end in a RecordingProcessor (owned by the provider).
struct RecordingProvider {
  explicit RecordingProvider(SpanLimits limits = {},
                             std::unique_ptr<Sampler> sampler = MakeAlwaysOnSampler()) {
    auto p = std::make_unique<RecordingProcessor>();
    processor = p.get();
    TracerProviderOptions o;
    o.processor = std::move(p);
    o.sampler = std::move(sampler);
    o.limits = limits;
    provider = std::make_unique<TracerProvider>(std::move(o));
    tracer = &provider->GetTracer("test-scope", "1.0");
  }
  const SpanData& Only() const { return *processor->ended().at(0); }

  RecordingProcessor* processor;
  std::unique_ptr<TracerProvider> provider;
  Tracer* tracer;
};

// The value of the first attribute named `key`, or null.
inline const AttributeValue* Find(const Attributes& attrs, std::string_view key) {
  for (const Attribute& a : attrs) {
    if (a.key == key) return &a.value;
  }
  return nullptr;
}

}  // namespace tracewire::trace::testing
