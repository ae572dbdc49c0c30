#include "collector/processor/batch_processor.h"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "collector/batch_copy.h"
#include "collector/config_reader.h"
#include "collector/done_join.h"
#include "collector/processor/processor_factories.h"

namespace tracewire::collector {

Status FillBatchProcessorConfig(const YAML::Node& node, std::string_view path,
                                BatchProcessorConfig* c);

namespace {

using Clock = std::chrono::steady_clock;

template <typename Batch>
struct Ops;
template <>
struct Ops<model::SpanBatch> {
  using Next = TracesConsumer;
  static size_t Size(const model::SpanBatch& b) { return b.spans.size(); }
  static model::SpanBatch Copy(const model::SpanBatch& b, size_t begin, size_t end) {
    return CopySpans(b, begin, end);
  }
  static void Send(Next* next, std::shared_ptr<model::SpanBatch> b, ConsumeDone d) {
    next->ConsumeTraces(std::move(b), std::move(d));
  }
};
template <>
struct Ops<model::LogBatch> {
  using Next = LogsConsumer;
  static size_t Size(const model::LogBatch& b) { return b.records.size(); }
  static model::LogBatch Copy(const model::LogBatch& b, size_t begin, size_t end) {
    return CopyLogs(b, begin, end);
  }
  static void Send(Next* next, std::shared_ptr<model::LogBatch> b, ConsumeDone d) {
    next->ConsumeLogs(std::move(b), std::move(d));
  }
};

// Merges the batches of one signal. Thread-safe.
template <typename Batch>
class Batcher {
 public:
  using Next = typename Ops<Batch>::Next;

  Batcher(const BatchProcessorConfig& config, Next* next) : config_(config), next_(next) {}

  // Adds a batch; sends full merged batches on the calling thread. Returns true when the
  // pending batch went from empty to non-empty (the timer must learn its deadline).
  // HOT PATH: one lock per batch, nothing per item.
  bool Add(std::shared_ptr<Batch> batch, ConsumeDone done) {
    const size_t items = Ops<Batch>::Size(*batch);
    if (config_.timeout.count() == 0) {
      Ops<Batch>::Send(next_, std::move(batch), std::move(done));
      return false;
    }
    const size_t max = config_.send_batch_max_size;
    if (max == 0 || items <= max) return AddOne(std::move(batch), items, std::move(done));
    const size_t chunks = (items + max - 1) / max;
    ConsumeDone joined = JoinDone(chunks, std::move(done));
    bool started = false;
    for (size_t begin = 0; begin < items; begin += max) {
      const size_t end = std::min(items, begin + max);
      auto chunk = std::make_shared<Batch>(Ops<Batch>::Copy(*batch, begin, end));
      started = AddOne(std::move(chunk), end - begin, joined) || started;
    }
    return started;
  }

  // Sends the pending batch when its deadline passed (or always, with force). Returns the next
  // deadline (time_point::max() when nothing is pending).
  Clock::time_point FlushDue(Clock::time_point now, bool force) {
    Ready ready;
    Clock::time_point next_deadline = Clock::time_point::max();
    {
      std::lock_guard lock(mutex_);
      if (!pending_) return next_deadline;
      const Clock::time_point deadline =
          first_arrival_ + std::chrono::duration_cast<Clock::duration>(config_.timeout);
      if (!force && now < deadline) return deadline;
      ready = TakePending();
    }
    Send(std::move(ready));
    return next_deadline;
  }

 private:
  struct Ready {
    std::shared_ptr<Batch> batch;
    std::vector<ConsumeDone> dones;
  };

  bool AddOne(std::shared_ptr<Batch> batch, size_t items, ConsumeDone done) {
    std::vector<Ready> out;
    bool started = false;
    {
      std::lock_guard lock(mutex_);
      const size_t max = config_.send_batch_max_size;
      if (pending_ && max != 0 && pending_items_ + items > max) out.push_back(TakePending());
      if (!pending_) {
        pending_ = std::move(batch);
        first_arrival_ = Clock::now();
        started = true;
      } else {
        pending_->Absorb(std::move(*batch));
      }
      pending_items_ += items;
      dones_.push_back(std::move(done));
      if (config_.send_batch_size != 0 && pending_items_ >= config_.send_batch_size) {
        out.push_back(TakePending());
        started = false;
      }
    }
    for (Ready& r : out) Send(std::move(r));
    return started;
  }

  // REQUIRES: mutex_ held, pending_ set.
  Ready TakePending() {
    Ready r{std::move(pending_), std::move(dones_)};
    pending_.reset();
    dones_.clear();
    pending_items_ = 0;
    return r;
  }

  void Send(Ready r) {
    if (r.dones.size() == 1) {
      Ops<Batch>::Send(next_, std::move(r.batch), std::move(r.dones.front()));
      return;
    }
    auto dones = std::make_shared<std::vector<ConsumeDone>>(std::move(r.dones));
    Ops<Batch>::Send(next_, std::move(r.batch), [dones](const Status& s) {
      // Counts of a partial success are of the merged batch: each part hears a plain OK.
      const Status each = s.ok() ? OkStatus() : s;
      for (ConsumeDone& d : *dones) d(each);
    });
  }

  const BatchProcessorConfig& config_;
  Next* const next_;
  std::mutex mutex_;
  std::shared_ptr<Batch> pending_;
  size_t pending_items_ = 0;
  std::vector<ConsumeDone> dones_;
  Clock::time_point first_arrival_;
};

class BatchProcessor final : public Processor {
 public:
  BatchProcessor(std::string id, const BatchProcessorConfig& config, TracesConsumer* traces,
                 LogsConsumer* logs)
      : id_(std::move(id)), config_(config) {
    if (traces) traces_ = std::make_unique<Batcher<model::SpanBatch>>(config_, traces);
    if (logs) logs_ = std::make_unique<Batcher<model::LogBatch>>(config_, logs);
  }
  ~BatchProcessor() override { (void)Shutdown(); }

