#include "collector/processor/memory_limiter.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <limits>
#include <mutex>
#include <thread>

#include "collector/config_reader.h"
#include "collector/processor/processor_factories.h"

// Which allocator counts the heap in use: the sanitizer's own, or glibc's.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define TW_SANITIZER_ALLOCATOR 1
#endif
#endif
#if !defined(TW_SANITIZER_ALLOCATOR) && \
    (defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__))
#define TW_SANITIZER_ALLOCATOR 1
#endif
#ifndef TW_SANITIZER_ALLOCATOR
#define TW_SANITIZER_ALLOCATOR 0
#endif

#if TW_SANITIZER_ALLOCATOR
#include <sanitizer/allocator_interface.h>
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define TW_HAVE_MALLINFO2 1
#endif

namespace tracewire::collector {

Status SoftLimitOf(const MemoryLimiterConfig& config, const std::string& id, uint64_t* soft_limit);
Status FillMemoryLimiterConfig(const YAML::Node& node, std::string_view path,
                               MemoryLimiterConfig* c);

namespace {

constexpr uint64_t kMiB = 1u << 20;

class MemoryLimiterImpl final : public MemoryLimiter {
 public:
  MemoryLimiterImpl(std::string id, const MemoryLimiterConfig& config, uint64_t soft_limit,
                    TracesConsumer* traces, LogsConsumer* logs)
      : id_(std::move(id)),
        config_(config),
        soft_limit_(soft_limit),
        traces_(traces),
        logs_(logs) {}
  ~MemoryLimiterImpl() override { (void)Shutdown(); }

  const std::string& id() const override { return id_; }

  Status Start() override {
    CheckMemory();
    std::lock_guard lock(mutex_);
    if (thread_.joinable() || stopping_) return OkStatus();
    thread_ = std::thread([this] { CheckLoop(); });
    return OkStatus();
  }

  Status Shutdown() override {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return OkStatus();
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    return OkStatus();
  }

  // HOT PATH: atomics only.
  void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) override {
    if (traces_ == nullptr)
      return done(FailedPreconditionError(id_ + ": not in a traces pipeline"));
    const uint64_t bytes = batch->bytes_reserved();
    if (!Admit(bytes)) return done(Refusal());
    traces_->ConsumeTraces(std::move(batch), Release(bytes, std::move(done)));
  }

  void ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) override {
    if (logs_ == nullptr) return done(FailedPreconditionError(id_ + ": not in a logs pipeline"));
    const uint64_t bytes = batch->bytes_reserved();
    if (!Admit(bytes)) return done(Refusal());
    logs_->ConsumeLogs(std::move(batch), Release(bytes, std::move(done)));
  }

  MemoryLimiterStats stats() const override {
    MemoryLimiterStats s;
    s.refused_batches = refused_.load(std::memory_order_relaxed);
    s.bytes_in_flight = in_flight_.load(std::memory_order_relaxed);
    s.last_in_use_bytes = in_use_.load(std::memory_order_relaxed);
    s.last_rss_bytes = rss_.load(std::memory_order_relaxed);
    s.soft_limit_bytes = soft_limit_;
    return s;
  }

  void CheckMemory() override {
    // Order: the in-flight mark first, so a batch accepted in between is counted twice at worst.
    const uint64_t at_sample = in_flight_.load(std::memory_order_acquire);
    const uint64_t in_use =
        config_.read_in_use_bytes ? config_.read_in_use_bytes() : HeapInUseBytes();
    in_use_.store(in_use, std::memory_order_relaxed);
    // The heap outside the batches in flight; a release lowers the estimate at once, before the
    // next sample sees the freed memory (bytes_reserved() may exceed the heap share: clamp).
    const auto cap = static_cast<uint64_t>(std::numeric_limits<int64_t>::max() / 2);
    baseline_.store(static_cast<int64_t>(std::min(in_use, cap)) -
                        static_cast<int64_t>(std::min(at_sample, cap)),
                    std::memory_order_release);
    if (!config_.read_in_use_bytes) rss_.store(ProcessRssBytes(), std::memory_order_relaxed);
  }

