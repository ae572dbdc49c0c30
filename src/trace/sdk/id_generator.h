// IdGenerator: where new trace and span ids come from. The default draws from a per-thread
// xoshiro256++ generator, seeded once per thread (and again after fork) from
// std::random_device, so id generation takes no lock and touches no shared cache line.
#pragma once

#include <cstdint>
#include <memory>

#include "trace/ids.h"

namespace tracewire::trace {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // Both return a valid (never all-zero) id. Thread-safe.
  virtual TraceId NewTraceId() = 0;
  virtual SpanId NewSpanId() = 0;
};

// The default generator (stateless object; the state is per thread). Hot path.
std::unique_ptr<IdGenerator> MakeRandomIdGenerator();

// The default generator's functions, callable without a virtual call. Hot path, thread-safe.
TraceId NewRandomTraceId();
SpanId NewRandomSpanId();

// The next 64 random bits of this thread's generator. Exposed for samplers and tests.
uint64_t NextRandom64();

}  // namespace tracewire::trace
