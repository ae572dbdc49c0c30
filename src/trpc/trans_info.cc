#include "trpc/trans_info.h"

namespace tracewire::trpc {

TransInfo ToTransInfo(const TransInfoView& view) {
  TransInfo info;
  for (const TransInfoEntry& e : view)
    info.insert_or_assign(std::string(e.key), std::string(e.value));
  return info;
}

TransInfoView ViewOf(const TransInfo& info) {
  TransInfoView view;
  view.reserve(info.size());
  for (const auto& [key, value] : info) view.push_back(TransInfoEntry{key, value});
  return view;
}

}  // namespace tracewire::trpc
