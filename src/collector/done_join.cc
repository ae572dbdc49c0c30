#include "collector/done_join.h"

#include <atomic>
#include <memory>
#include <mutex>

#include "collector/partial_success.h"

namespace tracewire::collector {

namespace {

struct JoinState {
  JoinState(size_t n, ConsumeDone d) : remaining(n), done(std::move(d)) {}

  void Answer(Status status) {
    {
      std::lock_guard lock(mutex);
      if (!status.ok()) {
        if (result.ok()) result = std::move(status);
      } else if (result.ok()) {
        std::optional<PartialSuccessInfo> mine = ParsePartialSuccess(status);
        if (mine && (!best || mine->rejected > best->rejected)) {
          best = mine;
          result = std::move(status);
        }
      }
    }
    if (remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      ConsumeDone d = std::move(done);
      d(std::move(result));
    }
  }

  std::atomic<size_t> remaining;
  ConsumeDone done;
  std::mutex mutex;
  Status result;
  std::optional<PartialSuccessInfo> best;
};

}  // namespace

ConsumeDone JoinDone(size_t n, ConsumeDone done) {
  if (n == 1) return done;
  auto state = std::make_shared<JoinState>(n, std::move(done));
  return [state](Status status) { state->Answer(std::move(status)); };
}

}  // namespace tracewire::collector
