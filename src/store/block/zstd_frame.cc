#include "store/block/zstd_frame.h"

#include <zstd.h>

#include <memory>

namespace tracewire::store::block {
namespace {

struct CctxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DctxDeleter {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

}  // namespace

std::string ZstdCompress(std::string_view raw, int level) {
  thread_local std::unique_ptr<ZSTD_CCtx, CctxDeleter> cctx(ZSTD_createCCtx());
  ZSTD_CCtx_reset(cctx.get(), ZSTD_reset_session_and_parameters);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_contentSizeFlag, 1);
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  const size_t n = ZSTD_compress2(cctx.get(), out.data(), out.size(), raw.data(), raw.size());
  if (ZSTD_isError(n)) return {};  // cannot happen with a bound-sized buffer
  out.resize(n);
  return out;
}

StatusOr<std::string> ZstdDecompress(std::string_view frame, uint64_t max_bytes) {
  const size_t frame_size = ZSTD_findFrameCompressedSize(frame.data(), frame.size());
  if (ZSTD_isError(frame_size) || frame_size != frame.size()) {
    return DataLossError("zstd: not exactly one frame");
  }
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > max_bytes) {
    return DataLossError("zstd: bad or oversized content size");
  }
  thread_local std::unique_ptr<ZSTD_DCtx, DctxDeleter> dctx(ZSTD_createDCtx());
  std::string out(size, '\0');
  const size_t n =
      ZSTD_decompressDCtx(dctx.get(), out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(n) || n != size) {
    return DataLossError(std::string("zstd: ") +
                         (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short"));
  }
  return out;
}

StatusOr<std::string> ZstdDecompressFrames(std::string_view frames, uint64_t max_bytes,
                                           size_t max_frames, std::vector<size_t>* sizes) {
  sizes->clear();
  std::vector<std::string_view> parts;
  uint64_t total = 0;
  while (!frames.empty()) {
    const size_t n = ZSTD_findFrameCompressedSize(frames.data(), frames.size());
    if (ZSTD_isError(n) || n > frames.size()) return DataLossError("zstd: truncated frame");
    const unsigned long long size = ZSTD_getFrameContentSize(frames.data(), n);
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN ||
        size > max_bytes - total || parts.size() >= max_frames) {
      return DataLossError("zstd: bad or oversized frames");
    }
    total += size;
    parts.push_back(frames.substr(0, n));
    sizes->push_back(static_cast<size_t>(size));
    frames.remove_prefix(n);
  }
  thread_local std::unique_ptr<ZSTD_DCtx, DctxDeleter> dctx(ZSTD_createDCtx());
  std::string out(total, '\0');
  size_t at = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const size_t want = (*sizes)[i];
    const size_t n =
        ZSTD_decompressDCtx(dctx.get(), out.data() + at, want, parts[i].data(), parts[i].size());
    if (ZSTD_isError(n) || n != want) {
      return DataLossError(std::string("zstd: ") +
                           (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short"));
    }
    at += want;
  }
  return out;
}

}  // namespace tracewire::store::block
