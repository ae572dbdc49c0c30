// zstd frames with content size and checksum: the compression of block pages and indexes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace tracewire::store::block {

// Compresses `raw` into one frame (content size and XXH64 checksum included).
std::string ZstdCompress(std::string_view raw, int level);

// Decompresses exactly one frame spanning all of `frame`. DATA_LOSS when the frame is
// malformed, its checksum fails or it would exceed max_bytes.
StatusOr<std::string> ZstdDecompress(std::string_view frame, uint64_t max_bytes);

}  // namespace tracewire::store::block
