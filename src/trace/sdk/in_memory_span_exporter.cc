#include "trace/sdk/in_memory_span_exporter.h"

#include <utility>

namespace tracewire::trace {

std::vector<SpanData> InMemorySpanStore::GetSpans() const {
  std::lock_guard lock(mu_);
  return spans_;
}

size_t InMemorySpanStore::size() const {
  std::lock_guard lock(mu_);
  return spans_.size();
}

void InMemorySpanStore::Reset() {
  std::lock_guard lock(mu_);
  spans_.clear();
}

void InMemorySpanStore::Append(std::span<const SpanData* const> batch) {
  std::lock_guard lock(mu_);
  for (const SpanData* s : batch) spans_.push_back(*s);
}

InMemorySpanExporter::InMemorySpanExporter(std::shared_ptr<InMemorySpanStore> store)
    : store_(store ? std::move(store) : std::make_shared<InMemorySpanStore>()) {}

Status InMemorySpanExporter::Export(std::span<const SpanData* const> batch) {
  if (shut_down_.load(std::memory_order_relaxed)) {
    return FailedPreconditionError("InMemorySpanExporter: already shut down");
  }
  store_->Append(batch);
  return OkStatus();
}

Status InMemorySpanExporter::Shutdown(std::chrono::milliseconds) {
  shut_down_.store(true, std::memory_order_relaxed);
  return OkStatus();
}

}  // namespace tracewire::trace
