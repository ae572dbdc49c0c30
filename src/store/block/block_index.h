// The index of one block (index.tw), held in memory while the block is open: everything a
// query needs before it reads a page. Encoded with varints (format/coding.h) in the order of
// the fields below; Decode checks every count and reference against the bytes it has.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "model/span_batch.h"
#include "store/block/shared_strings.h"
#include "store/format/duration_sketch.h"

namespace tracewire::store::block {

struct BlockMeta {
  uint64_t id = 0;
  uint64_t cover_lo = 0;      // ids of the head blocks this block holds (a compacted block covers
  uint64_t cover_hi = 0;      // several); a block covered by another one is a leftover and goes
  uint64_t last_seq = 0;      // appends numbered up to this (WAL payload seq) are in blocks
  uint64_t min_start_ns = 0;  // span start times (ns); logs' times are not included
  uint64_t max_start_ns = 0;
  uint64_t max_time_ns = 0;  // latest span end, log time or store time: retention's measure
  uint64_t span_count = 0;
  uint64_t log_count = 0;
};

struct SpanPageEntry {
  uint64_t offset = 0;  // in spans.tw
  uint32_t size = 0;    // compressed bytes
  uint32_t first_trace = 0;
  uint32_t trace_count = 0;
  uint32_t span_count = 0;
};

struct LogPageEntry {
  uint64_t offset = 0;  // in logs.tw
  uint32_t size = 0;
  uint32_t record_count = 0;
  model::TraceId first;  // trace ids of its first and last record
  model::TraceId last;
};

// Per trace (sorted by id): what TraceSummary needs, without reading a page.
struct TraceEntry {
  model::TraceId id;
  uint32_t page = 0;
  uint32_t span_count = 0;
  uint32_t error_count = 0;
  uint32_t root_service = 0;  // name ids
  uint32_t root_operation = 0;
  bool has_root = false;  // false: root_* are of the earliest span
  uint64_t start_ns = 0;
  uint64_t end_ns = 0;
  uint64_t root_start_ns = 0;
  uint64_t max_span_duration_ns = 0;
  uint32_t services_begin = 0;  // into trace_services
  uint32_t services_count = 0;
};

struct TraceService {
  uint32_t name = 0;
  uint32_t spans = 0;
  uint32_t errors = 0;
  uint64_t max_duration_ns = 0;  // of the trace's spans of this service
};

struct OperationEntry {
  uint32_t service = 0;
  uint32_t name = 0;
  model::SpanKind kind = model::SpanKind::kUnspecified;
};

struct EdgeEntry {
  uint32_t parent = 0;  // service name ids
  uint32_t child = 0;
  uint64_t calls = 0;
  uint64_t errors = 0;
  format::DurationSketch durations;
};

struct BlockIndex {
  BlockMeta meta;
  std::vector<std::string> names;  // services, span names
  std::vector<SpanPageEntry> span_pages;
  std::vector<LogPageEntry> log_pages;
  std::vector<TraceEntry> traces;
  std::vector<TraceService> trace_services;
  std::string bloom;
  // Posting key (block_format.h) → sorted trace ordinals.
  std::unordered_map<std::string, std::vector<uint32_t>> postings;
  std::vector<OperationEntry> operations;
  std::vector<EdgeEntry> edges;
  SharedStrings shared_strings;  // what the span pages' string ids start with

  // The trace's ordinal, or -1.
  int64_t FindTrace(const model::TraceId& id) const;
  // Approximate memory held (bytes).
  size_t MemoryBytes() const;
};

std::string EncodeBlockIndex(const BlockIndex& index);
// DATA_LOSS when malformed.
StatusOr<BlockIndex> DecodeBlockIndex(std::string_view bytes);

}  // namespace tracewire::store::block
