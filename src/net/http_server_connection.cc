#include "net/http_server_connection.h"

#include <utility>

#include "net/http_syntax.h"
#include "net/http_writer.h"

namespace tracewire::net {
namespace internal {
namespace {

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr size_t kMaxDrainBytes = 1 << 20;
constexpr std::chrono::milliseconds kDrainTime{1000};

HttpResponse PlainResponse(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.Add("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  r.body += '\n';
  return r;
}

}  // namespace

thread_local const ResponseSlot* HttpConnection::dispatching = nullptr;

// ---- Responder ----

ResponderState::~ResponderState() {
  if (!answered.exchange(true)) Deliver(PlainResponse(500, "the request was not answered"));
}

void ResponderState::Deliver(HttpResponse response) {
  std::lock_guard lock(liveness->mu);
  if (!liveness->alive) return;
  std::shared_ptr<HttpConnection> target = connection.lock();
  if (!target) return;  // closed meanwhile
  if (HttpConnection::dispatching == slot.get()) {
    target->OnResponse(*slot, std::move(response), /*inline_answer=*/true);
    return;
  }
  asio::any_io_executor executor = target->executor();
  asio::post(executor,
             [target = std::move(target), slot = slot, response = std::move(response)]() mutable {
               target->OnResponse(*slot, std::move(response), /*inline_answer=*/false);
             });
}

}  // namespace internal

void HttpResponder::Respond(HttpResponse response) const {
  if (!state_ || state_->answered.exchange(true)) return;
  state_->Deliver(std::move(response));
}

namespace internal {

// ---- Connection ----

HttpConnection::HttpConnection(asio::ip::tcp::socket socket, HttpServerShared& shared)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      stop_timer_(socket_.get_executor()),
      shared_(shared),
      parser_(shared.options.limits) {
  if (shared.options.body_limit) parser_.set_body_limit_selector(shared.options.body_limit);
}

void HttpConnection::Start() {
  asio::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  Pump();
}

void HttpConnection::ArmTimer(std::chrono::milliseconds after) {
  uint64_t generation = ++timer_generation_;
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this(), generation](const asio::error_code& ec) {
    if (ec || generation != self->timer_generation_ || self->closed_) return;
    if (!self->draining_ && self->in_flight_ > 0 && !self->writing_) {
      // Waiting for our own handlers, not for the client.
      return self->ArmTimer(self->shared_.options.idle_timeout);
    }
    self->Close();
  });
}

void HttpConnection::Read() {
  reading_ = true;
  socket_.async_read_some(
      asio::buffer(in_),
      [self = shared_from_this()](const asio::error_code& ec, size_t n) { self->OnRead(ec, n); });
}

void HttpConnection::OnRead(const asio::error_code& ec, size_t n) {
  reading_ = false;
  if (closed_) return;
  if (draining_) {
    drained_ += n + 1;
    if (ec || drained_ > kMaxDrainBytes) return Close();
    return Drain();
  }
  if (ec) {
    if (ec != asio::error::eof || queue_.empty()) return Close();
    peer_closed_ = true;  // half-closed: answer what was asked, then close
    no_more_requests_ = true;
    return Pump();
  }
  Process(std::string_view(in_.data(), n));
}

void HttpConnection::Process(std::string_view data) {
  while (!data.empty() && !no_more_requests_) {
    if (in_flight_ >= shared_.options.max_pipelined_requests) {
      backlog_.assign(data);
      break;
    }
    data.remove_prefix(parser_.Feed(data));
    if (parser_.failed()) {
      AnswerParseError();
    } else if (parser_.done()) {
      Dispatch();
    } else if (parser_.headers_complete() && parser_.expects_continue() && !continue_sent_) {
      auto slot = std::make_shared<ResponseSlot>();
      slot->ready = true;
      slot->bytes = kContinue;
      queue_.push_back(std::move(slot));
      continue_sent_ = true;
    }
  }
  Pump();
}

void HttpConnection::Dispatch() {
  auto slot = std::make_shared<ResponseSlot>();
  slot->head_request = parser_.request().method == "HEAD";
  slot->keep_alive = parser_.keep_alive();
  slot->minor_version = parser_.minor_version();
  if (!slot->keep_alive) no_more_requests_ = true;
  queue_.push_back(slot);
  ++in_flight_;
  HttpRequest request = std::move(parser_.mutable_request());
  parser_.Reset();
  continue_sent_ = false;

  HttpResponder responder(
      std::make_shared<ResponderState>(slot, weak_from_this(), shared_.liveness));
  dispatching = slot.get();
  try {
    shared_.handler(std::move(request), responder);
  } catch (...) {  // handlers should not throw; if one does, only its request fails
    responder.Respond(PlainResponse(500, "handler failed"));
  }
  responder = HttpResponder();  // a handler that kept no copy and did not answer: 500 inline
  dispatching = nullptr;
}

void HttpConnection::OnResponse(ResponseSlot& slot, HttpResponse response, bool inline_answer) {
  if (closed_ || slot.ready) return;
  Complete(slot, std::move(response));
  if (inline_answer) return;  // Process() goes on and pumps
  if (!backlog_.empty() && in_flight_ < shared_.options.max_pipelined_requests) {
    std::string data = std::move(backlog_);
    backlog_.clear();
    return Process(data);
  }
  Pump();
}

void HttpConnection::Complete(ResponseSlot& slot, HttpResponse response) {
  Status valid = ValidateResponse(response);
  if (!valid.ok()) response = PlainResponse(500, "invalid response: " + valid.message());
  bool keep_alive = slot.keep_alive && !HasListToken(response.headers, "connection", "close");
  if (stopping_ || ServerStopping()) keep_alive = false;
  response.headers.Remove("connection");
  if (!keep_alive) {
    response.headers.Add("Connection", "close");
  } else if (slot.minor_version == 0) {
    response.headers.Add("Connection", "keep-alive");
  }
  AppendResponse(response, slot.head_request, &slot.bytes);
  slot.close_after = !keep_alive;
  slot.ready = true;
  --in_flight_;
}

void HttpConnection::AnswerParseError() {
  shared_.rejected.fetch_add(1, std::memory_order_relaxed);
  HttpResponse response = PlainResponse(HttpStatusForParseError(parser_.error()),
                                        "bad request: " + parser_.error_message());
  response.headers.Add("Connection", "close");
  auto slot = std::make_shared<ResponseSlot>();
  AppendResponse(response, /*omit_body=*/false, &slot->bytes);
  slot->ready = true;
  slot->close_after = true;
  slot->drain_after = true;
  queue_.push_back(std::move(slot));
  no_more_requests_ = true;
}

void HttpConnection::Pump() {
  if (closed_ || draining_) return;
  if (!writing_ && !close_after_write_) {
    out_.clear();
    while (!queue_.empty() && queue_.front()->ready) {
      ResponseSlot& slot = *queue_.front();
      out_ += slot.bytes;
      if (slot.close_after) {
        close_after_write_ = true;
        no_more_requests_ = true;
        drain_after_write_ = slot.drain_after;
        queue_.clear();  // requests after this one are not answered
        break;
      }
      queue_.pop_front();
    }
    if (!out_.empty()) Write();
  }
  if (!writing_ && queue_.empty() && (stopping_ || peer_closed_ || close_after_write_)) {
    return Close();
  }
  if (!reading_ && !no_more_requests_ && backlog_.empty() &&
      in_flight_ < shared_.options.max_pipelined_requests) {
    Read();
  }
  if (reading_ || writing_) ArmTimer(shared_.options.idle_timeout);
}

bool HttpConnection::ServerStopping() {
  std::lock_guard lock(shared_.mu);
  return shared_.stopping;
}

void HttpConnection::Write() {
  writing_ = true;
  asio::async_write(
      socket_, asio::buffer(out_),
      [self = shared_from_this()](const asio::error_code& ec, size_t) { self->OnWrite(ec); });
}

void HttpConnection::OnWrite(const asio::error_code& ec) {
  writing_ = false;
  out_.clear();
  if (closed_) return;
  if (ec) return Close();
  if (close_after_write_) {
    if (drain_after_write_) return Drain();
    return Close();
  }
  Pump();
}

void HttpConnection::Drain() {
  if (!draining_) {
    draining_ = true;
    asio::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    ArmTimer(kDrainTime);
  }
  if (!reading_) Read();  // OnRead counts and comes back here
}

void HttpConnection::OnServerStop() {
  if (closed_) return;
  stopping_ = true;
  no_more_requests_ = true;
  if (queue_.empty() && !writing_) return Close();
  stop_timer_.expires_after(shared_.options.stop_grace);
  stop_timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
    if (!ec) self->Close();
  });
  Pump();
}

void HttpConnection::Close() {
  if (closed_) return;
  closed_ = true;
  ++timer_generation_;
  asio::error_code ignored;
  timer_.cancel();
  stop_timer_.cancel();
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  queue_.clear();
  std::lock_guard lock(shared_.mu);
  shared_.connections.erase(shared_from_this());
}

}  // namespace internal
}  // namespace tracewire::net
