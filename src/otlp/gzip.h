// gzip (RFC 1952) bodies for OTLP/HTTP "Content-Encoding: gzip", via zlib.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace tracewire::otlp {

// Replaces `out` with the gzip form of `in` (default compression level).
// Errors: INTERNAL if zlib fails (out of memory).
Status GzipCompress(std::string_view in, std::string& out);

// Replaces `out` with the decompressed content of the gzip stream `in` (concatenated members
// are accepted). Untrusted input: a corrupt or truncated stream gives DATA_LOSS, output larger
// than `max_output_bytes` gives RESOURCE_EXHAUSTED (decompression bombs).
Status GzipDecompress(std::string_view in, std::string& out, size_t max_output_bytes);

}  // namespace tracewire::otlp
