// ServerCall: one inbound request as a handler and the server filters see it, and the response
// being built for it. Shared (std::shared_ptr) between the server and an asynchronous handler.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "trpc/call_context.h"
#include "trpc/filter.h"
#include "trpc/protocol.h"
#include "trpc/trans_info.h"

namespace tracewire::trpc {

struct Response {
  int32_t ret = 0;       // RetCode; set by the framework, or by a rejecting filter
  int32_t func_ret = 0;  // business code: non-zero means the call failed
  std::string error_msg;
  std::string body;
  std::string attachment;
  TransInfo trans_info;       // sent back to the caller
  uint32_t content_type = 0;  // initialised to the request's
};

// Where a connection's two ends are.
struct Endpoints {
  std::string local_address;
  uint16_t local_port = 0;
  std::string peer_address;
  uint16_t peer_port = 0;
};

class ServerCall : public FilterStateSlots {
 public:
  virtual ~ServerCall() = default;

  // The decoded request. Views stay valid for the life of this object.
  virtual const RequestHead& head() const = 0;
  virtual std::string_view body() const = 0;
  virtual std::string_view attachment() const = 0;
  virtual const Endpoints& endpoints() const = 0;
  bool oneway() const { return head().call_type == kCallTypeOneway; }

  // Trace context, inbound trans_info (a copy of head().trans_info), service name and deadline
  // (now + head().timeout_ms) for the calls the handler makes. Filters may change it.
  CallContext& context() { return context_; }
  const CallContext& context() const { return context_; }

  // The response the call will send; handlers fill it, then call Reply(). Its trans_info is
  // sent over the request's (as trpc-go does, the request's entries are echoed back unless the
  // response sets the same key).
  Response& response() { return response_; }

  // Set by the server when the handler threw: what, and the exception's type name.
  bool handler_threw() const { return !exception_type_.empty(); }
  const std::string& exception_type() const { return exception_type_; }
  const std::string& exception_message() const { return exception_message_; }

  // Completes the call with response(): runs the filters' OnResponse, then encodes and writes the
  // response (nothing is written for oneway calls). Thread-safe; only the first completion
  // counts, so a Reply after the server already answered 21 (timeout) is ignored.
  // Returns false when the call had already completed.
  // NOTE: once the deadline has passed, the server may complete the call (21) on its loop thread
  // at any moment, and then reads response(). A handler that may still be running by then must
  // not touch response() from another thread: it builds a Response and calls Reply(Response).
  virtual bool Reply() = 0;
  // Like Reply(), but the response is taken only if this completion wins.
  virtual bool Reply(Response response) = 0;

 protected:
  CallContext context_;
  Response response_;
  std::string exception_type_;
  std::string exception_message_;
};

// A handler receives every call to its func. It may reply before returning, or keep the pointer
// and reply later from any thread. If it throws, the server replies 31 (system error) with the
// exception's message and marks the call handler_threw().
using Handler = std::function<void(std::shared_ptr<ServerCall> call)>;

// Adapts a synchronous function that fills call.response(); the reply follows its return.
Handler SyncHandler(std::function<void(ServerCall& call)> fn);

}  // namespace tracewire::trpc
