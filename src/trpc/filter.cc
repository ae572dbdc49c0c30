#include "trpc/filter.h"

namespace tracewire::trpc {

void FilterStateSlots::SetFilterState(const void* owner, std::unique_ptr<FilterState> state) {
  for (auto& [key, slot] : states_) {
    if (key == owner) {
      slot = std::move(state);
      return;
    }
  }
  states_.emplace_back(owner, std::move(state));
}

FilterState* FilterStateSlots::GetFilterState(const void* owner) const {
  for (const auto& [key, slot] : states_) {
    if (key == owner) return slot.get();
  }
  return nullptr;
}

}  // namespace tracewire::trpc
