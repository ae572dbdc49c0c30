#include "trpc/internal/io_loop.h"

namespace tracewire::trpc::internal {
namespace {

thread_local const IoLoop* t_current_loop = nullptr;

}  // namespace

IoLoop::IoLoop() : work_(asio::make_work_guard(io_)) {}

IoLoop::~IoLoop() {
  Stop();
  Join();
}

void IoLoop::Start() {
  thread_ = std::thread([this] {
    t_current_loop = this;
    io_.run();
    t_current_loop = nullptr;
  });
}

void IoLoop::Join() {
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

const IoLoop* IoLoop::Current() { return t_current_loop; }

}  // namespace tracewire::trpc::internal