 private:
  bool Admit(uint64_t bytes) {
    const uint64_t in_flight = in_flight_.fetch_add(bytes, std::memory_order_acq_rel) + bytes;
    const int64_t baseline = baseline_.load(std::memory_order_acquire);
    // The memory in use without this batch, and with it.
    const int64_t others = baseline + static_cast<int64_t>(in_flight - bytes);
    const int64_t estimate = others + static_cast<int64_t>(bytes);
    const auto soft_limit = static_cast<int64_t>(soft_limit_);
    // The admitted batch counts; a single batch into an idle pipeline is always let through
    // when the memory in use without it is under the limit, so no batch size can wedge it.
    if (estimate > soft_limit && !(in_flight == bytes && others < soft_limit)) {
      in_flight_.fetch_sub(bytes, std::memory_order_acq_rel);
      refused_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    return true;
  }

  Status Refusal() const {
    return ResourceExhaustedError(id_ + ": memory use is over the limit of " +
                                  std::to_string(soft_limit_ / kMiB) + " MiB; retry later");
  }

  ConsumeDone Release(uint64_t bytes, ConsumeDone done) {
    return [this, bytes, done = std::move(done)](Status s) {
      in_flight_.fetch_sub(bytes, std::memory_order_acq_rel);
      done(std::move(s));
    };
  }

  void CheckLoop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      cv_.wait_for(lock, config_.check_interval, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      CheckMemory();
      lock.lock();
    }
  }

  const std::string id_;
  const MemoryLimiterConfig config_;
  const uint64_t soft_limit_;
  TracesConsumer* const traces_;
  LogsConsumer* const logs_;

  std::atomic<uint64_t> in_flight_{0};
  std::atomic<int64_t> baseline_{0};  // in use at the sample − in flight at the sample
  std::atomic<uint64_t> in_use_{0};
  std::atomic<uint64_t> rss_{0};
  std::atomic<uint64_t> refused_{0};

  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

class MemoryLimiterFactory final : public ProcessorFactory {
 public:
  std::string_view type() const override { return "memory_limiter"; }
  StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                         std::string_view path) const override {
    return ParseConfigWith<MemoryLimiterConfig, ComponentConfig>(FillMemoryLimiterConfig, node,
                                                                 path);
  }
  StatusOr<std::unique_ptr<Processor>> Create(std::string id, const ComponentConfig& config,
                                              TracesConsumer* next_traces,
                                              LogsConsumer* next_logs) const override {
    const auto& c = static_cast<const MemoryLimiterConfig&>(config);
    uint64_t soft_limit = 0;
    TW_RETURN_IF_ERROR(SoftLimitOf(c, id, &soft_limit));
    return std::unique_ptr<Processor>(
        std::make_unique<MemoryLimiterImpl>(std::move(id), c, soft_limit, next_traces, next_logs));
  }
};

}  // namespace

Status FillMemoryLimiterConfig(const YAML::Node& node, std::string_view path,
                               MemoryLimiterConfig* c) {
  StatusOr<ConfigMap> map = ConfigMap::Open(node, std::string(path));
  if (!map.ok()) return map.status();
  TW_RETURN_IF_ERROR(map->ReadDuration("check_interval", &c->check_interval));
  TW_RETURN_IF_ERROR(map->ReadUint("limit_mib", 0, 1u << 24, &c->limit_mib));
  TW_RETURN_IF_ERROR(map->ReadUint("spike_limit_mib", 0, 1u << 24, &c->spike_limit_mib));
  TW_RETURN_IF_ERROR(map->ReadUint("limit_percentage", 0, 100, &c->limit_percentage));
  TW_RETURN_IF_ERROR(map->ReadUint("spike_limit_percentage", 0, 100, &c->spike_limit_percentage));
  TW_RETURN_IF_ERROR(map->CheckNoUnknownKeys());
  if (c->check_interval.count() <= 0) {
    return InvalidArgumentError(map->PathOf("check_interval") + ": must be greater than zero");
  }
  if (c->limit_mib == 0 && c->limit_percentage == 0) {
    return InvalidArgumentError(map->PathOf("limit_mib") +
                                ": set limit_mib or limit_percentage (greater than zero)");
  }
  if (c->limit_mib != 0 && c->spike_limit_mib >= c->limit_mib) {
    return InvalidArgumentError(map->PathOf("spike_limit_mib") + ": must be less than limit_mib");
  }
  if (c->limit_mib == 0 && c->spike_limit_percentage >= c->limit_percentage) {
    return InvalidArgumentError(map->PathOf("spike_limit_percentage") +
                                ": must be less than limit_percentage");
  }
  return OkStatus();
}

