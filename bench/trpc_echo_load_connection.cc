#include "trpc_echo_load_connection.h"

#include <algorithm>
#include <asio/connect.hpp>
#include <asio/write.hpp>
#include <bit>
#include <chrono>
#include <cstring>

#include "trpc/frame_codec.h"

namespace tracewire::bench {
namespace {

constexpr int64_t kTickNs = 50'000'000;    // the longest sleep between timeout checks
constexpr uint32_t kOpenLoopSlots = 8192;  // in-flight requests per connection, open loop

}  // namespace

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void WorkerStats::Merge(const WorkerStats& o) {
  sent += o.sent;
  ok += o.ok;
  bad_ret += o.bad_ret;
  bad_body += o.bad_body;
  timeouts += o.timeouts;
  late += o.late;
  protocol += o.protocol;
  lost += o.lost;
  disconnects += o.disconnects;
  latency.Merge(o.latency);
}

StreamConnection::StreamConnection(asio::io_context& io, const LoadOptions& options,
                                   const LoadWindow& window, WorkerStats& stats, int index)
    : options_(options),
      window_(window),
      stats_(stats),
      timeout_ns_(int64_t{options.timeout_ms} * 1'000'000),
      socket_(io),
      timer_(io) {
  body_.resize(options.body_size);
  for (size_t i = 0; i < body_.size(); ++i) body_[i] = static_cast<char>('a' + i % 26);
  if (options.mode == LoadMode::kOpen) {
    interval_ns_ =
        std::max<int64_t>(1, static_cast<int64_t>(1e9 * options.connections / options.rate));
    offset_ns_ = interval_ns_ * index / options.connections;
  }
}

Status StreamConnection::Connect(const asio::ip::tcp::endpoint& endpoint) {
  asio::error_code ec;
  socket_.connect(endpoint, ec);
  if (!ec) socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  if (ec) return Status(StatusCode::kUnavailable, "connect: " + ec.message());
  return OkStatus();
}

void StreamConnection::Flush() {
  if (write_in_flight_ || out_.empty() || dead_) return;
  writing_.swap(out_);
  out_.clear();
  write_in_flight_ = true;
  asio::async_write(socket_, asio::buffer(writing_), [this](asio::error_code ec, size_t) {
    write_in_flight_ = false;
    if (ec) {
      Fail(/*protocol_error=*/false);
      return;
    }
    writing_.clear();
    Flush();
  });
}

void StreamConnection::Read() {
  socket_.async_read_some(asio::buffer(read_buf_), [this](asio::error_code ec, size_t n) {
    if (ec) {
      Fail(/*protocol_error=*/false);
      return;
    }
    OnRead(n);
  });
}

void StreamConnection::ArmTimer(int64_t now_ns) {
  int64_t wake = now_ns + kTickNs;
  if (options_.mode == LoadMode::kOpen && next_send_ns_ < window_.end_ns) {
    wake = std::min(wake, next_send_ns_);
  }
  timer_.expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(wake)));
  timer_.async_wait([this](asio::error_code ec) {
    if (!ec) OnTick();
  });
}

void StreamConnection::Close(bool protocol_error, uint64_t lost) {
  if (dead_) return;
  dead_ = true;
  ++stats_.disconnects;
  if (window_.Counts(NowNs())) {
    if (protocol_error) ++stats_.protocol;
    stats_.lost += lost;
  }
  asio::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
}

EchoConnection::EchoConnection(asio::io_context& io, const LoadOptions& options,
                               const LoadWindow& window, WorkerStats& stats, int index)
    : StreamConnection(io, options, window, stats, index) {
  const uint32_t slots =
      options.mode == LoadMode::kOpen
          ? kOpenLoopSlots
          : std::bit_ceil(std::max<uint32_t>(64, 2 * static_cast<uint32_t>(options.pipeline)));
  slots_.resize(slots);
  mask_ = slots - 1;
}

void EchoConnection::Start() {
  Read();
  const int64_t now = NowNs();
  if (options_.mode == LoadMode::kClosed) {
    for (int i = 0; i < options_.pipeline; ++i) Send(now);
    Flush();
  } else {
    next_send_ns_ = window_.start_ns + offset_ns_;
  }
  ArmTimer(now);
}

