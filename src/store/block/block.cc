#include "store/block/block.h"

#include <algorithm>
#include <utility>

#include "store/block/block_format.h"
#include "store/block/bloom.h"
#include "store/block/span_page.h"
#include "store/block/zstd_frame.h"
#include "store/format/row_format.h"

namespace tracewire::store::block {

StatusOr<std::shared_ptr<const Block>> Block::Open(FileSystem* fs, const std::string& dir) {
  std::shared_ptr<Block> b(new Block());
  b->dir_ = dir;
  auto raw = fs->ReadFile(dir + "/" + std::string(kIndexFile), kMaxIndexBytes);
  if (!raw.ok()) return DataLossError("block " + dir + ": index: " + raw.status().message());
  const std::string_view file = *raw;
  if (file.size() < kIndexMagic.size() || file.substr(0, kIndexMagic.size()) != kIndexMagic) {
    return DataLossError("block " + dir + ": bad index magic");
  }
  auto bytes = ZstdDecompress(file.substr(kIndexMagic.size()), kMaxIndexBytes);
  if (!bytes.ok()) return DataLossError("block " + dir + ": index: " + bytes.status().message());
  auto index = DecodeBlockIndex(*bytes);
  if (!index.ok()) return DataLossError("block " + dir + ": " + index.status().message());
  b->index_ = std::move(*index);

  auto spans = fs->NewRandomAccessFile(dir + "/" + std::string(kSpansFile));
  auto logs = fs->NewRandomAccessFile(dir + "/" + std::string(kLogsFile));
  if (!spans.ok() || !logs.ok()) return DataLossError("block " + dir + ": missing data file");
  b->spans_ = std::move(*spans);
  b->logs_ = std::move(*logs);
  b->bytes_on_disk_ = raw->size() + b->spans_->size() + b->logs_->size();

  // Page tables must lie inside their files; traces must sit in the page that lists them.
  const BlockIndex& x = b->index_;
  uint64_t spans_total = 0;
  for (const auto& p : x.span_pages) {
    if (p.offset + p.size > b->spans_->size() || p.offset + p.size < p.offset) {
      return DataLossError("block " + dir + ": span page outside spans.tw");
    }
    spans_total += p.span_count;
  }
  for (const auto& p : x.log_pages) {
    if (p.offset + p.size > b->logs_->size() || p.offset + p.size < p.offset) {
      return DataLossError("block " + dir + ": log page outside logs.tw");
    }
  }
  if (spans_total != x.meta.span_count) return DataLossError("block " + dir + ": span count");
  b->trace_offsets_.resize(x.traces.size());
  for (uint32_t pi = 0; pi < x.span_pages.size(); ++pi) {
    const SpanPageEntry& p = x.span_pages[pi];
    uint64_t at = 0;
    for (uint32_t t = p.first_trace; t < p.first_trace + p.trace_count; ++t) {
      if (x.traces[t].page != pi) return DataLossError("block " + dir + ": trace/page mismatch");
      b->trace_offsets_[t] = static_cast<uint32_t>(at);
      at += x.traces[t].span_count;
    }
    if (at != p.span_count) return DataLossError("block " + dir + ": page span count");
  }
  return std::shared_ptr<const Block>(std::move(b));
}

int64_t Block::FindTrace(const model::TraceId& id) const {
  if (!BloomMayContain(index_.bloom, id)) return -1;
  return index_.FindTrace(id);
}

StatusOr<std::unique_ptr<model::SpanBatch>> Block::ReadSpanPage(uint32_t page) const {
  if (page >= index_.span_pages.size()) return OutOfRangeError("no such page");
  const SpanPageEntry& p = index_.span_pages[page];
  std::string scratch(p.size, '\0');
  auto frame = spans_->Read(p.offset, p.size, scratch.data());
  if (!frame.ok()) return frame.status();
  if (frame->size() != p.size) return DataLossError("block " + dir_ + ": short page read");
  auto batch = DecodeSpanPage(*frame, index_.shared_strings);
  if (!batch.ok()) return DataLossError("block " + dir_ + ": " + batch.status().message());
  if ((*batch)->spans.size() != p.span_count) return DataLossError("page span count");
  return batch;
}

StatusOr<std::unique_ptr<model::LogBatch>> Block::ReadLogPage(uint32_t page) const {
  if (page >= index_.log_pages.size()) return OutOfRangeError("no such page");
  const LogPageEntry& p = index_.log_pages[page];
  std::string scratch(p.size, '\0');
  auto frame = logs_->Read(p.offset, p.size, scratch.data());
  if (!frame.ok()) return frame.status();
  if (frame->size() != p.size) return DataLossError("block " + dir_ + ": short page read");
  auto raw = ZstdDecompress(*frame, kMaxPageBytes);
  if (!raw.ok()) return DataLossError("block " + dir_ + ": log page: " + raw.status().message());
  return format::DecodeLogs(std::move(*raw));
}

std::vector<uint32_t> Block::LogPagesFor(const model::TraceId& id) const {
  std::vector<uint32_t> pages;
  for (uint32_t i = 0; i < index_.log_pages.size(); ++i) {
    const LogPageEntry& p = index_.log_pages[i];
    if (!(id < p.first) && !(p.last < id)) pages.push_back(i);
  }
  return pages;
}

engine::TracePart Block::Part(uint32_t ordinal) const {
  const TraceEntry& t = index_.traces[ordinal];
  engine::TracePart p;
  p.id = t.id;
  p.start_ns = t.start_ns;
  p.end_ns = t.end_ns;
  p.spans = t.span_count;
  p.errors = t.error_count;
  p.has_root = t.has_root;
  p.root_start_ns = t.root_start_ns;
  p.root_service = index_.names[t.root_service];
  p.root_operation = index_.names[t.root_operation];
  for (uint32_t i = 0; i < t.services_count; ++i) {
    const TraceService& s = index_.trace_services[t.services_begin + i];
    p.services.push_back(ServiceSpanCount{index_.names[s.name], s.spans, s.errors});
  }
  return p;
}

std::pair<size_t, size_t> Block::SpanRange(uint32_t ordinal) const {
  return {trace_offsets_[ordinal], index_.traces[ordinal].span_count};
}

}  // namespace tracewire::store::block
