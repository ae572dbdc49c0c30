// Internal to the server: one accepted TCP connection. Reads frames into a growable buffer,
// dispatches every complete request (many in flight), and writes responses in completion order,
// coalescing those that complete while a write is in flight into the next single write.
// Thread-safety: everything runs on the owning ServerLoop's thread except Deliver() and
// endpoints(), which any thread may call.
#pragma once

#include <asio/ip/tcp.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "trpc/frame_format.h"
#include "trpc/internal/input_buffer.h"
#include "trpc/internal/io_loop.h"
#include "trpc/server_call.h"

namespace tracewire::trpc::internal {

class ServerCallImpl;
class ServerLoop;
struct ServerShared;

class ServerConnection : public std::enable_shared_from_this<ServerConnection> {
 public:
  using Clock = std::chrono::steady_clock;

  ServerConnection(asio::ip::tcp::socket socket, ServerLoop& loop,
                   std::shared_ptr<ServerShared> shared);
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  void Start();
  const Endpoints& endpoints() const { return endpoints_; }

  // Any thread, once per call after its filters' OnResponse: queues the response for writing.
  void Deliver(ServerCallImpl& call);

  void BeginDrain();
  void OnSweep(Clock::time_point now);  // idle timeout and lingering close
  void Close();

 private:
  void Read();
  void OnRead(const asio::error_code& ec, size_t n);
  // Decodes and dispatches every complete frame in the input buffer (hot path).
  void ProcessInput();
  // Returns false when the connection must stop processing (malformed frame).
  bool HandleFrame(std::string_view frame);
  void Dispatch(const std::shared_ptr<ServerCallImpl>& call);
  void WriteResponse(ServerCallImpl& call);
  void AppendErrorResponse(uint32_t request_id, int32_t ret, std::string_view message);
  void RejectMalformed(CodecError error, std::string_view data);
  void Flush();
  void OnWrite(const asio::error_code& ec);
  void CloseAfterFlush(bool linger);
  void Linger();
  bool CanRead() const;

  std::unique_ptr<asio::ip::tcp::socket> socket_;  // reset on Close (before the loop dies)
  ServerLoop& loop_;                               // only dereferenced on the loop's thread
  const IoLoop* io_loop_;
  std::shared_ptr<LoopGate> gate_;
  std::shared_ptr<ServerShared> shared_;
  Endpoints endpoints_;

  InputBuffer in_;
  size_t want_ = 0;       // total size of the frame being received, when its header arrived
  std::string out_;       // responses waiting for the next write
  std::string wbuf_;      // the write in flight
  size_t in_flight_ = 0;  // calls dispatched, not yet delivered
  Clock::time_point last_activity_;
  Clock::time_point linger_since_;
  size_t lingered_bytes_ = 0;
  bool reading_ = false;
  bool writing_ = false;
  bool processing_ = false;
  bool draining_ = false;
  bool close_after_write_ = false;
  bool linger_ = false;  // after an error response: half-close, discard input, then close
  bool lingering_ = false;
  bool closed_ = false;
};

}  // namespace tracewire::trpc::internal
