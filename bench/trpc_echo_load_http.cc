#include "trpc_echo_load_http.h"

#include <string>

namespace tracewire::bench {
namespace {

constexpr size_t kMaxQueued = 8192;  // requests due but not sent yet, per connection

}  // namespace

HttpEchoConnection::HttpEchoConnection(asio::io_context& io, const LoadOptions& options,
                                       const LoadWindow& window, WorkerStats& stats, int index)
    : StreamConnection(io, options, window, stats, index),
      max_on_wire_(options.mode == LoadMode::kClosed ? static_cast<size_t>(options.pipeline) : 1) {
  request_ = "POST " + options.path +
             " HTTP/1.1\r\nHost: bench\r\nUser-Agent: trpc_echo_load\r\n"
             "Content-Type: application/octet-stream\r\nContent-Length: " +
             std::to_string(body_.size()) + "\r\n\r\n" + body_;
}

void HttpEchoConnection::Start() {
  Read();
  const int64_t now = NowNs();
  if (options_.mode == LoadMode::kClosed) {
    for (int i = 0; i < options_.pipeline; ++i) Enqueue(now);
    Pump();
  } else {
    next_send_ns_ = window_.start_ns + offset_ns_;
  }
  ArmTimer(now);
}

void HttpEchoConnection::Enqueue(int64_t scheduled_ns) {
  if (queue_.size() - on_wire_ >= kMaxQueued) {
    // Too far behind: give up on the oldest request not sent yet.
    if (window_.Counts(queue_[on_wire_])) ++stats_.timeouts;
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(on_wire_));
  }
  queue_.push_back(scheduled_ns);
  if (window_.Counts(scheduled_ns)) ++stats_.sent;
}

void HttpEchoConnection::Pump() {
  while (on_wire_ < max_on_wire_ && on_wire_ < queue_.size()) {
    out_ += request_;
    ++on_wire_;
  }
  Flush();
}

void HttpEchoConnection::OnRead(size_t n) {
  const int64_t now = NowNs();
  std::string_view data(read_buf_.data(), n);
  while (!data.empty()) {
    data.remove_prefix(parser_.Feed(data));
    if (parser_.failed()) {
      Fail(/*protocol_error=*/true);
      return;
    }
    if (!parser_.done()) break;  // everything consumed, the answer is not complete yet
    OnResponse(now);
    if (dead_) return;
    parser_.Reset();
  }
  Pump();
  Read();
}

void HttpEchoConnection::OnResponse(int64_t now_ns) {
  const net::HttpResponse& response = parser_.response();
  if (response.status / 100 == 1) return;  // interim answer: the real one follows
  if (on_wire_ == 0) {                     // an answer to nothing
    Fail(/*protocol_error=*/true);
    return;
  }
  const int64_t scheduled = queue_.front();
  queue_.pop_front();
  --on_wire_;
  if (window_.Counts(now_ns)) {
    if (response.status != 200) {
      ++stats_.bad_ret;
    } else if (response.body != body_) {
      ++stats_.bad_body;
    } else {
      ++stats_.ok;
      stats_.latency.Record(now_ns - scheduled);
    }
  }
  if (!parser_.keep_alive()) {  // the server closes after this answer: the rest is lost
    Fail(/*protocol_error=*/false);
    return;
  }
  if (options_.mode == LoadMode::kClosed && now_ns < window_.end_ns) Enqueue(now_ns);
}

void HttpEchoConnection::OnTick() {
  if (dead_) return;
  const int64_t now = NowNs();
  if (on_wire_ > 0 && now - queue_.front() >= timeout_ns_) {
    if (window_.Counts(queue_.front())) ++stats_.timeouts;
    queue_.pop_front();
    --on_wire_;
    Fail(/*protocol_error=*/false);
    return;
  }
  if (options_.mode == LoadMode::kOpen) {
    while (next_send_ns_ <= now && next_send_ns_ < window_.end_ns) {
      Enqueue(next_send_ns_);
      next_send_ns_ += interval_ns_;
    }
  }
  Pump();
  ArmTimer(now);
}

void HttpEchoConnection::Fail(bool protocol_error) {
  if (dead_) return;
  uint64_t lost = 0;
  for (const int64_t t : queue_) lost += window_.Counts(t) ? 1 : 0;
  queue_.clear();
  on_wire_ = 0;
  Close(protocol_error, lost);
}

void HttpEchoConnection::Finish() {
  if (dead_) return;
  for (const int64_t t : queue_) {
    if (window_.Counts(t) && window_.end_ns - t >= timeout_ns_) ++stats_.timeouts;
  }
}

}  // namespace tracewire::bench
