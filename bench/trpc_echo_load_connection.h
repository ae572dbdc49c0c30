// One client connection of trpc_echo_load: sends echo requests (closed or open loop), checks
// every response and records latencies. Its own lean client over the tRPC codec and Asio, so
// that it measures every server the same way.
//
// Thread-safety: a connection and its WorkerStats belong to one io_context run by one thread;
// read the stats only after that thread has stopped.
#pragma once

#include <array>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "trpc_echo_histogram.h"
#include "trpc_echo_load_options.h"

namespace tracewire::bench {

// Steady-clock nanoseconds.
int64_t NowNs();

// The measured window: responses received in [warm_end_ns, end_ns) are counted; nothing is
// sent at or after end_ns.
struct LoadWindow {
  int64_t start_ns = 0;
  int64_t warm_end_ns = 0;
  int64_t end_ns = 0;
  bool Counts(int64_t t_ns) const { return t_ns >= warm_end_ns && t_ns < end_ns; }
};

// Counters of the measured window, per worker thread.
struct WorkerStats {
  uint64_t sent = 0;         // requests sent in the window
  uint64_t ok = 0;           // correct responses received in the window
  uint64_t bad_ret = 0;      // ret or func_ret not 0
  uint64_t bad_body = 0;     // body size or bytes differ from the request's
  uint64_t timeouts = 0;     // no answer within timeout_ms (or the in-flight table overflowed)
  uint64_t late = 0;         // answers that came after being counted as timeouts (not errors)
  uint64_t protocol = 0;     // undecodable frames or unknown request ids (closes the connection)
  uint64_t lost = 0;         // requests in flight on a connection that was lost
  uint64_t disconnects = 0;  // connections lost before the end, at any time (not an error count)
  LatencyHistogram latency;  // of `ok` responses, from the scheduled send time

  uint64_t errors() const { return bad_ret + bad_body + timeouts + protocol + lost; }
  void Merge(const WorkerStats& o);
};

// What the driver needs of one load connection, whatever its protocol.
class LoadConnection {
 public:
  virtual ~LoadConnection() = default;
  // Connects synchronously (call before the event loop runs). Errors: UNAVAILABLE.
  virtual Status Connect(const asio::ip::tcp::endpoint& endpoint) = 0;
  // Starts reading and sending; call once the window is set, before running the io_context.
  virtual void Start() = 0;
  // After the io_context stopped: counts requests still in flight past the timeout.
  virtual void Finish() = 0;
};

// What both protocols' connections share: the socket, one write at a time, one read at a time,
// the open-loop schedule and its timer. A failed read or write calls Fail(false).
class StreamConnection : public LoadConnection {
 public:
  StreamConnection(const StreamConnection&) = delete;
  StreamConnection& operator=(const StreamConnection&) = delete;

  // Connects synchronously and turns Nagle off. Errors: UNAVAILABLE.
  Status Connect(const asio::ip::tcp::endpoint& endpoint) final;

 protected:
  // `options`, `window` and `stats` must outlive the connection. `index` spreads the open-loop
  // schedules of the connections evenly over one interval.
  StreamConnection(asio::io_context& io, const LoadOptions& options, const LoadWindow& window,
                   WorkerStats& stats, int index);

  // Writes out_ unless a write is running (what is appended meanwhile goes with the next one).
  void Flush();
  // One read into read_buf_, then OnRead(n).
  void Read();
  // OnTick() at the next open-loop send, or within 50 ms at the latest (timeout checks).
  void ArmTimer(int64_t now_ns);
  // Marks the connection dead, closes the socket and the timer; counts `lost` requests and,
  // when `protocol_error`, one protocol error (if now is in the window). Idempotent.
  void Close(bool protocol_error, uint64_t lost);

  virtual void OnRead(size_t n) = 0;
  virtual void OnTick() = 0;
  virtual void Fail(bool protocol_error) = 0;

  const LoadOptions& options_;
  const LoadWindow& window_;
  WorkerStats& stats_;
  std::string body_;  // the request body, 'a'..'z' repeated
  const int64_t timeout_ns_;
  int64_t interval_ns_ = 0;  // open loop: time between two sends of this connection
  int64_t offset_ns_ = 0;    // open loop: this connection's first send after the start
  int64_t next_send_ns_ = 0;
  bool dead_ = false;
  std::string out_;  // requests waiting for the current write to finish
  std::array<char, 64 * 1024> read_buf_{};

 private:
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  std::string writing_;  // the requests of the current write
  bool write_in_flight_ = false;
};

// The tRPC echo connection: requests matched to answers by request id.
class EchoConnection final : public StreamConnection {
 public:
  EchoConnection(asio::io_context& io, const LoadOptions& options, const LoadWindow& window,
                 WorkerStats& stats, int index);

  void Start() override;
  void Finish() override;

 private:
  struct Slot {
    uint32_t id = 0;
    bool busy = false;
    int64_t scheduled_ns = 0;
  };

  void Send(int64_t scheduled_ns);
  void OnRead(size_t n) override;
  void OnResponse(std::string_view frame, int64_t now_ns);
  void OnTick() override;
  void ExpireOldest(int64_t now_ns);
  void AdvanceOldest();
  void Fail(bool protocol_error) override;

  std::vector<Slot> slots_;  // in-flight requests by id & mask_
  uint32_t mask_ = 0;
  uint32_t next_id_ = 1;
  uint32_t oldest_id_ = 1;  // every id below this one is answered or expired
  uint32_t in_flight_ = 0;
  std::string in_;  // received bytes not yet parsed
};

}  // namespace tracewire::bench
