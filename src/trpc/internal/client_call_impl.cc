#include "trpc/internal/client_call_impl.h"

#include <utility>

#include "trace/sdk/context_scope.h"

namespace tracewire::trpc::internal {

ClientCallImpl::ClientCallImpl(ClientShared& shared, CallRequest request, Client::Callback done)
    : shared_(shared), request_(std::move(request)), done_(std::move(done)) {}

bool ClientCallImpl::Prepare() {
  const ClientOptions& options = shared_.options;
  const CallContext* parent = request_.parent != nullptr ? request_.parent : CurrentCallContext();
  request_.parent = nullptr;  // may dangle later; parent() serves the copy
  if (parent != nullptr) {
    parent_.emplace(*parent);
    trace_parent_ = parent->trace;
    if (!parent->trans_info.empty()) {  // the call's own entries win
      TransInfo merged = parent->trans_info;
      for (auto& [key, value] : request_.trans_info) merged.insert_or_assign(key, std::move(value));
      request_.trans_info = std::move(merged);
    }
  } else {
    trace_parent_ = trace::CurrentContext();
  }
  if (parent_ && !parent_->service_name.empty()) {
    caller_ = parent_->service_name;
  } else {
    caller_ = options.caller;
  }
  if (request_.callee.empty()) request_.callee = options.callee;

  auto timeout = request_.timeout.count() > 0 ? request_.timeout : options.timeout;
  const Clock::time_point now = Clock::now();
  if (parent_ && parent_->deadline != Clock::time_point::max()) {
    if (parent_->deadline <= now) return false;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(parent_->deadline - now);
    timeout = std::min(timeout, left);
  }
  timeout_ms_ = static_cast<uint32_t>(std::max<int64_t>(timeout.count(), 1));
  deadline_ = now + timeout;
  request_id_ = shared_.NewRequestId();
  return true;
}

void ClientCallImpl::Fail(int32_t ret, std::string message) {
  result_.ret = ret;
  result_.error_msg = std::move(message);
  Complete();
}

void ClientCallImpl::Complete() {
  if (completed_.exchange(true, std::memory_order_acq_rel)) return;
  const ClientFilters& filters = shared_.options.filters;
  for (size_t i = filters_ran_; i > 0; --i) filters[i - 1]->OnResponse(*this);
  Client::Callback done = std::move(done_);
  if (done) done(std::move(result_));
}

}  // namespace tracewire::trpc::internal
