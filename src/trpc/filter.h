// The filter chains of the tRPC server and client (trpc-go's filters, Envoy's flow control).
// A filter is built once at configuration time and shared by all calls, so it must be
// thread-safe; what it needs per call it keeps in the call's filter state.
#pragma once

#include <memory>
#include <utility>
#include <vector>

namespace tracewire::trpc {

class ServerCall;
class ClientCall;

enum class FilterStatus { kContinue, kStop };

// Per-call data a filter keeps between OnRequest and OnResponse.
class FilterState {
 public:
  virtual ~FilterState() = default;
};

// A small keyed store of FilterState on every call; the key is the filter's address.
// Not thread-safe: a call runs one filter callback at a time.
// Hot path: the first filter's state is kept inline (a traced call allocates no vector).
class FilterStateSlots {
 public:
  // Replaces the state stored under `owner`.
  void SetFilterState(const void* owner, std::unique_ptr<FilterState> state);
  // The state stored under `owner`, or nullptr.
  FilterState* GetFilterState(const void* owner) const;

 private:
  const void* first_owner_ = nullptr;
  std::unique_ptr<FilterState> first_;
  std::vector<std::pair<const void*, std::unique_ptr<FilterState>>> more_;
};

class ServerFilter {
 public:
  virtual ~ServerFilter() = default;
  // Before the handler, in chain order, on the connection's event-loop thread. To reject the
  // call, fill call.response() (ret/func_ret/error_msg) and return kStop: later filters and the
  // handler are skipped, but OnResponse still runs for this filter and the ones before it.
  virtual FilterStatus OnRequest(ServerCall& call) = 0;
  // After the response is final (replied, rejected, timed out or the handler threw), in reverse
  // chain order, on the thread that completed the call, before the response is encoded. May edit
  // call.response().
  virtual void OnResponse(ServerCall& call) = 0;
};

class ClientFilter {
 public:
  virtual ~ClientFilter() = default;
  // Before the request is encoded, in chain order, on the calling thread. May edit
  // call.request() (e.g. add trans_info). To fail the call, fill call.result() and return
  // kStop: nothing is sent; OnResponse runs for this filter and the ones before it.
  virtual FilterStatus OnRequest(ClientCall& call) = 0;
  // After the result is final (response, timeout, connect or network error), in reverse chain
  // order, on the thread that completed the call, before the caller's callback.
  virtual void OnResponse(ClientCall& call) = 0;
};

using ServerFilters = std::vector<std::shared_ptr<ServerFilter>>;
using ClientFilters = std::vector<std::shared_ptr<ClientFilter>>;

}  // namespace tracewire::trpc
