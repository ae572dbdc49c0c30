// What the forwarding exporters (otlphttp, otlp) share, as the OTel Collector's exporterhelper:
// retry_on_failure (exponential backoff with jitter, a server's throttle delay honoured, bounded
// by max_elapsed_time) and sending_queue (a bounded in-memory queue drained by num_consumers
// threads). With the queue enabled a batch is acknowledged once queued (RESOURCE_EXHAUSTED when
// full): forwarding is then at-most-once, as in the OTel Collector. Disabled, the batch's done
// runs after the last attempt.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "collector/component.h"
#include "collector/config_reader.h"

namespace tracewire::collector {

struct RetryConfig {
  bool enabled = true;
  std::chrono::nanoseconds initial_interval = std::chrono::seconds(5);
  std::chrono::nanoseconds max_interval = std::chrono::seconds(30);
  std::chrono::nanoseconds max_elapsed_time = std::chrono::seconds(300);  // 0: no bound
  double multiplier = 1.5;
  double randomization_factor = 0.5;
};

struct QueueConfig {
  bool enabled = true;
  uint64_t num_consumers = 10;
  uint64_t queue_size = 1000;  // batches
};

// Read `retry_on_failure` / `sending_queue` of an exporter's section (keys of the OTel
// Collector; errors name the key path).
Status ParseRetryConfig(ConfigMap& exporter, RetryConfig* out);
Status ParseQueueConfig(ConfigMap& exporter, QueueConfig* out);

// The outcome of one send attempt.
struct Attempt {
  Status status;
  bool retryable = false;
  std::optional<std::chrono::milliseconds> retry_after;  // the server's throttle delay
};

// Sends jobs from a bounded queue on worker threads, retrying per RetryConfig.
class SendQueue {
 public:
  // One attempt on worker `worker` (0 ≤ worker < num_consumers; one thread each, so per-worker
  // state needs no lock).
  using AttemptFn = std::function<Attempt(size_t worker)>;
  // `what` names the data in failure messages ("12 spans"); `log` gets one line per dropped job.
  SendQueue(std::string id, RetryConfig retry, QueueConfig queue,
            std::function<void(std::string_view)> log);
  SendQueue(const SendQueue&) = delete;
  SendQueue& operator=(const SendQueue&) = delete;
  ~SendQueue();

  void Start();
  // Stops taking jobs; the queued ones get one more attempt each (no retry waits), then the
  // workers are joined. Idempotent.
  void Shutdown();

  // Queues `attempt`. Queue enabled: `done` runs now (OK, or RESOURCE_EXHAUSTED when full).
  // Disabled: `done` runs with the final result. FAILED_PRECONDITION after Shutdown.
  void Submit(AttemptFn attempt, std::string what, ConsumeDone done);

  size_t num_workers() const { return static_cast<size_t>(queue_.num_consumers); }
  uint64_t dropped_jobs() const;

 private:
  struct Job {
    AttemptFn attempt;
    std::string what;
    ConsumeDone done;  // null when acknowledged at enqueue
  };
  void WorkerLoop(size_t worker);
  Status RunWithRetry(Job& job, size_t worker);
  // Sleeps `delay` unless shutting down first; false on shutdown.
  bool Wait(std::chrono::nanoseconds delay);

  const std::string id_;
  const RetryConfig retry_;
  const QueueConfig queue_;
  const std::function<void(std::string_view)> log_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;       // jobs or shutdown
  std::condition_variable wait_cv_;  // retry waits
  std::deque<Job> jobs_;
  bool started_ = false;
  bool stopping_ = false;
  uint64_t dropped_ = 0;
  std::vector<std::thread> workers_;
};

}  // namespace tracewire::collector
