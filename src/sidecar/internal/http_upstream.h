// Keep-alive HTTP/1.1 connections to one cluster's upstreams and their idle pool (one per
// cluster and loop thread).
//
// A readiness wait stays pending on a connection from the moment it goes idle until its holder
// has read an answer, and its wake-up goes to whoever holds the connection then: idle in the
// pool, it means the upstream closed it or wrote bytes nobody asked for, so the connection is
// dropped at once; held by a session that sent a request on it, it is the answer arriving. So
// taking an idle connection costs no liveness check (a recv(MSG_PEEK)), and the request sent on
// it needs no new wait (an epoll_ctl) for its answer. Loop-thread only.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <memory>
#include <vector>

namespace tracewire::sidecar::internal {

class HttpUpstreamPool;

class HttpUpstreamConn : public std::enable_shared_from_this<HttpUpstreamConn> {
 public:
  // Whoever holds a connection gets its wake-ups.
  class Holder {
   public:
    virtual ~Holder() = default;
    // Readable (or `ec`: failed, closed). The wait is over: call Watch() for the next one.
    virtual void UpstreamReadable(const asio::error_code& ec) = 0;
  };

  explicit HttpUpstreamConn(asio::io_context& io) : socket_(io) {}
  ~HttpUpstreamConn();
  HttpUpstreamConn(const HttpUpstreamConn&) = delete;
  HttpUpstreamConn& operator=(const HttpUpstreamConn&) = delete;

  asio::ip::tcp::socket& socket() { return socket_; }
  // The holder keeps the connection and is kept alive by it while a wait is pending: a holder
  // that lets go calls set_holder(nullptr) (Put and Close do).
  void set_holder(std::shared_ptr<Holder> holder) { holder_ = std::move(holder); }
  // Starts a readiness wait unless one is pending.
  void Watch();
  // Closes the socket (a pending wait ends, reaching nobody).
  void Close();
  bool closed() const { return !socket_.is_open(); }

 private:
  friend class HttpUpstreamPool;

  asio::ip::tcp::socket socket_;
  std::shared_ptr<Holder> holder_;
  bool waiting_ = false;
  // The pool's list of every live connection (idle or held), so that Clear can end them all.
  HttpUpstreamPool* pool_ = nullptr;
  HttpUpstreamConn* prev_ = nullptr;
  HttpUpstreamConn* next_ = nullptr;
};

// At most `max_idle` idle connections; any downstream connection's next request to the
// cluster takes one. HOT PATH: Take makes no syscall; Put starts the idle wait (Asio's re-arm).
class HttpUpstreamPool {
 public:
  explicit HttpUpstreamPool(size_t max_idle) : max_idle_(max_idle) {}
  ~HttpUpstreamPool() { Clear(); }
  HttpUpstreamPool(const HttpUpstreamPool&) = delete;
  HttpUpstreamPool& operator=(const HttpUpstreamPool&) = delete;
  // A new, unconnected connection to the cluster; null once the pool was cleared (shutdown).
  std::shared_ptr<HttpUpstreamConn> Create(asio::io_context& io);
  // An idle connection the upstream has not closed (nor written to), or null.
  std::shared_ptr<HttpUpstreamConn> Take();
  // Keeps `conn` (an answer read, nothing pending) for the next request, watched, or closes
  // it when max_idle are kept already.
  void Put(std::shared_ptr<HttpUpstreamConn> conn);
  // Closes every connection, idle or held (a holder waiting on one gets its wake-up with an
  // error, or, at shutdown, is let go). Later ones are created closed.
  void Clear();
  size_t idle() const { return idle_.size(); }

 private:
  friend class HttpUpstreamConn;
  void Unlink(HttpUpstreamConn* conn);

  size_t max_idle_;
  bool cleared_ = false;
  std::vector<std::shared_ptr<HttpUpstreamConn>> idle_;
  HttpUpstreamConn* live_ = nullptr;  // head of the list of live connections
};

}  // namespace tracewire::sidecar::internal
