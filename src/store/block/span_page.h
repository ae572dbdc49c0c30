// One page of a block's spans.tw, before zstd: whole traces, column by column.
//
//   page    := version:u8 count(traces) count(spans) count(strings) string*  (len + bytes)
//              count(streams) (len + bytes)*          -- one stream per column, see Stream
// Strings (names, keys, values, ...) are ids into the page's dictionary. Per span, the columns
// hold: span id (8 bytes), parent (0 none, 1 raw id in kParentRaw, 2+i: span i of the same
// trace), start − trace start (varint), end − start (zigzag), kind | status << 4 (byte), flags,
// name id, trace-state and status-message ids, resource and scope (indices into the page's
// table, kTables), attribute keys and values (value_codec.h), dropped counts, events, links.
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

// Decodes a page; the batch owns `bytes`. Spans come in page order. DATA_LOSS when malformed.
StatusOr<std::unique_ptr<model::SpanBatch>> DecodeSpanPage(std::string bytes);

}  // namespace tracewire::store::block
