#include "net/http_server_connection.h"

#include <utility>

#include "net/http_syntax.h"
#include "net/http_writer.h"

namespace tracewire::net::internal {
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

HttpConnection::HttpConnection(asio::ip::tcp::socket socket, HttpServerShared& shared)
    : socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      shared_(shared),
      parser_(shared.options.limits) {}

void HttpConnection::Start() {
  asio::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  Read();
}

void HttpConnection::ArmTimer(std::chrono::milliseconds after) {
  uint64_t generation = ++timer_generation_;
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this(), generation](const asio::error_code& ec) {
    if (ec || generation != self->timer_generation_) return;
    self->Close();
  });
}

void HttpConnection::Read() {
  ArmTimer(shared_.options.idle_timeout);
  socket_.async_read_some(
      asio::buffer(in_),
      [self = shared_from_this()](const asio::error_code& ec, size_t n) { self->OnRead(ec, n); });
}

void HttpConnection::OnRead(const asio::error_code& ec, size_t n) {
  ++timer_generation_;  // disarms the idle timer
  if (closed_) return;
  if (ec) return Close();
  Process(std::string_view(in_.data(), n));
}

void HttpConnection::Process(std::string_view data) {
  while (!data.empty() && !close_after_write_) {
    data.remove_prefix(parser_.Feed(data));
    if (parser_.failed()) {
      AnswerParseError();
    } else if (parser_.done()) {
      AnswerRequest();
    } else if (parser_.headers_complete() && parser_.expects_continue() && !continue_sent_) {
      out_.append(kContinue);
      continue_sent_ = true;
    }
  }
  if (!out_.empty()) return Write();
  Read();
}

void HttpConnection::AnswerRequest() {
  const HttpRequest& request = parser_.request();
  HttpResponse response;
  try {
    response = shared_.handler(request);
  } catch (...) {  // handlers should not throw; if one does, only its request fails
    response = PlainResponse(500, "handler failed");
  }
  Status valid = ValidateResponse(response);
  if (!valid.ok()) response = PlainResponse(500, "invalid response: " + valid.message());

  bool keep_alive = parser_.keep_alive() && !HasListToken(response.headers, "connection", "close");
  if (ServerStopping()) keep_alive = false;
  response.headers.Remove("connection");
  if (!keep_alive) {
    response.headers.Add("Connection", "close");
  } else if (parser_.minor_version() == 0) {
    response.headers.Add("Connection", "keep-alive");
  }
  AppendResponse(response, request.method == "HEAD", &out_);
  close_after_write_ = !keep_alive;
  parser_.Reset();
  continue_sent_ = false;
}

void HttpConnection::AnswerParseError() {
  shared_.rejected.fetch_add(1, std::memory_order_relaxed);
  HttpResponse response = PlainResponse(HttpStatusForParseError(parser_.error()),
                                        "bad request: " + parser_.error_message());
  response.headers.Add("Connection", "close");
  AppendResponse(response, /*omit_body=*/false, &out_);
  close_after_write_ = true;
  draining_ = true;
}

bool HttpConnection::ServerStopping() {
  std::lock_guard lock(shared_.mu);
  return shared_.stopping;
}

void HttpConnection::Write() {
  writing_ = true;
  ArmTimer(shared_.options.idle_timeout);
  asio::async_write(
      socket_, asio::buffer(out_),
      [self = shared_from_this()](const asio::error_code& ec, size_t) { self->OnWrite(ec); });
}

void HttpConnection::OnWrite(const asio::error_code& ec) {
  ++timer_generation_;
  writing_ = false;
  out_.clear();
  if (closed_) return;
  if (ec) return Close();
  if (close_after_write_) {
    if (draining_) return Drain();
    return Close();
  }
  if (ServerStopping()) return Close();
  Read();
}

void HttpConnection::Drain() {
  asio::error_code ignored;
  if (drained_ == 0) {
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    ArmTimer(kDrainTime);
  }
  socket_.async_read_some(asio::buffer(in_),
                          [self = shared_from_this()](const asio::error_code& ec, size_t n) {
                            if (self->closed_) return;
                            self->drained_ += n + 1;
                            if (ec || self->drained_ > kMaxDrainBytes) return self->Close();
                            self->Drain();
                          });
}

void HttpConnection::OnServerStop() {
  if (closed_ || writing_) return;  // OnWrite closes after the response
  Close();
}

void HttpConnection::Close() {
  if (closed_) return;
  closed_ = true;
  ++timer_generation_;
  asio::error_code ignored;
  timer_.cancel();
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  std::lock_guard lock(shared_.mu);
  shared_.connections.erase(shared_from_this());
}

}  // namespace tracewire::net::internal
