// TransInfo: an owned copy of a frame's trans_info (map<string, bytes>), as a handler keeps it
// and as a client call carries it. Ordered by key with a transparent comparator, so lookups by
// string_view build no string and propagation::MapCarrier works on it directly.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "trpc/protocol.h"

namespace tracewire::trpc {

using TransInfo = std::map<std::string, std::string, std::less<>>;

// Copies `view` (a repeated key keeps its last value, as protobuf maps do).
TransInfo ToTransInfo(const TransInfoView& view);

// Views over `info`, in key order. The result is valid while `info` is unchanged.
TransInfoView ViewOf(const TransInfo& info);

}  // namespace tracewire::trpc
