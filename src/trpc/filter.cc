#include "trpc/filter.h"

namespace tracewire::trpc {

void FilterStateSlots::SetFilterState(const void* owner, std::unique_ptr<FilterState> state) {
  if (first_owner_ == nullptr || first_owner_ == owner) {
    first_owner_ = owner;
    first_ = std::move(state);
    return;
  }
  for (auto& [key, slot] : more_) {
    if (key == owner) {
      slot = std::move(state);
      return;
    }
  }
  more_.emplace_back(owner, std::move(state));
}

FilterState* FilterStateSlots::GetFilterState(const void* owner) const {
  if (owner == first_owner_) return first_.get();
  for (const auto& [key, slot] : more_) {
    if (key == owner) return slot.get();
  }
  return nullptr;
}

}  // namespace tracewire::trpc
