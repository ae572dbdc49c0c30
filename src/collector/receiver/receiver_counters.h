// Internal: the lock-free counters behind Receiver::stats(). HOT PATH: one relaxed atomic add
// per request and per counter.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "base/status.h"
#include "collector/receiver/receiver.h"

namespace tracewire::collector::internal {

class ReceiverCounters {
 public:
  void CountHttp(int status);
  void CountGrpc(StatusCode code);
  // `spans`: true for spans, false for log records.
  void CountItems(bool spans, uint64_t accepted, uint64_t refused);
  ReceiverStats Snapshot() const;

 private:
  static constexpr int kMaxHttpStatus = 600;
  static constexpr int kGrpcCodes = 17;
  std::array<std::atomic<uint64_t>, kMaxHttpStatus> http_{};
  std::array<std::atomic<uint64_t>, kGrpcCodes> grpc_{};
  std::atomic<uint64_t> accepted_spans_{0};
  std::atomic<uint64_t> refused_spans_{0};
  std::atomic<uint64_t> accepted_logs_{0};
  std::atomic<uint64_t> refused_logs_{0};
};

}  // namespace tracewire::collector::internal
