// InMemorySpanExporter: keeps copies of every exported span, for tests.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "trace/span_exporter.h"

namespace tracewire::trace {

// The spans an InMemorySpanExporter collected. Shared between the exporter (owned by a
// processor) and the test, so the test can read it after the provider is gone. Thread-safe.
class InMemorySpanStore {
 public:
  // A copy of every span exported so far, in export order.
  std::vector<SpanData> GetSpans() const;
  size_t size() const;
  void Reset();
  void Append(std::span<const SpanData* const> batch);

 private:
  mutable std::mutex mu_;
  std::vector<SpanData> spans_;  // guarded by mu_
};

class InMemorySpanExporter final : public SpanExporter {
 public:
  // `store` null: a new store.
  explicit InMemorySpanExporter(std::shared_ptr<InMemorySpanStore> store = nullptr);

  // Copies the batch (resource/scope pointers are copied as they are). FAILED_PRECONDITION
  // after Shutdown.
  Status Export(std::span<const SpanData* const> batch) override;
  Status Shutdown(std::chrono::milliseconds timeout) override;

  const std::shared_ptr<InMemorySpanStore>& store() const { return store_; }

 private:
  std::shared_ptr<InMemorySpanStore> store_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace tracewire::trace
