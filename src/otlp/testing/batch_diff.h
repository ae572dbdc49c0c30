// Field-by-field comparison of batches, for the codec tests and fuzz targets. Items are compared
// in order, each with its resource and scope by value (indices may differ: a re-encoded batch
// drops empty scopes). Doubles compare bitwise, except that any two NaNs are equal (OTLP/JSON
// carries no NaN payload).
#pragma once

#include <string>

#include "model/span_batch.h"

namespace tracewire::otlp::testing {

// "" when equal, else a description of the first difference.
std::string DiffSpanBatches(const model::SpanBatch& a, const model::SpanBatch& b);
std::string DiffLogBatches(const model::LogBatch& a, const model::LogBatch& b);
// Same for two values.
std::string DiffValues(const model::AnyValue& a, const model::AnyValue& b);

}  // namespace tracewire::otlp::testing