void EchoConnection::Send(int64_t scheduled_ns) {
  AdvanceOldest();
  if (next_id_ - oldest_id_ >= slots_.size()) {
    // The in-flight table is full: give up on the oldest request to make room.
    Slot& oldest = slots_[oldest_id_ & mask_];
    oldest.busy = false;
    --in_flight_;
    if (window_.Counts(scheduled_ns)) ++stats_.timeouts;
    ++oldest_id_;
    AdvanceOldest();
  }
  const uint32_t id = next_id_++;
  slots_[id & mask_] = Slot{id, true, scheduled_ns};
  ++in_flight_;
  if (window_.Counts(scheduled_ns)) ++stats_.sent;

  trpc::RequestHead head;
  head.request_id = id;
  head.timeout_ms = static_cast<uint32_t>(options_.timeout_ms);
  head.caller = "trpc.bench.load";
  head.callee = "trpc.test.echo.Echo";
  head.func = options_.func;
  head.content_type = options_.content_type;
  // Cannot fail: the body size is validated far below the maximum frame size.
  (void)trpc::AppendRequestFrame(head, body_, {}, trpc::kDefaultMaxFrameSize, &out_);
}

void EchoConnection::OnRead(size_t n) {
  in_.append(read_buf_.data(), n);
  const int64_t now = NowNs();
  const std::string_view input = in_;
  size_t pos = 0;
  while (true) {
    trpc::FrameHeader header;
    size_t frame_size = 0;
    if (trpc::PeekFrame(input.substr(pos), trpc::kDefaultMaxFrameSize, &header, &frame_size) !=
        trpc::CodecError::kOk) {
      Fail(/*protocol_error=*/true);
      return;
    }
    if (frame_size == 0) break;
    OnResponse(input.substr(pos, frame_size), now);
    if (dead_) return;
    pos += frame_size;
  }
  in_.erase(0, pos);
  Flush();
  Read();
}

void EchoConnection::OnResponse(std::string_view frame, int64_t now_ns) {
  trpc::ResponseFrame response;
  if (trpc::DecodeResponseFrame(frame, trpc::kDefaultMaxFrameSize, &response) !=
      trpc::CodecError::kOk) {
    Fail(/*protocol_error=*/true);
    return;
  }
  const uint32_t id = response.head.request_id;
  Slot& slot = slots_[id & mask_];
  if (!slot.busy || slot.id != id) {
    if (id == 0 || id >= next_id_) {  // never sent: the server is confused
      Fail(/*protocol_error=*/true);
      return;
    }
    if (window_.Counts(now_ns)) ++stats_.late;  // already counted as a timeout
    return;
  }
  slot.busy = false;
  --in_flight_;
  if (window_.Counts(now_ns)) {
    if (response.head.ret != 0 || response.head.func_ret != 0) {
      ++stats_.bad_ret;
    } else if (response.body != body_) {
      ++stats_.bad_body;
    } else {
      ++stats_.ok;
      stats_.latency.Record(now_ns - slot.scheduled_ns);
    }
  }
  if (options_.mode == LoadMode::kClosed && now_ns < window_.end_ns) Send(now_ns);
}

void EchoConnection::OnTick() {
  if (dead_) return;
  const int64_t now = NowNs();
  ExpireOldest(now);
  if (options_.mode == LoadMode::kOpen) {
    // Send everything due; a late tick sends a burst, each stamped with its own schedule.
    while (next_send_ns_ <= now && next_send_ns_ < window_.end_ns) {
      Send(next_send_ns_);
      next_send_ns_ += interval_ns_;
    }
  }
  Flush();
  ArmTimer(now);
}

void EchoConnection::AdvanceOldest() {
  while (oldest_id_ != next_id_) {
    const Slot& s = slots_[oldest_id_ & mask_];
    if (s.busy && s.id == oldest_id_) break;
    ++oldest_id_;
  }
}

void EchoConnection::ExpireOldest(int64_t now_ns) {
  AdvanceOldest();
  while (oldest_id_ != next_id_) {
    Slot& s = slots_[oldest_id_ & mask_];
    if (now_ns - s.scheduled_ns < timeout_ns_) break;
    s.busy = false;
    --in_flight_;
    if (window_.Counts(now_ns)) ++stats_.timeouts;
    ++oldest_id_;
    if (options_.mode == LoadMode::kClosed && now_ns < window_.end_ns) Send(now_ns);
    AdvanceOldest();
  }
}

void EchoConnection::Fail(bool protocol_error) {
  if (dead_) return;
  const uint32_t lost = in_flight_;
  in_flight_ = 0;
  for (Slot& s : slots_) s.busy = false;
  Close(protocol_error, lost);
}

void EchoConnection::Finish() {
  if (dead_) return;
  for (const Slot& s : slots_) {
    if (s.busy && window_.Counts(s.scheduled_ns) &&
        window_.end_ns - s.scheduled_ns >= timeout_ns_) {
      ++stats_.timeouts;
    }
  }
}

}  // namespace tracewire::bench
