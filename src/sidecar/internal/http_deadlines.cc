#include "sidecar/internal/http_deadlines.h"

namespace tracewire::sidecar::internal {

void HttpDeadlines::Set(Waiter* w, std::chrono::steady_clock::time_point deadline) {
  w->deadline_ = deadline;
  if (!w->linked_) {
    w->linked_ = true;
    w->prev_ = nullptr;
    w->next_ = head_;
    if (head_ != nullptr) head_->prev_ = w;
    head_ = w;
  }
  Arm();
}

void HttpDeadlines::Clear(Waiter* w) {
  if (!w->linked_) return;
  w->linked_ = false;
  if (w->prev_ != nullptr) {
    w->prev_->next_ = w->next_;
  } else {
    head_ = w->next_;
  }
  if (w->next_ != nullptr) w->next_->prev_ = w->prev_;
  w->prev_ = w->next_ = nullptr;
}

void HttpDeadlines::Shutdown() {
  shut_ = true;
  timer_.reset();  // a pending wait completes as aborted and touches nothing but the flags
}

void HttpDeadlines::Arm() {
  if (armed_ || shut_) return;
  if (!timer_) timer_.emplace(io_);
  armed_ = true;
  timer_->expires_after(kTick);
  timer_->async_wait([this](const asio::error_code& ec) {
    armed_ = false;
    if (!ec && !shut_) Tick();
  });
}

void HttpDeadlines::Tick() {
  const auto now = std::chrono::steady_clock::now();
  for (Waiter* w = head_; w != nullptr;) {
    Waiter* next = w->next_;
    if (w->deadline_ <= now) {
      Clear(w);
      w->DeadlinePassed();  // unlinks nothing else: only `w` answers
    }
    w = next;
  }
  if (head_ != nullptr) Arm();
}

}  // namespace tracewire::sidecar::internal
