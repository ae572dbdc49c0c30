#include "collector/processor/memory_limiter.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>

#include "collector/config_reader.h"
#include "collector/processor/processor_factories.h"

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
    s.last_rss_bytes = rss_.load(std::memory_order_relaxed);
    s.soft_limit_bytes = soft_limit_;
    return s;
  }

  void CheckMemory() override {
    const uint64_t rss = config_.read_rss_bytes ? config_.read_rss_bytes() : ProcessRssBytes();
    // Order: the in-flight mark first, so a batch accepted in between is counted twice at worst.
    in_flight_at_sample_.store(in_flight_.load(std::memory_order_acquire),
                               std::memory_order_release);
    rss_.store(rss, std::memory_order_release);
  }

 private:
  bool Admit(uint64_t bytes) {
    const uint64_t in_flight = in_flight_.fetch_add(bytes, std::memory_order_acq_rel) + bytes;
    const uint64_t at_sample = in_flight_at_sample_.load(std::memory_order_acquire);
    const uint64_t growth = in_flight > at_sample ? in_flight - at_sample : 0;
    const uint64_t estimate = rss_.load(std::memory_order_acquire) + growth;
    // The admitted batch counts; a single batch into an idle pipeline is always let through
    // when the RSS alone is under the limit, so no batch size can wedge the pipeline.
    if (estimate > soft_limit_ &&
        !(in_flight == bytes && rss_.load(std::memory_order_acquire) < soft_limit_)) {
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
  std::atomic<uint64_t> in_flight_at_sample_{0};
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
    auto c = std::make_unique<MemoryLimiterConfig>();
    TW_RETURN_IF_ERROR(FillMemoryLimiterConfig(node, path, c.get()));
    return std::unique_ptr<ComponentConfig>(std::move(c));
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
  auto c = std::make_unique<MemoryLimiterConfig>();
  TW_RETURN_IF_ERROR(FillMemoryLimiterConfig(node, path, c.get()));
  return c;
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
