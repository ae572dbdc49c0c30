#include "trpc/client.h"

#include <charconv>
#include <future>
#include <utility>
#include <vector>

#include "trace/sdk/context_scope.h"
#include "trpc/internal/client_call_impl.h"
#include "trpc/internal/client_connection.h"
#include "trpc/internal/io_loop.h"
#include "trpc/ret_code.h"

namespace tracewire::trpc {
namespace {

using internal::ClientCallImpl;
using internal::ClientConnection;
using internal::ClientShared;
using internal::IoLoop;

// Splits "host:port" or "[v6]:port".
bool ParseAddress(const std::string& address, std::string* host, uint16_t* port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) return false;
  std::string_view h(address.data(), colon);
  if (h.front() == '[') {
    if (h.size() < 3 || h.back() != ']') return false;
    h = h.substr(1, h.size() - 2);
  }
  std::string_view p(address.data() + colon + 1, address.size() - colon - 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || end != p.data() + p.size() || value == 0 || value > 65535) return false;
  *host = std::string(h);
  *port = static_cast<uint16_t>(value);
  return true;
}

class ClientImpl final : public Client {
 public:
  explicit ClientImpl(std::unique_ptr<ClientShared> shared) : shared_(std::move(shared)) {
    for (int i = 0; i < shared_->options.io_threads; ++i) {
      loops_.push_back(std::make_unique<IoLoop>());
    }
    for (size_t i = 0; i < shared_->options.connections; ++i) {
      connections_.push_back(
          std::make_shared<ClientConnection>(loops_[i % loops_.size()]->io(), *shared_));
    }
    for (auto& loop : loops_) loop->Start();
  }

  ~ClientImpl() override {
    for (auto& connection : connections_) {
      asio::post(connection->io(), [connection] { connection->Shutdown(); });
    }
    for (auto& loop : loops_) loop->ReleaseWork();  // run() returns once everything settled
    for (auto& loop : loops_) loop->Join();
    connections_.clear();
  }
  ClientImpl(const ClientImpl&) = delete;
  ClientImpl& operator=(const ClientImpl&) = delete;

  void AsyncCall(CallRequest request, Callback done) override;
  CallResult Call(CallRequest request) override;

 private:
  std::unique_ptr<ClientShared> shared_;
  std::vector<std::unique_ptr<IoLoop>> loops_;
  std::vector<std::shared_ptr<ClientConnection>> connections_;
  std::atomic<size_t> next_connection_{0};
};

// Hot path: one call object, one post to the chosen connection's loop.
void ClientImpl::AsyncCall(CallRequest request, Callback done) {
  auto call = std::make_shared<ClientCallImpl>(*shared_, std::move(request), std::move(done));
  const bool in_time = call->Prepare();
  const ClientFilters& filters = shared_->options.filters;
  size_t ran = 0;
  for (const auto& filter : filters) {
    call->set_filters_ran(++ran);
    if (filter->OnRequest(*call) == FilterStatus::kStop) return call->Complete();
  }
  if (!in_time) {
    return call->Fail(kRetClientInvokeTimeout, "the caller's deadline passed before the call");
  }
  size_t index = next_connection_.fetch_add(1, std::memory_order_relaxed) % connections_.size();
  ClientConnection* connection = connections_[index].get();
  asio::post(connection->io(), [connection, call = std::move(call)]() mutable {
    connection->Submit(std::move(call));
  });
}

CallResult ClientImpl::Call(CallRequest request) {
  auto promise = std::make_shared<std::promise<CallResult>>();
  std::future<CallResult> future = promise->get_future();
  AsyncCall(std::move(request),
            [promise](CallResult result) { promise->set_value(std::move(result)); });
  return future.get();
}

}  // namespace

StatusOr<std::unique_ptr<Client>> Client::Create(ClientOptions options) {
  auto shared = std::make_unique<ClientShared>();
  if (!ParseAddress(options.address, &shared->host, &shared->port)) {
    return InvalidArgumentError("address must be host:port, got \"" + options.address + "\"");
  }
  if (options.connections < 1) return InvalidArgumentError("connections must be at least 1");
  if (options.io_threads < 1) return InvalidArgumentError("io_threads must be at least 1");
  if (options.connect_timeout.count() <= 0) {
    return InvalidArgumentError("connect_timeout must be > 0");
  }
  if (options.timeout.count() <= 0) return InvalidArgumentError("timeout must be > 0");
  if (options.max_frame_size < kFrameHeaderSize) {
    return InvalidArgumentError("max_frame_size must be at least 16 bytes");
  }
  if (options.max_pending_per_connection < 1) {
    return InvalidArgumentError("max_pending_per_connection must be at least 1");
  }
  for (const auto& filter : options.filters) {
    if (!filter) return InvalidArgumentError("filters holds a null filter");
  }
  shared->options = std::move(options);
  return std::unique_ptr<Client>(std::make_unique<ClientImpl>(std::move(shared)));
}

// The coroutine's trace context was captured when CoCall was evaluated (trace::Task removes it
// from the thread before this runs), so the call's trace parent is the coroutine's.
void Client::CallAwaiter::await_suspend(std::coroutine_handle<> handle) {
  trace::Scope scope(trace_);
  // May resume the coroutine before returning (a filter stopped the call); touch nothing after.
  client_.AsyncCall(std::move(request_), [this, handle](CallResult result) {
    result_ = std::move(result);
    handle.resume();
  });
}

}  // namespace tracewire::trpc
