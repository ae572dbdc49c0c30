#include "trace/sdk/simple_span_processor.h"

#include <atomic>
#include <cassert>
#include <mutex>
#include <utility>

namespace tracewire::trace {
namespace {

class SimpleSpanProcessor final : public SpanProcessor {
 public:
  explicit SimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter)
      : exporter_(std::move(exporter)) {
    assert(exporter_ != nullptr);
  }
  ~SimpleSpanProcessor() override { (void)Shutdown(std::chrono::milliseconds(30000)); }

  void OnEnd(std::unique_ptr<SpanData> span) override {
    if (!span->flags.sampled() || shutdown_.load(std::memory_order_relaxed)) return;
    const SpanData* batch[1] = {span.get()};
    std::lock_guard lock(mu_);
    (void)exporter_->Export(batch);  // errors: the exporter reports and counts them
  }

  Status ForceFlush(std::chrono::milliseconds timeout) override {
    std::lock_guard lock(mu_);
    return exporter_->ForceFlush(timeout);
  }

  Status Shutdown(std::chrono::milliseconds timeout) override {
    if (shutdown_.exchange(true)) return OkStatus();
    std::lock_guard lock(mu_);
    return exporter_->Shutdown(timeout);
  }

 private:
  std::unique_ptr<SpanExporter> exporter_;
  std::mutex mu_;  // one Export at a time, as SpanExporter requires
  std::atomic<bool> shutdown_{false};
};

}  // namespace

std::unique_ptr<SpanProcessor> MakeSimpleSpanProcessor(std::unique_ptr<SpanExporter> exporter) {
  return std::make_unique<SimpleSpanProcessor>(std::move(exporter));
}

}  // namespace tracewire::trace
