#include "trace/sdk/batch_span_processor.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "trace/sdk/internal/spsc_ring.h"

namespace tracewire::trace {
namespace {

using internal::SpscRing;

// Adds to a counter that only one thread writes (no read-modify-write atomics needed).
inline void Bump(std::atomic<uint64_t>& c, uint64_t n = 1) {
  c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

// One producing thread's queue in one processor. Shared by the processor (consumer side)
// and the thread's local table (producer side); outlives whichever goes first.
struct ThreadQueue {
  explicit ThreadQueue(size_t limit) : full(limit), free(limit) { spare.reserve(kMaxSpare); }
  ~ThreadQueue() {
    SpanData* d = nullptr;
    while (full.TryPop(d)) delete d;
    while (free.TryPop(d)) delete d;
    for (SpanData* s : spare) delete s;
  }

  static constexpr size_t kMaxSpare = 64;

  SpscRing<SpanData*> full;  // producer thread -> worker: ended spans to export
  SpscRing<SpanData*> free;  // worker -> producer thread: exported spans to reuse
  // Producer thread only: spans it did not queue (dropped, unsampled), kept for reuse. The
  // free ring has exactly one producer (the worker), so these must not go there.
  std::vector<SpanData*> spare;
  std::atomic<uint64_t> queued{0};   // written by the producer
  std::atomic<uint64_t> dropped{0};  // written by the producer
  size_t since_wake = 0;             // producer only
  std::atomic<bool> producer_alive{true};
  std::atomic<bool> closed{false};  // the processor shut down
};

// Per-thread table: processor id -> this thread's queue in that processor.
struct LocalQueues {
  struct Entry {
    uint64_t processor_id;
    std::shared_ptr<ThreadQueue> queue;
  };
  std::vector<Entry> entries;
  ~LocalQueues() {
    for (Entry& e : entries) e.queue->producer_alive.store(false, std::memory_order_release);
  }
};

thread_local LocalQueues tls_queues;
// One-entry cache in front of tls_queues; trivially constructible, so reading it is a plain
// TLS load. Valid while the entry is in tls_queues (entries are only pruned on a miss).
thread_local uint64_t tls_cached_id = 0;
thread_local ThreadQueue* tls_cached_queue = nullptr;

std::atomic<uint64_t> next_processor_id{1};

class BatchSpanProcessorImpl final : public BatchSpanProcessor {
 public:
  BatchSpanProcessorImpl(std::unique_ptr<SpanExporter> exporter, BatchSpanProcessorOptions o)
      : exporter_(std::move(exporter)), options_(o) {
    worker_ = std::thread([this] { Run(); });
  }

  ~BatchSpanProcessorImpl() override { (void)Shutdown(options_.export_timeout); }

  // Hot path.
  std::unique_ptr<SpanData> AcquireSpanData() override {
    if (!shutdown_.load(std::memory_order_relaxed)) {
      ThreadQueue& q = LocalQueue();
      SpanData* d = nullptr;
      if (q.free.TryPop(d)) return std::unique_ptr<SpanData>(d);
      if (!q.spare.empty()) {
        d = q.spare.back();
        q.spare.pop_back();
        return std::unique_ptr<SpanData>(d);
      }
    }
    return std::make_unique<SpanData>();
  }

  // Hot path.
  void OnEnd(std::unique_ptr<SpanData> span) override {
    if (shutdown_.load(std::memory_order_relaxed)) return;
    ThreadQueue& q = LocalQueue();
    if (!span->flags.sampled()) {
      Recycle(q, std::move(span));
      return;
    }
    if (!q.full.TryPush(span.get())) {
      Bump(q.dropped);
      Recycle(q, std::move(span));
      return;
    }
    (void)span.release();  // now owned by the ring
    Bump(q.queued);
    if (++q.since_wake >= options_.max_export_batch_size) {
      q.since_wake = 0;
      Wake();
    }
  }

  Status ForceFlush(std::chrono::milliseconds timeout) override {
    {
      std::unique_lock lock(mu_);
      if (stopped_) return OkStatus();
      const uint64_t target = ++flush_requested_;
      cv_.notify_all();
      if (!done_cv_.wait_for(lock, timeout, [&] { return flush_done_ >= target || stopped_; })) {
        return DeadlineExceededError("BatchSpanProcessor: flush did not finish in time");
      }
    }
    return exporter_->ForceFlush(timeout);
  }

  Status Shutdown(std::chrono::milliseconds timeout) override {
    if (shutdown_.exchange(true)) return OkStatus();
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
    {
      std::lock_guard lock(registry_mu_);
      for (auto& q : queues_) q->closed.store(true, std::memory_order_relaxed);
    }
    return exporter_->Shutdown(timeout);
  }

  BatchSpanProcessorStats stats() const override {
    BatchSpanProcessorStats s;
    {
      std::lock_guard lock(registry_mu_);
      s.queued = retired_queued_;
      s.dropped = retired_dropped_;
      for (const auto& q : queues_) {
        s.queued += q->queued.load(std::memory_order_relaxed);
        s.dropped += q->dropped.load(std::memory_order_relaxed);
      }
    }
    s.exported = exported_.load(std::memory_order_relaxed);
    s.export_failed = export_failed_.load(std::memory_order_relaxed);
    return s;
  }

 private:
  ThreadQueue& LocalQueue() {
    if (tls_cached_id == id_) [[likely]] {
      return *tls_cached_queue;
    }
    return LocalQueueSlow();
  }

  ThreadQueue& LocalQueueSlow() {
    auto& entries = tls_queues.entries;
    ThreadQueue* found = nullptr;
    for (auto& e : entries) {
      if (e.processor_id == id_) found = e.queue.get();
    }
    if (found == nullptr) {
      // Forget queues of processors that shut down, then register a new one.
      std::erase_if(entries, [](const LocalQueues::Entry& e) {
        return e.queue->closed.load(std::memory_order_relaxed);
      });
      auto q = std::make_shared<ThreadQueue>(options_.max_queue_size);
      {
        std::lock_guard lock(registry_mu_);
        queues_.push_back(q);
      }
      entries.push_back({id_, q});
      found = q.get();
    }
    tls_cached_id = id_;
    tls_cached_queue = found;
    return *found;
  }

  // Producer thread only.
  void Recycle(ThreadQueue& q, std::unique_ptr<SpanData> span) {
    if (q.spare.size() < ThreadQueue::kMaxSpare) q.spare.push_back(span.release());
  }

  void Wake() {
    {
      std::lock_guard lock(mu_);
      wake_ = true;
    }
    cv_.notify_all();
  }

  void Run() {
    std::vector<SpanData*> batch;
    std::vector<ThreadQueue*> origin;
    batch.reserve(options_.max_export_batch_size);
    origin.reserve(options_.max_export_batch_size);
    for (;;) {
      uint64_t flush_target;
      bool stopping;
      {
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, options_.schedule_delay,
                     [&] { return stop_ || wake_ || flush_requested_ > flush_done_; });
        wake_ = false;
        flush_target = flush_requested_;
        stopping = stop_;
      }
      Drain(batch, origin);
      {
        std::lock_guard lock(mu_);
        flush_done_ = flush_target;
        if (stopping) stopped_ = true;
      }
      done_cv_.notify_all();
      if (stopping) return;
    }
  }

  // Exports everything queued now, in batches; worker thread only.
  void Drain(std::vector<SpanData*>& batch, std::vector<ThreadQueue*>& origin) {
    std::vector<std::shared_ptr<ThreadQueue>> queues;
    {
      std::lock_guard lock(registry_mu_);
      queues = queues_;
    }
    for (const auto& q : queues) {
      SpanData* d = nullptr;
      while (q->full.TryPop(d)) {
        batch.push_back(d);
        origin.push_back(q.get());
        if (batch.size() == options_.max_export_batch_size) ExportBatch(batch, origin);
      }
    }
    if (!batch.empty()) ExportBatch(batch, origin);
    RetireDeadQueues();
  }

  void ExportBatch(std::vector<SpanData*>& batch, std::vector<ThreadQueue*>& origin) {
    const Status st = exporter_->Export(std::span<const SpanData* const>(batch));
    Bump(st.ok() ? exported_ : export_failed_, batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      if (!origin[i]->free.TryPush(batch[i])) delete batch[i];
    }
    batch.clear();
    origin.clear();
  }

  // Drops queues whose thread exited and whose spans were all exported.
  void RetireDeadQueues() {
    std::lock_guard lock(registry_mu_);
    std::erase_if(queues_, [this](const std::shared_ptr<ThreadQueue>& q) {
      if (q->producer_alive.load(std::memory_order_acquire) || q->full.SizeApprox() != 0) {
        return false;
      }
      retired_queued_ += q->queued.load(std::memory_order_relaxed);
      retired_dropped_ += q->dropped.load(std::memory_order_relaxed);
      return true;
    });
  }

  const uint64_t id_ = next_processor_id.fetch_add(1, std::memory_order_relaxed);
  std::unique_ptr<SpanExporter> exporter_;
  const BatchSpanProcessorOptions options_;
  std::atomic<bool> shutdown_{false};

  mutable std::mutex registry_mu_;
  std::vector<std::shared_ptr<ThreadQueue>> queues_;  // guarded by registry_mu_
  uint64_t retired_queued_ = 0;                       // guarded by registry_mu_
  uint64_t retired_dropped_ = 0;                      // guarded by registry_mu_

  std::atomic<uint64_t> exported_{0};       // written by the worker
  std::atomic<uint64_t> export_failed_{0};  // written by the worker

  std::mutex mu_;
  std::condition_variable cv_;       // wakes the worker
  std::condition_variable done_cv_;  // the worker finished a drain
  bool wake_ = false;                // guarded by mu_
  bool stop_ = false;                // guarded by mu_
  bool stopped_ = false;             // guarded by mu_
  uint64_t flush_requested_ = 0;     // guarded by mu_
  uint64_t flush_done_ = 0;          // guarded by mu_
  std::thread worker_;               // last: started after every other member exists
};

}  // namespace

StatusOr<std::unique_ptr<BatchSpanProcessor>> BatchSpanProcessor::Create(
    std::unique_ptr<SpanExporter> exporter, BatchSpanProcessorOptions options) {
  if (exporter == nullptr) return InvalidArgumentError("BatchSpanProcessor: exporter is null");
  if (options.max_queue_size == 0) {
    return InvalidArgumentError("OTEL_BSP_MAX_QUEUE_SIZE must be greater than 0");
  }
  if (options.max_export_batch_size == 0) {
    return InvalidArgumentError("OTEL_BSP_MAX_EXPORT_BATCH_SIZE must be greater than 0");
  }
  if (options.max_export_batch_size > options.max_queue_size) {
    return InvalidArgumentError(
        "OTEL_BSP_MAX_EXPORT_BATCH_SIZE must not exceed OTEL_BSP_MAX_QUEUE_SIZE");
  }
  if (options.schedule_delay.count() < 0) {
    return InvalidArgumentError("OTEL_BSP_SCHEDULE_DELAY must not be negative");
  }
  if (options.export_timeout.count() < 0) {
    return InvalidArgumentError("OTEL_BSP_EXPORT_TIMEOUT must not be negative");
  }
  return std::unique_ptr<BatchSpanProcessor>(
      std::make_unique<BatchSpanProcessorImpl>(std::move(exporter), options));
}

}  // namespace tracewire::trace
