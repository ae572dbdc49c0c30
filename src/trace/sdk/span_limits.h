// SpanLimits: caps on what one span records (OTel SDK "span limits"); whatever exceeds them
// is dropped and counted in SpanData's dropped_*_count fields.
#pragma once

#include <cstdint>
#include <limits>

namespace tracewire::trace {

struct SpanLimits {
  static constexpr uint32_t kUnlimited = std::numeric_limits<uint32_t>::max();

  uint32_t attribute_count = 128;                // OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT
  uint32_t attribute_value_length = kUnlimited;  // OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT, bytes
  uint32_t event_count = 128;                    // OTEL_SPAN_EVENT_COUNT_LIMIT
  uint32_t link_count = 128;                     // OTEL_SPAN_LINK_COUNT_LIMIT
  uint32_t attributes_per_event = 128;           // OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT
  uint32_t attributes_per_link = 128;            // OTEL_LINK_ATTRIBUTE_COUNT_LIMIT

  friend bool operator==(const SpanLimits&, const SpanLimits&) = default;
};

}  // namespace tracewire::trace
