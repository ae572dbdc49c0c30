// Helpers of protocol.h that are neither encoder nor decoder.
#include "trpc/protocol.h"

#include <string_view>

namespace tracewire::trpc {

const std::string_view* FindTransInfo(const TransInfoView& trans_info, std::string_view key) {
  for (auto it = trans_info.rbegin(); it != trans_info.rend(); ++it) {
    if (it->key == key) return &it->value;
  }
  return nullptr;
}

}  // namespace tracewire::trpc
