// Internal to the server: one event loop (thread + io_context) with the connections it owns,
// the heap of request deadlines of calls still unanswered, and the idle sweep.
// Every method except the constructor, Start, gate() and io() runs on the loop's thread.
#pragma once

#include <asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "trpc/internal/io_loop.h"

namespace tracewire::trpc::internal {

class ServerCallImpl;
class ServerConnection;
struct ServerShared;

class ServerLoop {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ServerLoop(std::shared_ptr<ServerShared> shared);
  ServerLoop(const ServerLoop&) = delete;
  ServerLoop& operator=(const ServerLoop&) = delete;

  asio::io_context& io() { return loop_.io(); }
  IoLoop& loop() { return loop_; }
  const std::shared_ptr<LoopGate>& gate() const { return gate_; }
  void Start();
  // Joins the thread. REQUIRES: CloseAll ran on the loop (it stops the io_context).
  void Join() { loop_.Join(); }

  void Add(std::shared_ptr<ServerConnection> connection);
  void Remove(ServerConnection* connection);

  // A call whose handler returned without replying and whose request has a timeout: answered
  // 21 at its deadline unless it completes first. Untrack() when a tracked call completes.
  void Track(std::shared_ptr<ServerCallImpl> call);
  void Untrack() {
    if (tracked_live_ > 0) --tracked_live_;
  }

  void BeginDrain();
  // Closes every connection, drops the tracked calls, stops the timers and the io_context.
  void CloseAll();

  std::atomic<uint64_t> requests{0};  // written by this loop only

 private:
  struct Deadline {
    Clock::time_point at;
    std::shared_ptr<ServerCallImpl> call;
  };
  static bool Later(const Deadline& a, const Deadline& b) { return a.at > b.at; }
  void ArmDeadlineTimer();
  void OnDeadlineTimer();
  void ArmSweep();
  void Sweep();
  std::vector<std::shared_ptr<ServerConnection>> Snapshot() const;

  std::shared_ptr<ServerShared> shared_;
  IoLoop loop_;
  std::shared_ptr<LoopGate> gate_;
  std::unordered_map<ServerConnection*, std::shared_ptr<ServerConnection>> connections_;
  std::vector<Deadline> deadlines_;  // min-heap by `at` (std::push_heap with Later)
  size_t tracked_live_ = 0;          // tracked calls not yet completed
  asio::steady_timer deadline_timer_;
  Clock::time_point deadline_armed_ = Clock::time_point::max();
  asio::steady_timer sweep_timer_;
  bool closed_ = false;
};

}  // namespace tracewire::trpc::internal