StatusOr<std::unique_ptr<MemoryLimiterConfig>> ParseMemoryLimiterConfig(const YAML::Node& node,
                                                                        std::string_view path) {
  return ParseConfigWith(FillMemoryLimiterConfig, node, path);
}

Status SoftLimitOf(const MemoryLimiterConfig& config, const std::string& id, uint64_t* soft_limit) {
  uint64_t limit = 0;
  uint64_t spike = 0;
  if (config.limit_mib != 0) {
    limit = config.limit_mib * kMiB;
    spike = config.spike_limit_mib != 0 ? config.spike_limit_mib * kMiB : limit / 5;
  } else {
    const uint64_t total =
        config.read_total_memory_bytes ? config.read_total_memory_bytes() : TotalMemoryBytes();
    if (total == 0) {
      return InvalidArgumentError(id +
                                  ": limit_percentage: the total memory is unknown here; "
                                  "set limit_mib");
    }
    limit = total / 100 * config.limit_percentage;
    spike = total / 100 * config.spike_limit_percentage;
  }
  *soft_limit = limit - spike;
  return OkStatus();
}

StatusOr<std::unique_ptr<MemoryLimiter>> NewMemoryLimiter(std::string id,
                                                          const MemoryLimiterConfig& config,
                                                          TracesConsumer* next_traces,
                                                          LogsConsumer* next_logs) {
  uint64_t soft_limit = 0;
  TW_RETURN_IF_ERROR(SoftLimitOf(config, id, &soft_limit));
  return std::unique_ptr<MemoryLimiter>(std::make_unique<MemoryLimiterImpl>(
      std::move(id), config, soft_limit, next_traces, next_logs));
}

uint64_t HeapInUseBytes() {
#if TW_SANITIZER_ALLOCATOR
  // The sanitizer allocator counts quarantined chunks as freed.
  return static_cast<uint64_t>(__sanitizer_get_current_allocated_bytes());
#elif TW_HAVE_MALLINFO2
  // In use from the arenas plus mmap-ed chunks; free memory kept by the allocator is not counted.
  const struct mallinfo2 info = mallinfo2();
  return static_cast<uint64_t>(info.uordblks) + static_cast<uint64_t>(info.hblkhd);
#else
  return ProcessRssBytes();
#endif
}

uint64_t ProcessRssBytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size_pages = 0;
  uint64_t resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return 0;
  return resident_pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

uint64_t TotalMemoryBytes() {
  uint64_t total = 0;
  {
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    uint64_t kib = 0;
    std::string unit;
    while (meminfo >> key >> kib >> unit) {
      if (key == "MemTotal:") {
        total = kib * 1024;
        break;
      }
    }
  }
  std::ifstream cgroup("/sys/fs/cgroup/memory.max");
  uint64_t cgroup_limit = 0;
  if (cgroup >> cgroup_limit && cgroup_limit != 0 && (total == 0 || cgroup_limit < total)) {
    total = cgroup_limit;
  }
  return total;
}

std::unique_ptr<ProcessorFactory> NewMemoryLimiterProcessorFactory() {
  return std::make_unique<MemoryLimiterFactory>();
}

}  // namespace tracewire::collector
