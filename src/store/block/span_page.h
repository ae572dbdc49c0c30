// One page of a block's spans.tw: whole traces, column by column, each column its own zstd frame.
//
//   page    := zstd frame (header) · one zstd frame per column stream (see Stream) · one zstd
//              frame per span attribute key (that key's values), all back to back
//   header  := version:u8(=2) count(traces) count(spans) count(strings) string*  (len + bytes)
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
#include "store/format/row_format.h"

namespace tracewire::store::block {

// Encodes `spans`: whole traces, sorted by trace id, then start time, then span id.
std::string EncodeSpanPage(std::span<const format::SpanRef> spans);

// Decodes a page (its frames as stored); the batch owns the decompressed bytes. Spans come in
// page order. DATA_LOSS when malformed or a frame's checksum fails.
StatusOr<std::unique_ptr<model::SpanBatch>> DecodeSpanPage(std::string_view frames);

}  // namespace tracewire::store::block
