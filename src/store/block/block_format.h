// On-disk layout of an immutable block (also in src/store/README.md).
//
// A block is a directory blocks/<id as 16 hex digits>/ holding three files:
//   spans.tw  span pages back to back; each page is a run of zstd frames (with checksums), one
//             per column, of a columnar encoding of ~kTargetPageSpans spans (whole traces,
//             sorted by trace id, then start time, then span id). See span_page.h for the page
//             layout.
//   logs.tw   log pages back to back; each is one zstd frame of a row-format record
//             (format/row_format.h) of log records sorted by trace id, span id, time.
//   index.tw  kIndexMagic, then one zstd frame of the block index (block_index.h): meta, name
//             dictionary, page tables, the sorted trace table with per-trace summaries, a bloom
//             filter over trace ids, postings, operations and the service dependency edges.
// The block is written into blocks/tmp-<id>/, every file fsynced, the directory renamed to its
// final name and blocks/ fsynced: a directory without the tmp- prefix is complete.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tracewire::store::block {

inline constexpr std::string_view kSpansFile = "spans.tw";
inline constexpr std::string_view kLogsFile = "logs.tw";
inline constexpr std::string_view kIndexFile = "index.tw";
inline constexpr std::string_view kTmpPrefix = "tmp-";
inline constexpr std::string_view kIndexMagic = "TWBLKIX1";  // 8 bytes
// Index version 3 adds the block's shared page strings (shared_strings.h) at the end; version 2
// indexes (no shared strings, format-2 pages) are still read.
inline constexpr uint32_t kIndexVersion = 3;
inline constexpr uint32_t kIndexVersionNoSharedStrings = 2;

inline constexpr size_t kTargetPageSpans = 1024;  // a page closes at a trace boundary past this
inline constexpr size_t kTargetLogPageRecords = 4096;
inline constexpr int kZstdLevel = 3;
inline constexpr uint64_t kMaxIndexBytes = 1ull << 30;   // decompressed index limit
inline constexpr uint64_t kMaxPageBytes = 256ull << 20;  // decompressed page limit
inline constexpr uint32_t kBloomBitsPerKey = 10;
inline constexpr uint32_t kBloomProbes = 6;

// Posting keys (in the index's postings table): kind byte, then the parts joined by '\0'.
inline constexpr char kPostService = 's';       // s<service>
inline constexpr char kPostOperation = 'o';     // o<service>\0<span name>
inline constexpr char kPostName = 'n';          // n<span name>
inline constexpr char kPostError = 'e';         // e
inline constexpr char kPostServiceError = 'E';  // E<service>: an ERROR span of that service
inline constexpr char kPostAttribute = 'a';     // a<key>\0<value as text>

}  // namespace tracewire::store::block
