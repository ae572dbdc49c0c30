#include <utility>
#include <vector>

#include "trace/sdk/span_processor.h"

namespace tracewire::trace {
namespace {

class MultiSpanProcessor final : public SpanProcessor {
 public:
  explicit MultiSpanProcessor(std::vector<std::unique_ptr<SpanProcessor>> p)
      : processors_(std::move(p)) {}

  void OnStart(const SpanData& span, const Context& parent) override {
    for (auto& p : processors_) p->OnStart(span, parent);
  }

  void OnEnd(std::unique_ptr<SpanData> span) override {
    for (size_t i = 0; i + 1 < processors_.size(); ++i) {
      std::unique_ptr<SpanData> copy = processors_[i]->AcquireSpanData();
      *copy = *span;
      processors_[i]->OnEnd(std::move(copy));
    }
    if (!processors_.empty()) processors_.back()->OnEnd(std::move(span));
  }

  Status ForceFlush(std::chrono::milliseconds timeout) override {
    Status result;
    for (auto& p : processors_) {
      Status s = p->ForceFlush(timeout);
      if (result.ok() && !s.ok()) result = std::move(s);
    }
    return result;
  }

  Status Shutdown(std::chrono::milliseconds timeout) override {
    Status result;
    for (auto& p : processors_) {
      Status s = p->Shutdown(timeout);
      if (result.ok() && !s.ok()) result = std::move(s);
    }
    return result;
  }

 private:
  std::vector<std::unique_ptr<SpanProcessor>> processors_;
};

}  // namespace

std::unique_ptr<SpanProcessor> MakeMultiSpanProcessor(
    std::vector<std::unique_ptr<SpanProcessor>> processors) {
  return std::make_unique<MultiSpanProcessor>(std::move(processors));
}

}  // namespace tracewire::trace
