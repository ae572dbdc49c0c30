// The "limits" processor (tracewire's own): keeps oversized data in bounds by truncating and
// marking, never by rejecting a whole request.
// - max_attribute_value_bytes: string values of span, event and log attributes (and strings in
//   array values) longer than this are cut at a UTF-8 boundary; the span (log record) gets the
//   attribute tracewire.truncated_attributes = <number of values cut>.
// - max_spans_per_trace: per trace id (tracked in a bounded table of max_traces_tracked ids,
//   least recently seen evicted) spans past the limit are dropped and answered as a partial
//   success (rejected spans); the last kept span of the trace in the batch of the first drop
//   gets tracewire.trace_truncated = true (when that batch kept one).
// New attribute arrays live in the batch's arena: the batch belongs to the processor here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "collector/factory.h"

namespace tracewire::collector {

inline constexpr std::string_view kTruncatedAttributesKey = "tracewire.truncated_attributes";
inline constexpr std::string_view kTraceTruncatedKey = "tracewire.trace_truncated";

struct LimitsProcessorConfig : ComponentConfig {
  uint64_t max_attribute_value_bytes = 0;  // bytes; 0: no limit
  uint64_t max_spans_per_trace = 0;        // 0: no limit
  uint64_t max_traces_tracked = 1u << 16;  // trace ids remembered for max_spans_per_trace
};

StatusOr<std::unique_ptr<LimitsProcessorConfig>> ParseLimitsProcessorConfig(const YAML::Node& node,
                                                                            std::string_view path);

struct LimitsStats {
  uint64_t truncated_values = 0;
  uint64_t dropped_spans = 0;
};

class LimitsProcessor : public Processor {
 public:
  virtual LimitsStats stats() const = 0;
};

std::unique_ptr<LimitsProcessor> NewLimitsProcessor(std::string id,
                                                    const LimitsProcessorConfig& config,
                                                    TracesConsumer* next_traces,
                                                    LogsConsumer* next_logs);

// The longest prefix of `s` of at most `max_bytes` bytes that does not end inside a UTF-8
// sequence.
std::string_view Utf8Prefix(std::string_view s, size_t max_bytes);

}  // namespace tracewire::collector
