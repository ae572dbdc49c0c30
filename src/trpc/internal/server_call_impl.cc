#include "trpc/internal/server_call_impl.h"

#include <cxxabi.h>

#include <cstdlib>
#include <typeinfo>
#include <utility>

#include "trpc/internal/server_connection.h"
#include "trpc/internal/server_shared.h"
#include "trpc/ret_code.h"

namespace tracewire::trpc::internal {

ServerCallImpl::ServerCallImpl(std::shared_ptr<ServerConnection> connection, std::string_view frame)
    : connection_(std::move(connection)), frame_(frame) {}

CodecError ServerCallImpl::Decode(const ServerShared& shared) {
  shared_ = &shared;
  CodecError error = DecodeRequestFrame(frame_, shared.options.max_frame_size, &frame_view_);
  if (error != CodecError::kOk) return error;
  const RequestHead& head = frame_view_.head;
  if (!head.trans_info.empty()) context_.trans_info = ToTransInfo(head.trans_info);
  context_.service_name =
      shared.options.service_name.empty() ? std::string(head.callee) : shared.options.service_name;
  if (head.timeout_ms > 0)
    context_.deadline = Clock::now() + std::chrono::milliseconds(head.timeout_ms);
  response_.content_type = head.content_type;
  return CodecError::kOk;
}

const Endpoints& ServerCallImpl::endpoints() const { return connection_->endpoints(); }

bool ServerCallImpl::Reply() {
  if (!TryClaim()) return false;
  Finish();
  return true;
}

bool ServerCallImpl::Reply(Response response) {
  if (!TryClaim()) return false;
  response_ = std::move(response);
  Finish();
  return true;
}

void ServerCallImpl::Finish() {
  const ServerFilters& filters = shared_->options.filters;
  for (size_t i = filters_ran_; i > 0; --i) filters[i - 1]->OnResponse(*this);
  connection_->Deliver(*this);
}

void ServerCallImpl::TimeOut() {
  if (!TryClaim()) return;
  response_.ret = kRetServerTimeout;
  response_.func_ret = 0;
  response_.error_msg =
      "server timeout: no reply within " + std::to_string(head().timeout_ms) + " ms";
  response_.body.clear();
  response_.attachment.clear();
  Finish();
}

void ServerCallImpl::HandlerThrew(std::string type, std::string message) {
  if (!TryClaim()) return;
  exception_type_ = std::move(type);
  exception_message_ = std::move(message);
  response_.ret = kRetServerSystemError;
  response_.error_msg = "handler threw " + exception_type_ + ": " + exception_message_;
  response_.body.clear();
  response_.attachment.clear();
  Finish();
}

std::string DemangledTypeName(const std::type_info& type) {
  int status = 0;
  char* name = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
  if (status != 0 || name == nullptr) return type.name();
  std::string result(name);
  std::free(name);  // NOLINT(cppcoreguidelines-no-malloc): __cxa_demangle allocates with malloc
  return result;
}

}  // namespace tracewire::trpc::internal
