#include "collector/receiver/receiver_counters.h"

#include <string>

namespace tracewire::collector::internal {

void ReceiverCounters::CountHttp(int status) {
  if (status < 0 || status >= kMaxHttpStatus) status = 0;
  http_[static_cast<size_t>(status)].fetch_add(1, std::memory_order_relaxed);
}

void ReceiverCounters::CountGrpc(StatusCode code) {
  int c = static_cast<int>(code);
  if (c < 0 || c >= kGrpcCodes) c = static_cast<int>(StatusCode::kUnknown);
  grpc_[static_cast<size_t>(c)].fetch_add(1, std::memory_order_relaxed);
}

void ReceiverCounters::CountItems(bool spans, uint64_t accepted, uint64_t refused) {
  (spans ? accepted_spans_ : accepted_logs_).fetch_add(accepted, std::memory_order_relaxed);
  (spans ? refused_spans_ : refused_logs_).fetch_add(refused, std::memory_order_relaxed);
}

ReceiverStats ReceiverCounters::Snapshot() const {
  ReceiverStats stats;
  stats.accepted_spans = accepted_spans_.load(std::memory_order_relaxed);
  stats.refused_spans = refused_spans_.load(std::memory_order_relaxed);
  stats.accepted_log_records = accepted_logs_.load(std::memory_order_relaxed);
  stats.refused_log_records = refused_logs_.load(std::memory_order_relaxed);
  for (int s = 0; s < kMaxHttpStatus; ++s) {
    uint64_t n = http_[static_cast<size_t>(s)].load(std::memory_order_relaxed);
    if (n > 0) stats.requests["http " + std::to_string(s)] = n;
  }
  for (int c = 0; c < kGrpcCodes; ++c) {
    uint64_t n = grpc_[static_cast<size_t>(c)].load(std::memory_order_relaxed);
    if (n > 0)
      stats.requests["grpc " + std::string(StatusCodeName(static_cast<StatusCode>(c)))] = n;
  }
  return stats;
}

}  // namespace tracewire::collector::internal
