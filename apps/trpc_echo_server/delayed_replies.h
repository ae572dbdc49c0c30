// DelayedReplies: one timer thread that runs callbacks at their due time, so that a handler can
// answer later without holding an event-loop thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace tracewire::apps {

class DelayedReplies {
 public:
  using Clock = std::chrono::steady_clock;

  DelayedReplies() : thread_([this] { Run(); }) {}
  // Runs the callbacks still pending at once, then joins.
  ~DelayedReplies() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  DelayedReplies(const DelayedReplies&) = delete;
  DelayedReplies& operator=(const DelayedReplies&) = delete;

  // Runs `fn` on the timer thread at `due` (at once if past). Thread-safe.
  void At(Clock::time_point due, std::function<void()> fn) {
    {
      std::lock_guard lock(mu_);
      pending_.emplace(due, std::move(fn));
    }
    cv_.notify_one();
  }

 private:
  void Run() {
    std::unique_lock lock(mu_);
    while (true) {
      if (pending_.empty()) {
        if (stopping_) return;
        cv_.wait(lock);
        continue;
      }
      auto first = pending_.begin();
      if (!stopping_ && first->first > Clock::now()) {
        cv_.wait_until(lock, first->first);
        continue;
      }
      std::function<void()> fn = std::move(first->second);
      pending_.erase(first);
      lock.unlock();
      fn();
      lock.lock();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<Clock::time_point, std::function<void()>> pending_;  // guarded by mu_
  bool stopping_ = false;                                            // guarded by mu_
  std::thread thread_;
};

}  // namespace tracewire::apps
