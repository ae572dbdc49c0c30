// Test-only: a TracesConsumer + LogsConsumer that keeps every batch and answers with a chosen
// Status, at once or when the test releases the held answers (requests in flight).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "collector/component.h"

namespace tracewire::collector::testing {

class CapturingConsumer final : public TracesConsumer, public LogsConsumer {
 public:
  // The answer to every later batch.
  void AnswerWith(Status status) {
    std::lock_guard lock(mu_);
    answer_ = std::move(status);
  }
  // Holds answers until Release().
  void Hold() {
    std::lock_guard lock(mu_);
    hold_ = true;
  }
  // Answers every held batch (in reverse arrival order, to shake ordering) and stops holding.
  void Release() {
    std::vector<std::pair<ConsumeDone, Status>> held;
    {
      std::lock_guard lock(mu_);
      hold_ = false;
      held.swap(held_);
    }
    for (auto it = held.rbegin(); it != held.rend(); ++it) it->first(it->second);
  }

  void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) override {
    Record(&traces_, std::move(batch), std::move(done));
  }
  void ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) override {
    Record(&logs_, std::move(batch), std::move(done));
  }

  // Waits until `n` batches of either signal arrived (false after 5 s).
  bool WaitForBatches(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(5),
                        [&] { return traces_.size() + logs_.size() >= n; });
  }
  std::vector<std::shared_ptr<model::SpanBatch>> traces() {
    std::lock_guard lock(mu_);
    return traces_;
  }
  std::vector<std::shared_ptr<model::LogBatch>> logs() {
    std::lock_guard lock(mu_);
    return logs_;
  }

 private:
  template <typename Batch>
  void Record(std::vector<std::shared_ptr<Batch>>* into, std::shared_ptr<Batch> batch,
              ConsumeDone done) {
    Status answer;
    {
      std::lock_guard lock(mu_);
      into->push_back(std::move(batch));
      cv_.notify_all();
      answer = answer_;
      if (hold_) {
        held_.emplace_back(std::move(done), answer);
        return;
      }
    }
    done(answer);
  }

  std::mutex mu_;
  std::condition_variable cv_;
  Status answer_;
  bool hold_ = false;
  std::vector<std::pair<ConsumeDone, Status>> held_;
  std::vector<std::shared_ptr<model::SpanBatch>> traces_;
  std::vector<std::shared_ptr<model::LogBatch>> logs_;
};

}  // namespace tracewire::collector::testing
