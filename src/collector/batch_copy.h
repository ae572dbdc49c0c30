// Deep copies of part of a batch into a new batch that owns everything it views (its own arena).
// Used where one batch must become several that live independently: a receiver feeding more
// than one pipeline (each pipeline may modify its copy), and the batch processor's split.
#pragma once

#include <cstddef>

#include "model/span_batch.h"

namespace tracewire::collector {

// Spans [begin, end) of `from`, with the resources and scopes they use (re-indexed, in first-use
// order). REQUIRES: begin <= end <= from.spans.size().
model::SpanBatch CopySpans(const model::SpanBatch& from, size_t begin, size_t end);
// Log records [begin, end) of `from`, likewise.
model::LogBatch CopyLogs(const model::LogBatch& from, size_t begin, size_t end);

}  // namespace tracewire::collector
