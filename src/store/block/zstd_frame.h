// zstd frames with content size and checksum: the compression of block pages and indexes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace tracewire::store::block {

// Compresses `raw` into one frame (content size and XXH64 checksum included).
std::string ZstdCompress(std::string_view raw, int level);

// Decompresses exactly one frame spanning all of `frame`. DATA_LOSS when the frame is
// malformed, its checksum fails or it would exceed max_bytes.
StatusOr<std::string> ZstdDecompress(std::string_view frame, uint64_t max_bytes);

// Decompresses a run of frames laid back to back (each as ZstdCompress writes it) into one
// buffer; `sizes` gets each frame's decompressed size, in order. DATA_LOSS when any frame is
// malformed, fails its checksum, or the total would exceed max_bytes or max_frames frames.
StatusOr<std::string> ZstdDecompressFrames(std::string_view frames, uint64_t max_bytes,
                                           size_t max_frames, std::vector<size_t>* sizes);

}  // namespace tracewire::store::block
