// BatchSpanProcessor: queues ended, sampled spans and exports them in batches from one
// background thread (OTel SDK batching processor).
//
// Never blocks the caller: each producing thread writes into its own bounded lock-free ring
// (max_queue_size spans per thread); when that ring is full the span is dropped and counted.
// The background thread exports when a thread has queued max_export_batch_size spans since it
// last woke it, when schedule_delay passes, on ForceFlush and on Shutdown. Exported SpanData
// objects go back to the thread that queued them for reuse, so a steady workload allocates
// nothing per span. Record-only (not sampled) spans are not exported.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "base/status.h"
#include "trace/sdk/span_processor.h"
#include "trace/span_exporter.h"

namespace tracewire::trace {

// Defaults and names of the OTel environment variables (OTEL_BSP_*).
struct BatchSpanProcessorOptions {
  size_t max_queue_size = 2048;                     // OTEL_BSP_MAX_QUEUE_SIZE, per thread
  std::chrono::milliseconds schedule_delay{5000};   // OTEL_BSP_SCHEDULE_DELAY
  size_t max_export_batch_size = 512;               // OTEL_BSP_MAX_EXPORT_BATCH_SIZE
  std::chrono::milliseconds export_timeout{30000};  // OTEL_BSP_EXPORT_TIMEOUT

  friend bool operator==(const BatchSpanProcessorOptions&,
                         const BatchSpanProcessorOptions&) = default;
};

// Counters since creation. Readable from any thread at any time (a consistent-enough
// snapshot: each counter is exact, they are not read atomically together).
struct BatchSpanProcessorStats {
  uint64_t queued = 0;         // accepted into a queue
  uint64_t dropped = 0;        // rejected because the queue was full
  uint64_t exported = 0;       // handed to a successful Export
  uint64_t export_failed = 0;  // handed to an Export that returned an error
};

class BatchSpanProcessor : public SpanProcessor {
 public:
  // Starts the background thread. INVALID_ARGUMENT (naming the OTEL_BSP_* setting) when a
  // size is 0, the batch size exceeds the queue size, or a duration is negative.
  // NOTE: export_timeout bounds the exporter's ForceFlush/Shutdown; Export itself must bound
  // its own time (the OTLP exporters take a timeout).
  static StatusOr<std::unique_ptr<BatchSpanProcessor>> Create(
      std::unique_ptr<SpanExporter> exporter, BatchSpanProcessorOptions options = {});

  virtual BatchSpanProcessorStats stats() const = 0;
};

}  // namespace tracewire::trace
