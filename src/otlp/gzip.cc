#include "otlp/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace tracewire::otlp {

namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip header and trailer
constexpr int kAutoWindowBits = 15 + 32;  // accept gzip or zlib headers
constexpr size_t kChunk = size_t{64} * 1024;

// zlib counts in uInt; feed large inputs in slices.
uInt Slice(size_t n) { return static_cast<uInt>(std::min<size_t>(n, UINT_MAX)); }

}  // namespace

Status GzipCompress(std::string_view in, std::string& out) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return InternalError("gzip: deflateInit2 failed");
  }
  out.resize(deflateBound(&zs, static_cast<uLong>(in.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  size_t in_left = in.size();
  size_t written = 0;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (written == out.size()) out.resize(out.size() * 2);
    zs.avail_in = Slice(in_left);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + written);
    zs.avail_out = Slice(out.size() - written);
    const uInt avail_in_before = zs.avail_in;
    const uInt avail_out_before = zs.avail_out;
    rc = deflate(&zs, zs.avail_in == in_left ? Z_FINISH : Z_NO_FLUSH);
    in_left -= avail_in_before - zs.avail_in;
    written += avail_out_before - zs.avail_out;
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      deflateEnd(&zs);
      return InternalError("gzip: deflate failed");
    }
  }
  deflateEnd(&zs);
  out.resize(written);
  return OkStatus();
}

Status GzipDecompress(std::string_view in, std::string& out, size_t max_output_bytes) {
  out.clear();
  z_stream zs{};
  if (inflateInit2(&zs, kAutoWindowBits) != Z_OK) return InternalError("gzip: inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  size_t in_left = in.size();
  size_t written = 0;
  Status status;
  while (true) {
    if (written == out.size()) {
      // Never hold more than one byte past the limit: that byte is the proof of excess.
      out.resize(std::min(std::max(out.size() * 2, kChunk), max_output_bytes + 1));
    }
    zs.avail_in = Slice(in_left);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + written);
    zs.avail_out = Slice(out.size() - written);
    const uInt avail_in_before = zs.avail_in;
    const uInt avail_out_before = zs.avail_out;
    const int rc = inflate(&zs, Z_NO_FLUSH);
    in_left -= avail_in_before - zs.avail_in;
    written += avail_out_before - zs.avail_out;
    if (written > max_output_bytes) {
      status = ResourceExhaustedError("gzip: body inflates beyond " +
                                      std::to_string(max_output_bytes) + " bytes");
      break;
    }
    if (rc == Z_STREAM_END) {
      if (in_left == 0) break;
      if (inflateReset(&zs) != Z_OK) {  // another gzip member follows
        status = DataLossError("gzip: cannot reset for the next member");
        break;
      }
      continue;
    }
    if (rc == Z_BUF_ERROR) {
      if (written == out.size()) continue;  // only out of room: grow and go on
      status = DataLossError("gzip: truncated stream");
      break;
    }
    if (rc != Z_OK) {
      status = DataLossError(std::string("gzip: corrupt stream (") +
                             (zs.msg != nullptr ? zs.msg : "inflate error") + ")");
      break;
    }
  }
  inflateEnd(&zs);
  if (!status.ok()) {
    out.clear();
    return status;
  }
  out.resize(written);
  return OkStatus();
}

}  // namespace tracewire::otlp
