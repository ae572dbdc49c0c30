// Partial success through a ConsumeDone: an OK Status whose message starts with
// "partial success: <n> rejected" (the OTLP ExportTracePartialSuccess / ExportLogsPartialSuccess a
// receiver answers with: rejected_spans or rejected_log_records = n, error_message = the text
// after "; "). A plain OK Status (empty message) is a full success. Used by the limits processor
// (spans over max_spans_per_trace) and carried through fan-outs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace tracewire::collector {

struct PartialSuccessInfo {
  uint64_t rejected = 0;
  std::string message;
};

// REQUIRES: rejected > 0.
Status PartialSuccessStatus(uint64_t rejected, std::string_view message);
// nullopt for an error or a full success.
std::optional<PartialSuccessInfo> ParsePartialSuccess(const Status& status);

}  // namespace tracewire::collector
