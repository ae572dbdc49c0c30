#include "trpc/internal/server_loop.h"

#include <algorithm>

#include "trpc/internal/server_call_impl.h"
#include "trpc/internal/server_connection.h"
#include "trpc/internal/server_shared.h"

namespace tracewire::trpc::internal {
namespace {

constexpr size_t kCompactSlack = 64;  // heap entries of completed calls tolerated before compaction

}  // namespace

ServerLoop::ServerLoop(std::shared_ptr<ServerShared> shared)
    : shared_(std::move(shared)),
      gate_(std::make_shared<LoopGate>(loop_.io())),
      deadline_timer_(loop_.io()),
      sweep_timer_(loop_.io()) {}

void ServerLoop::Start() {
  asio::post(io(), [this] { ArmSweep(); });
  loop_.Start();
}

void ServerLoop::Add(std::shared_ptr<ServerConnection> connection) {
  ServerConnection* key = connection.get();
  connections_.emplace(key, std::move(connection));
}

void ServerLoop::Remove(ServerConnection* connection) { connections_.erase(connection); }

void ServerLoop::Track(std::shared_ptr<ServerCallImpl> call) {
  if (closed_) return;
  call->tracked = true;
  ++tracked_live_;
  if (deadlines_.size() > 2 * tracked_live_ + kCompactSlack) {  // drop completed calls' entries
    std::erase_if(deadlines_, [](const Deadline& d) { return d.call->completed(); });
    std::make_heap(deadlines_.begin(), deadlines_.end(), Later);
  }
  Clock::time_point at = call->deadline();
  deadlines_.push_back(Deadline{at, std::move(call)});
  std::push_heap(deadlines_.begin(), deadlines_.end(), Later);
  if (at < deadline_armed_) ArmDeadlineTimer();
}

void ServerLoop::ArmDeadlineTimer() {
  if (deadlines_.empty()) {
    deadline_armed_ = Clock::time_point::max();
    deadline_timer_.cancel();
    return;
  }
  deadline_armed_ = deadlines_.front().at;
  deadline_timer_.expires_at(deadline_armed_);
  deadline_timer_.async_wait([this](const asio::error_code& ec) {
    if (!ec) OnDeadlineTimer();
  });
}

void ServerLoop::OnDeadlineTimer() {
  if (closed_) return;
  const Clock::time_point now = Clock::now();
  while (!deadlines_.empty() && deadlines_.front().at <= now) {
    std::pop_heap(deadlines_.begin(), deadlines_.end(), Later);
    std::shared_ptr<ServerCallImpl> call = std::move(deadlines_.back().call);
    deadlines_.pop_back();
    if (!call->completed()) {
      shared_->timeouts.fetch_add(1, std::memory_order_relaxed);
      call->TimeOut();  // writes the 21 response (unless a reply won the race)
    }
  }
  ArmDeadlineTimer();
}

void ServerLoop::ArmSweep() {
  if (closed_) return;
  auto period = std::clamp(shared_->options.idle_timeout / 4, std::chrono::milliseconds(5),
                           std::chrono::milliseconds(250));
  sweep_timer_.expires_after(period);
  sweep_timer_.async_wait([this](const asio::error_code& ec) {
    if (ec || closed_) return;
    Sweep();
    ArmSweep();
  });
}

std::vector<std::shared_ptr<ServerConnection>> ServerLoop::Snapshot() const {
  std::vector<std::shared_ptr<ServerConnection>> all;
  all.reserve(connections_.size());
  for (const auto& entry : connections_) all.push_back(entry.second);
  return all;
}

void ServerLoop::Sweep() {
  const Clock::time_point now = Clock::now();
  for (auto& connection : Snapshot()) connection->OnSweep(now);
}

void ServerLoop::BeginDrain() {
  for (auto& connection : Snapshot()) connection->BeginDrain();
}

void ServerLoop::CloseAll() {
  closed_ = true;
  for (auto& connection : Snapshot()) connection->Close();
  connections_.clear();
  deadlines_.clear();
  tracked_live_ = 0;
  deadline_timer_.cancel();
  sweep_timer_.cancel();
  gate_->Close();
  loop_.Stop();
}

}  // namespace tracewire::trpc::internal
