// IoLoop: one asio::io_context run by one thread (the server's and the client's event loops).
// LoopGate: lets any thread post to a loop for as long as the loop exists, and drops the work
// once the loop is gone (late replies from handler threads after Server::Shutdown).
#pragma once

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace tracewire::trpc::internal {

class IoLoop {
 public:
  IoLoop();
  ~IoLoop();  // Stop() and Join()
  IoLoop(const IoLoop&) = delete;
  IoLoop& operator=(const IoLoop&) = delete;

  asio::io_context& io() { return io_; }
  // Starts the thread running the loop.
  void Start();
  // Lets run() return once no handler or operation is left.
  void ReleaseWork() { work_.reset(); }
  // Makes run() return as soon as possible; queued handlers are kept (destroyed with the loop).
  void Stop() { io_.stop(); }
  void Join();

  // The loop whose thread is calling, or nullptr. Comparing it with a pointer never
  // dereferences, so it is safe against loops that no longer exist.
  static const IoLoop* Current();
  bool InLoopThread() const { return Current() == this; }

 private:
  asio::io_context io_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
};

// Shared (std::shared_ptr) between a loop's owner and everything that may post to it later.
class LoopGate {
 public:
  explicit LoopGate(asio::io_context& io) : io_(&io) {}

  // Posts `fn` to the loop; returns false (dropping fn) once Close() ran. Thread-safe.
  template <typename Fn>
  bool Post(Fn&& fn) {
    std::lock_guard lock(mu_);
    if (io_ == nullptr) return false;
    asio::post(*io_, std::forward<Fn>(fn));
    return true;
  }
  // After this, Post drops everything. Call before the io_context is destroyed.
  void Close() {
    std::lock_guard lock(mu_);
    io_ = nullptr;
  }

 private:
  std::mutex mu_;
  asio::io_context* io_;  // guarded by mu_
};

}  // namespace tracewire::trpc::internal
