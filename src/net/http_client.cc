// HttpClient over blocking-style POSIX sockets: the socket is non-blocking and every wait is a
// poll() bounded by the request deadline.
#include "net/http_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "net/http_parser.h"
#include "net/http_writer.h"

namespace tracewire::net {
namespace {

using Clock = std::chrono::steady_clock;

// Milliseconds left until `deadline`, rounded up, never negative.
int MillisLeft(Clock::time_point deadline) {
  auto left = deadline - Clock::now();
  if (left <= Clock::duration::zero()) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<int64_t>(ms, 1 << 30));
}

// Waits for `events` on `fd` until `deadline`; false on timeout.
bool WaitFor(int fd, short events, Clock::time_point deadline) {
  while (true) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, MillisLeft(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return true;  // let the following call report the error
  }
}

std::string ErrnoText(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

class HttpClientImpl final : public HttpClient {
 public:
  HttpClientImpl(std::string host, uint16_t port, HttpClientOptions options)
      : host_(std::move(host)), port_(port), options_(options), parser_(ParserLimits(options)) {
    bool ipv6 = host_.find(':') != std::string::npos;
    host_header_ = ipv6 ? "[" + host_ + "]" : host_;
    if (port_ != 80) host_header_ += ":" + std::to_string(port_);
  }
  ~HttpClientImpl() override { Close(); }
  HttpClientImpl(const HttpClientImpl&) = delete;
  HttpClientImpl& operator=(const HttpClientImpl&) = delete;

  StatusOr<HttpResponse> Send(const HttpRequest& request,
                              std::chrono::milliseconds timeout) override;

 private:
  static HttpParseLimits ParserLimits(const HttpClientOptions& options) {
    HttpParseLimits limits;
    limits.max_body_bytes = options.max_response_body_bytes;
    return limits;
  }

  Status Connect(Clock::time_point deadline);
  Status ConnectTo(const addrinfo& ai, Clock::time_point deadline);
  // True when an idle kept-alive connection shows no sign of having been closed by the peer.
  bool IdleConnectionUsable() const;
  // Writes out_ and reads one final response. `*nothing_received` tells whether the failure
  // happened before any response byte (the only case that may be retried).
  StatusOr<HttpResponse> Exchange(bool head, Clock::time_point deadline, bool* nothing_received);
  Status WriteAll(Clock::time_point deadline);
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  std::string host_;
  uint16_t port_;
  HttpClientOptions options_;
  std::string host_header_;
  int fd_ = -1;
  HttpResponseParser parser_;
  std::string out_;
  char in_[16 * 1024];
};

Status HttpClientImpl::Connect(Clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  std::string port = std::to_string(port_);
  int rc = ::getaddrinfo(host_.c_str(), port.c_str(), &hints, &list);
  if (rc != 0) {
    return UnavailableError("cannot resolve " + host_ + ": " + ::gai_strerror(rc));
  }
  auto connect_deadline = std::min(deadline, Clock::now() + options_.connect_timeout);
  Status last = UnavailableError("no address for " + host_);
  for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    last = ConnectTo(*ai, connect_deadline);
    if (last.ok()) break;
  }
  ::freeaddrinfo(list);
  return last;
}

Status HttpClientImpl::ConnectTo(const addrinfo& ai, Clock::time_point deadline) {
  int fd = ::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol);
  if (fd < 0) return UnavailableError(ErrnoText("socket"));
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (::connect(fd, ai.ai_addr, ai.ai_addrlen) != 0) {
    if (errno != EINPROGRESS) {
      Status s = UnavailableError(ErrnoText("connect"));
      ::close(fd);
      return s;
    }
    if (!WaitFor(fd, POLLOUT, deadline)) {
      ::close(fd);
      return DeadlineExceededError("connect to " + host_header_ + " timed out");
    }
    int err = 0;
    socklen_t len = sizeof(err);
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      ::close(fd);
      return UnavailableError("connect to " + host_header_ + ": " + std::strerror(err));
    }
  }
  fd_ = fd;
  return OkStatus();
}

bool HttpClientImpl::IdleConnectionUsable() const {
  pollfd p{fd_, POLLIN, 0};
  // Readable while idle means EOF, a reset, or stray bytes: none leaves the connection usable.
  return ::poll(&p, 1, 0) == 0;
}

Status HttpClientImpl::WriteAll(Clock::time_point deadline) {
  std::string_view rest = out_;
  while (!rest.empty()) {
    ssize_t n = ::send(fd_, rest.data(), rest.size(), MSG_NOSIGNAL);
    if (n > 0) {
      rest.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!WaitFor(fd_, POLLOUT, deadline)) return DeadlineExceededError("request write timed out");
      continue;
    }
    return UnavailableError(ErrnoText("send"));
  }
  return OkStatus();
}

StatusOr<HttpResponse> HttpClientImpl::Exchange(bool head, Clock::time_point deadline,
                                                bool* nothing_received) {
  *nothing_received = true;
  TW_RETURN_IF_ERROR(WriteAll(deadline));
  parser_.Reset();
  parser_.set_head_request(head);
  while (true) {
    if (!WaitFor(fd_, POLLIN, deadline)) {
      *nothing_received = false;  // the server may be working on it: never retry
      return DeadlineExceededError("no complete response within the timeout");
    }
    ssize_t n = ::recv(fd_, in_, sizeof(in_), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n < 0) return UnavailableError(ErrnoText("recv"));
    if (n == 0) {
      if (*nothing_received) return UnavailableError("connection closed before the response");
      parser_.FinishEof();
      if (parser_.done()) break;
      return UnavailableError("connection closed in the middle of the response");
    }
    *nothing_received = false;
    std::string_view data(in_, static_cast<size_t>(n));
    while (!data.empty()) {
      data.remove_prefix(parser_.Feed(data));
      if (parser_.failed()) {
        Status s = parser_.status();
        if (parser_.error() == HttpParseError::kBodyTooLarge) return s;
        return DataLossError("malformed response: " + s.message());
      }
      if (!parser_.done()) continue;
      int status = parser_.response().status;
      if (status >= 200 || status == 101) break;
      parser_.Reset();  // an interim 1xx response: the final one follows
      parser_.set_head_request(head);
    }
    if (parser_.done()) {
      if (!data.empty()) Close();  // bytes nobody asked for: the stream is out of step
      break;
    }
  }
  if (!parser_.keep_alive()) Close();
  return std::move(parser_.mutable_response());
}

StatusOr<HttpResponse> HttpClientImpl::Send(const HttpRequest& request,
                                            std::chrono::milliseconds timeout) {
  TW_RETURN_IF_ERROR(ValidateRequest(request));
  auto deadline = Clock::now() + timeout;
  out_.clear();
  AppendRequest(request, host_header_, &out_);
  bool head = request.method == "HEAD";
  for (int attempt = 0;; ++attempt) {
    bool reused = fd_ >= 0;
    if (reused && !IdleConnectionUsable()) {
      Close();
      reused = false;
    }
    if (fd_ < 0) TW_RETURN_IF_ERROR(Connect(deadline));
    bool nothing_received = false;
    StatusOr<HttpResponse> response = Exchange(head, deadline, &nothing_received);
    if (response.ok()) return response;
    Close();
    bool retry = reused && attempt == 0 && nothing_received &&
                 response.status().code() == StatusCode::kUnavailable;
    if (!retry) return response;
  }
}

}  // namespace

std::unique_ptr<HttpClient> HttpClient::Create(std::string host, uint16_t port,
                                               HttpClientOptions options) {
  return std::make_unique<HttpClientImpl>(std::move(host), port, options);
}

}  // namespace tracewire::net
