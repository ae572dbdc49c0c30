// What every receiver of this folder offers beyond Component: its bound ports and its counters.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "collector/component.h"

namespace tracewire::collector {

// A snapshot of a receiver's counters since it was created.
struct ReceiverStats {
  uint64_t accepted_spans = 0;  // taken by the pipeline (ConsumeDone OK)
  uint64_t refused_spans = 0;   // refused by the pipeline or left out by the decoder
  uint64_t accepted_log_records = 0;
  uint64_t refused_log_records = 0;
  // Requests answered, by "http <status>" (e.g. "http 200", "http 413") and "grpc <CODE>"
  // (e.g. "grpc OK", "grpc INVALID_ARGUMENT").
  std::map<std::string, uint64_t> requests;
};

class Receiver : public Component {
 public:
  // The bound port of `protocol` ("grpc", "http"), 0 when that protocol is not running.
  // Useful with port 0 in the config (tests) and for start-up messages.
  virtual uint16_t port(std::string_view protocol) const = 0;
  // Thread-safe.
  virtual ReceiverStats stats() const = 0;
};

}  // namespace tracewire::collector