  const std::string& id() const override { return id_; }

  Status Start() override {
    std::lock_guard lock(timer_mutex_);
    if (timer_.joinable() || stopping_) return OkStatus();
    timer_ = std::thread([this] { TimerLoop(); });
    return OkStatus();
  }

  Status Shutdown() override {
    {
      std::lock_guard lock(timer_mutex_);
      if (stopping_) return OkStatus();
      stopping_ = true;
    }
    timer_cv_.notify_all();
    if (timer_.joinable()) timer_.join();
    Flush(true);
    return OkStatus();
  }

  void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) override {
    if (!traces_) return done(FailedPreconditionError(id_ + ": not in a traces pipeline"));
    if (Stopped()) return done(FailedPreconditionError(id_ + ": shut down"));
    if (traces_->Add(std::move(batch), std::move(done))) Kick();
  }

  void ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) override {
    if (!logs_) return done(FailedPreconditionError(id_ + ": not in a logs pipeline"));
    if (Stopped()) return done(FailedPreconditionError(id_ + ": shut down"));
    if (logs_->Add(std::move(batch), std::move(done))) Kick();
  }

 private:
  bool Stopped() {
    std::lock_guard lock(timer_mutex_);
    return stopping_;
  }

  void Kick() {
    {
      std::lock_guard lock(timer_mutex_);
      kicked_ = true;
    }
    timer_cv_.notify_all();
  }

  Clock::time_point Flush(bool force) {
    const Clock::time_point now = Clock::now();
    Clock::time_point next = Clock::time_point::max();
    if (traces_) next = std::min(next, traces_->FlushDue(now, force));
    if (logs_) next = std::min(next, logs_->FlushDue(now, force));
    return next;
  }

  void TimerLoop() {
    std::unique_lock lock(timer_mutex_);
    while (!stopping_) {
      kicked_ = false;
      lock.unlock();
      const Clock::time_point next = Flush(false);
      lock.lock();
      if (stopping_) break;
      if (next == Clock::time_point::max()) {
        timer_cv_.wait(lock, [this] { return stopping_ || kicked_; });
      } else {
        timer_cv_.wait_until(lock, next, [this] { return stopping_ || kicked_; });
      }
    }
  }

  const std::string id_;
  const BatchProcessorConfig config_;
  std::unique_ptr<Batcher<model::SpanBatch>> traces_;
  std::unique_ptr<Batcher<model::LogBatch>> logs_;

  std::mutex timer_mutex_;
  std::condition_variable timer_cv_;
  bool stopping_ = false;
  bool kicked_ = false;
  std::thread timer_;
};

class BatchProcessorFactory final : public ProcessorFactory {
 public:
  std::string_view type() const override { return "batch"; }
  StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                         std::string_view path) const override {
    return ParseConfigWith<BatchProcessorConfig, ComponentConfig>(FillBatchProcessorConfig, node,
                                                                  path);
  }
  StatusOr<std::unique_ptr<Processor>> Create(std::string id, const ComponentConfig& config,
                                              TracesConsumer* next_traces,
                                              LogsConsumer* next_logs) const override {
    return NewBatchProcessor(std::move(id), static_cast<const BatchProcessorConfig&>(config),
                             next_traces, next_logs);
  }
};

}  // namespace

Status FillBatchProcessorConfig(const YAML::Node& node, std::string_view path,
                                BatchProcessorConfig* c) {
  StatusOr<ConfigMap> map = ConfigMap::Open(node, std::string(path));
  if (!map.ok()) return map.status();
  constexpr uint64_t kMaxItems = 1u << 24;
  TW_RETURN_IF_ERROR(map->ReadUint("send_batch_size", 0, kMaxItems, &c->send_batch_size));
  TW_RETURN_IF_ERROR(map->ReadUint("send_batch_max_size", 0, kMaxItems, &c->send_batch_max_size));
  TW_RETURN_IF_ERROR(map->ReadDuration("timeout", &c->timeout));
  std::vector<std::string> metadata_keys;
  TW_RETURN_IF_ERROR(map->ReadStringList("metadata_keys", &metadata_keys));
  if (!metadata_keys.empty()) {
    return InvalidArgumentError(map->PathOf("metadata_keys") +
                                ": batching by metadata is not "
                                "supported");
  }
  uint64_t unused_limit = 0;
  TW_RETURN_IF_ERROR(map->ReadUint("metadata_cardinality_limit", 0, UINT32_MAX, &unused_limit));
  TW_RETURN_IF_ERROR(map->CheckNoUnknownKeys());
  if (c->send_batch_max_size != 0 && c->send_batch_max_size < c->send_batch_size) {
    return InvalidArgumentError(map->PathOf("send_batch_max_size") +
                                ": must be 0 or at least send_batch_size (" +
                                std::to_string(c->send_batch_size) + ")");
  }
  return OkStatus();
}

StatusOr<std::unique_ptr<BatchProcessorConfig>> ParseBatchProcessorConfig(const YAML::Node& node,
                                                                          std::string_view path) {
  return ParseConfigWith(FillBatchProcessorConfig, node, path);
}

std::unique_ptr<Processor> NewBatchProcessor(std::string id, const BatchProcessorConfig& config,
                                             TracesConsumer* next_traces, LogsConsumer* next_logs) {
  return std::make_unique<BatchProcessor>(std::move(id), config, next_traces, next_logs);
}

std::unique_ptr<ProcessorFactory> NewBatchProcessorFactory() {
  return std::make_unique<BatchProcessorFactory>();
}

}  // namespace tracewire::collector
