// DoneJoin: turns n answers into the one ConsumeDone call of the batch they are about. The
// result is OK only when every answer was OK (a partial success among them is kept: the one with
// the most rejected items), else the first error, and it runs once, on the thread of the last
// answer.
#pragma once

#include <cstddef>

#include "collector/component.h"

namespace tracewire::collector {

// Returns a callback to be called exactly `n` times in total (copies share the count); the
// n-th call runs `done`. REQUIRES: n > 0.
ConsumeDone JoinDone(size_t n, ConsumeDone done);

}  // namespace tracewire::collector
