// HttpDeadlines: the deadlines of the HTTP requests of one listener on one loop thread that
// wait for an upstream answer. One coarse timer, armed while any request waits, checks them
// every kTick, instead of a timer per request (each one a timerfd_settime syscall). A
// deadline therefore fires up to kTick late. Loop-thread only; no allocation per request
// (waiters are linked into an intrusive list).
#pragma once

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <optional>

namespace tracewire::sidecar::internal {

class HttpDeadlines {
 public:
  static constexpr std::chrono::milliseconds kTick{10};

  // Embedded in whatever waits (an HTTP session); must Clear() itself before it is destroyed.
  class Waiter {
   public:
    // The deadline passed; the waiter is no longer linked. Runs on the loop thread.
    virtual void DeadlinePassed() = 0;

   protected:
    ~Waiter() = default;

   private:
    friend class HttpDeadlines;
    Waiter* prev_ = nullptr;
    Waiter* next_ = nullptr;
    bool linked_ = false;
    std::chrono::steady_clock::time_point deadline_;
  };

  explicit HttpDeadlines(asio::io_context& io) : io_(io) {}
  HttpDeadlines(const HttpDeadlines&) = delete;
  HttpDeadlines& operator=(const HttpDeadlines&) = delete;

  // HOT PATH: (re)sets `w`'s deadline.
  void Set(Waiter* w, std::chrono::steady_clock::time_point deadline);
  // HOT PATH: forgets `w`'s deadline; a no-op when it has none.
  void Clear(Waiter* w);
  // Before the io_context stops (loop thread): drops the timer; deadlines no longer fire.
  void Shutdown();

 private:
  void Arm();
  void Tick();

  asio::io_context& io_;
  std::optional<asio::steady_timer> timer_;  // created on first use, dropped by Shutdown
  Waiter* head_ = nullptr;
  bool armed_ = false;
  bool shut_ = false;
};

}  // namespace tracewire::sidecar::internal
