// Samplers: decide, when a span starts, whether it is recorded and whether it is sampled
// (exported). Semantics follow the OpenTelemetry SDK specification.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "trace/attribute.h"
#include "trace/context.h"
#include "trace/ids.h"
#include "trace/span_data.h"
#include "trace/trace_state.h"

namespace tracewire::trace {

enum class SamplingDecision : uint8_t {
  kDrop = 0,             // not recorded, sampled flag off
  kRecordOnly = 1,       // recorded (processors see it), sampled flag off (not exported)
  kRecordAndSample = 2,  // recorded and sampled
};

// What the sampler sees. All references are valid only during ShouldSample.
struct SamplingParams {
  const Context& parent;  // the parent Context (its span context may be invalid: a root)
  const TraceId& trace_id;
  std::string_view name;
  SpanKind kind;
  std::span<const Attribute> attributes;  // the start attributes
  std::span<const SpanLink> links;
};

struct SamplingResult {
  SamplingDecision decision = SamplingDecision::kDrop;
  // Added to the span's attributes when it is recorded.
  Attributes attributes;
  // The new span's tracestate; nullopt keeps the parent's.
  std::optional<TraceState> trace_state;
};

class Sampler {
 public:
  virtual ~Sampler() = default;
  // Thread-safe; called on the hot path of every span start.
  virtual SamplingResult ShouldSample(const SamplingParams& params) const = 0;
  // E.g. "ParentBased{root=AlwaysOnSampler,...}". For logs and debugging.
  virtual std::string Description() const = 0;
};

std::unique_ptr<Sampler> MakeAlwaysOnSampler();
std::unique_ptr<Sampler> MakeAlwaysOffSampler();

// Samples a fraction `ratio` of traces, deterministically on the trace id, so every process
// of a trace decides alike. Uses the rule of the current OTel spec (consistent probability
// sampling): R = the least significant 56 bits of the trace id (bytes 9..15, big-endian, the
// bits W3C Trace Context level 2 requires to be random); sampled iff R >= T where
// T = round((1 - ratio) * 2^56). ratio is clamped to [0, 1].
std::unique_ptr<Sampler> MakeTraceIdRatioSampler(double ratio);

struct ParentBasedOptions {
  std::unique_ptr<Sampler> root;                       // required
  std::unique_ptr<Sampler> remote_parent_sampled;      // default: always on
  std::unique_ptr<Sampler> remote_parent_not_sampled;  // default: always off
  std::unique_ptr<Sampler> local_parent_sampled;       // default: always on
  std::unique_ptr<Sampler> local_parent_not_sampled;   // default: always off
};
// Follows the parent's sampled flag (through the delegates above); `root` decides for spans
// without a valid parent.
std::unique_ptr<Sampler> MakeParentBasedSampler(ParentBasedOptions options);
// ParentBased with only the root delegate given.
std::unique_ptr<Sampler> MakeParentBasedSampler(std::unique_ptr<Sampler> root);

// Returns monotonic time in ns (for the rate limiter; injectable in tests).
using MonotonicClockFn = uint64_t (*)();
uint64_t SteadyNowNano();

// Samples at most `traces_per_second` traces per second with a token bucket (as Jaeger's
// "ratelimiting" sampler): the balance refills continuously at that rate up to
// max(traces_per_second, 1) and starts full; each sampled span spends one token. Sampled
// spans get the attributes sampler.type="ratelimiting" and sampler.param=<rate>.
// Thread-safe (a short mutex per decision; meant as the root sampler of a ParentBased).
std::unique_ptr<Sampler> MakeRateLimitingSampler(double traces_per_second,
                                                 MonotonicClockFn clock = &SteadyNowNano);

}  // namespace tracewire::trace
