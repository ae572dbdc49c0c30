// errno → Status, as store/io/file_system.h promises: UNAVAILABLE when the disk is full or
// failing (ENOSPC, EDQUOT, EFBIG, EIO), NOT_FOUND for a missing path (ENOENT), INTERNAL for the
// rest. The message reads "<what> <path>: <strerror>".
#pragma once

#include <string_view>

#include "base/status.h"

namespace tracewire::store {

// REQUIRES: err != 0.
Status ErrnoToStatus(int err, std::string_view what, std::string_view path);

}  // namespace tracewire::store
