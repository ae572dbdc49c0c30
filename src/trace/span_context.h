// SpanContext: the part of a span that crosses process boundaries.
#pragma once

#include <cstdint>

#include "trace/ids.h"
#include "trace/trace_state.h"

namespace tracewire::trace {

// The W3C trace-flags byte. Only bit 0 (sampled) is defined at version 00.
class TraceFlags {
 public:
  static constexpr uint8_t kSampled = 0x01;

  constexpr TraceFlags() = default;
  constexpr explicit TraceFlags(uint8_t bits) : bits_(bits) {}

  constexpr bool sampled() const { return (bits_ & kSampled) != 0; }
  constexpr uint8_t bits() const { return bits_; }
  constexpr TraceFlags WithSampled(bool on) const {
    return TraceFlags(on ? (bits_ | kSampled) : (bits_ & ~kSampled));
  }

  friend constexpr bool operator==(TraceFlags a, TraceFlags b) = default;

 private:
  uint8_t bits_ = 0;
};

class SpanContext {
 public:
  // An invalid context: no trace.
  SpanContext() = default;
  SpanContext(TraceId trace_id, SpanId span_id, TraceFlags flags, bool is_remote,
              TraceState trace_state = TraceState())
      : trace_id_(trace_id),
        span_id_(span_id),
        flags_(flags),
        is_remote_(is_remote),
        trace_state_(std::move(trace_state)) {}

  // Valid when both ids are valid (non-zero).
  bool IsValid() const { return trace_id_.IsValid() && span_id_.IsValid(); }

  const TraceId& trace_id() const { return trace_id_; }
  const SpanId& span_id() const { return span_id_; }
  TraceFlags trace_flags() const { return flags_; }
  bool IsSampled() const { return flags_.sampled(); }
  // True when extracted from a carrier (the span lives in another process).
  bool IsRemote() const { return is_remote_; }
  const TraceState& trace_state() const { return trace_state_; }

  friend bool operator==(const SpanContext& a, const SpanContext& b) {
    return a.trace_id_ == b.trace_id_ && a.span_id_ == b.span_id_ && a.flags_ == b.flags_ &&
           a.is_remote_ == b.is_remote_ && a.trace_state_ == b.trace_state_;
  }

 private:
  TraceId trace_id_;
  SpanId span_id_;
  TraceFlags flags_;
  bool is_remote_ = false;
  TraceState trace_state_;
};

}  // namespace tracewire::trace
