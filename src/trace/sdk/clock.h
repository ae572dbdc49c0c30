// Wall-clock timestamps for spans, in ns since the Unix epoch.
// The default clock reads the CPU's invariant TSC (~10 ns on x86-64, against ~30 ns for
// clock_gettime(CLOCK_REALTIME) on a VM) and converts it with a rate re-calibrated against
// CLOCK_REALTIME about once a second, so it follows NTP slews; without an invariant TSC it
// falls back to clock_gettime.
#pragma once

#include <cstdint>

namespace tracewire::trace {

// Returns the current time in ns since the Unix epoch. Hot path, thread-safe.
using ClockFn = uint64_t (*)();

// The calibrated TSC clock described above. Error against CLOCK_REALTIME: a few µs right
// after start-up, sub-µs once calibrated. NOTE: the first call in a process spends ~2 ms
// calibrating.
uint64_t FastNowUnixNano();

// clock_gettime(CLOCK_REALTIME) in ns.
uint64_t SystemNowUnixNano();

}  // namespace tracewire::trace
