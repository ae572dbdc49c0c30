// One page of a block's spans.tw: whole traces, column by column, each column its own zstd frame.
//
//   page    := zstd frame (header) · one zstd frame per column stream (see Stream) · one zstd
//              frame per span attribute key (that key's values), all back to back
//   header  := version:u8 count(traces) count(spans) [count(shared)] count(strings) string*
//              (len + bytes)  -- version 2: no shared strings; 3: the page's string ids
//              start with the block's count(shared) shared strings (shared_strings.h)
//              count(keys) key*                        -- span attribute keys of the page
//              count(shapes) shape*  -- shape: len + varint key indices, one span's key list
// Strings (names, values, ...) are ids into the page's dictionary. Per span, the columns
// hold: span id (8 bytes), parent (0 none, 1 raw id in kParentRaw, 2+i: span i of the same
// trace), start − previous span's start in the trace (varint; the first: − trace start), end −
// start (zigzag), kind | status << 4 (byte), flags, name id, trace-state and status-message
// ids, resource and scope (indices into the page's table, kTables), counts (dropped
// attributes, events, dropped events, links, dropped links), the span's attribute shape id
// (kAttrKeys; each value goes to its key's stream — the 1024th and later keys share the last
// stream), events and links (their attributes as value_codec.h key ids and values).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/status.h"
#include "model/span_batch.h"
#include "store/block/shared_strings.h"
#include "store/format/row_format.h"
#include "store/format/value_codec.h"

namespace tracewire::store::block {

// Encodes `spans`: whole traces, sorted by trace id, then start time, then span id. With
// `shared` (the block's shared strings interned in order, ids 0..n-1) the page is format 3 and
// refers to them by id; with none (or an empty one), format 2.
std::string EncodeSpanPage(std::span<const format::SpanRef> spans);
std::string EncodeSpanPage(std::span<const format::SpanRef> spans,
                           const format::StringDict& shared);

// Chooses a block's shared strings from its spans (sorted as a block sorts them): the strings
// of a few pages spread over the block that more than one of them holds. Empty for a block of
// fewer than two pages. Bounded by kMaxSharedStrings / kMaxSharedStringBytes.
SharedStrings ChooseSharedStrings(std::span<const format::SpanRef> spans);

// Decodes a page (its frames as stored) written against `shared` (empty for format 2); the
// batch owns the decompressed bytes and a copy of the shared strings. Spans come in page
// order. DATA_LOSS when malformed, a frame's checksum fails or the page names a different
// number of shared strings than `shared` holds.
StatusOr<std::unique_ptr<model::SpanBatch>> DecodeSpanPage(std::string_view frames,
                                                           const SharedStrings& shared = {});

}  // namespace tracewire::store::block
