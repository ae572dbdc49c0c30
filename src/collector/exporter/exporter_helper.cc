#include "collector/exporter/exporter_helper.h"

#include <algorithm>
#include <random>

namespace tracewire::collector {

using std::chrono::nanoseconds;

Status ParseRetryConfig(ConfigMap& exporter, RetryConfig* out) {
  StatusOr<ConfigMap> m = exporter.Sub("retry_on_failure");
  if (!m.ok()) return m.status();
  TW_RETURN_IF_ERROR(m->ReadBool("enabled", &out->enabled));
  TW_RETURN_IF_ERROR(m->ReadDuration("initial_interval", &out->initial_interval));
  TW_RETURN_IF_ERROR(m->ReadDuration("max_interval", &out->max_interval));
  TW_RETURN_IF_ERROR(m->ReadDuration("max_elapsed_time", &out->max_elapsed_time));
  TW_RETURN_IF_ERROR(m->ReadDouble("multiplier", 1.0, 100.0, &out->multiplier));
  TW_RETURN_IF_ERROR(m->ReadDouble("randomization_factor", 0.0, 1.0, &out->randomization_factor));
  TW_RETURN_IF_ERROR(m->CheckNoUnknownKeys());
  if (out->enabled && out->initial_interval.count() <= 0) {
    return InvalidArgumentError(m->PathOf("initial_interval") + ": must be greater than zero");
  }
  if (out->enabled && out->max_interval < out->initial_interval) {
    return InvalidArgumentError(m->PathOf("max_interval") + ": must be at least initial_interval");
  }
  return OkStatus();
}

Status ParseQueueConfig(ConfigMap& exporter, QueueConfig* out) {
  StatusOr<ConfigMap> m = exporter.Sub("sending_queue");
  if (!m.ok()) return m.status();
  TW_RETURN_IF_ERROR(m->ReadBool("enabled", &out->enabled));
  TW_RETURN_IF_ERROR(m->ReadUint("num_consumers", 1, 256, &out->num_consumers));
  TW_RETURN_IF_ERROR(m->ReadUint("queue_size", 1, 1u << 20, &out->queue_size));
  return m->CheckNoUnknownKeys();
}

SendQueue::SendQueue(std::string id, RetryConfig retry, QueueConfig queue,
                     std::function<void(std::string_view)> log)
    : id_(std::move(id)), retry_(retry), queue_(queue), log_(std::move(log)) {}

SendQueue::~SendQueue() { Shutdown(); }

void SendQueue::Start() {
  std::lock_guard lock(mutex_);
  if (started_ || stopping_) return;
  started_ = true;
  for (size_t i = 0; i < queue_.num_consumers; ++i) {
    workers_.emplace_back([this, i] { WorkerLoop(i); });
  }
}

void SendQueue::Shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  wait_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
  // Never started: nobody ran the queued jobs.
  std::deque<Job> left;
  {
    std::lock_guard lock(mutex_);
    left.swap(jobs_);
  }
  for (Job& job : left) {
    if (job.done) job.done(FailedPreconditionError(id_ + ": shut down before sending"));
  }
}

void SendQueue::Submit(AttemptFn attempt, std::string what, ConsumeDone done) {
  ConsumeDone ack;  // queue enabled: acknowledged once queued, outside the lock
  {
    std::unique_lock lock(mutex_);
    if (stopping_) {
      lock.unlock();
      return done(FailedPreconditionError(id_ + ": shut down"));
    }
    if (jobs_.size() >= queue_.queue_size) {
      ++dropped_;
      lock.unlock();
      return done(ResourceExhaustedError(id_ + ": sending queue is full (" +
                                         std::to_string(queue_.queue_size) + " batches)"));
    }
    if (queue_.enabled) {
      ack = std::move(done);
      jobs_.push_back(Job{std::move(attempt), std::move(what), nullptr});
    } else {
      jobs_.push_back(Job{std::move(attempt), std::move(what), std::move(done)});
    }
  }
  cv_.notify_one();
  if (ack) ack(OkStatus());
}

uint64_t SendQueue::dropped_jobs() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void SendQueue::WorkerLoop(size_t worker) {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // stopping and drained
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    Status s = RunWithRetry(job, worker);
    if (!s.ok()) {
      {
        std::lock_guard lock(mutex_);
        ++dropped_;
      }
      if (log_) log_(id_ + ": dropped " + job.what + ": " + s.ToString());
    }
    if (job.done) job.done(std::move(s));
  }
}

Status SendQueue::RunWithRetry(Job& job, size_t worker) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  thread_local std::minstd_rand rng(std::random_device{}());
  double interval = static_cast<double>(retry_.initial_interval.count());
  for (int attempt_number = 1;; ++attempt_number) {
    Attempt a = job.attempt(worker);
    if (a.status.ok() || !a.retryable || !retry_.enabled) return a.status;
    // Backoff with jitter: interval · (1 ± randomization_factor).
    std::uniform_real_distribution<double> jitter(1.0 - retry_.randomization_factor,
                                                  1.0 + retry_.randomization_factor);
    nanoseconds delay(static_cast<int64_t>(interval * jitter(rng)));
    if (a.retry_after) delay = std::max<nanoseconds>(delay, *a.retry_after);
    interval =
        std::min(interval * retry_.multiplier, static_cast<double>(retry_.max_interval.count()));
    if (retry_.max_elapsed_time.count() != 0 &&
        Clock::now() + delay - start > retry_.max_elapsed_time) {
      return Status(a.status.code(), a.status.message() + " (gave up after " +
                                         std::to_string(attempt_number) +
                                         " attempts: max_elapsed_time)");
    }
    if (!Wait(delay)) {
      return Status(a.status.code(), a.status.message() + " (shut down while retrying)");
    }
  }
}

bool SendQueue::Wait(nanoseconds delay) {
  std::unique_lock lock(mutex_);
  return !wait_cv_.wait_for(lock, delay, [this] { return stopping_; });
}

}  // namespace tracewire::collector
