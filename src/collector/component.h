// The one shape of every pipeline component (STYLE.md §4, like the OpenTelemetry Collector's
// component.Component): built by its factory from a validated config, Start()ed in dependency
// order (exporters first, receivers last), Shutdown() in the reverse order. Shutdown flushes what
// the component holds and is idempotent.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/status.h"
#include "model/span_batch.h"

namespace tracewire::collector {

// Called exactly once when a batch handed downstream is done with: OK once every exporter of the
// pipeline has taken it (the store: durable; a forwarding exporter: queued), else the first
// error. Receivers answer their client from it: OK → 200 / gRPC OK; RESOURCE_EXHAUSTED or
// UNAVAILABLE → 429/503 (gRPC the same codes) with Retry-After; INVALID_ARGUMENT → 400.
// May run on any thread; must not block.
using ConsumeDone = std::function<void(Status)>;

// The downstream side of a receiver or processor. Thread-safe: receivers call it from many
// threads. Takes ownership of the batch; a fan-out shares it read-only among exporters.
class TracesConsumer {
 public:
  virtual ~TracesConsumer() = default;
  virtual void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) = 0;
};

class LogsConsumer {
 public:
  virtual ~LogsConsumer() = default;
  virtual void ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) = 0;
};

class Component {
 public:
  virtual ~Component() = default;
  // "type/name" as in the config, e.g. "otlp" or "otlphttp/arms".
  virtual const std::string& id() const = 0;
  // Opens ports, files and threads. Errors name the component and the cause.
  virtual Status Start() = 0;
  // Stops taking data, flushes what is held, releases resources. Idempotent.
  virtual Status Shutdown() = 0;
};

}  // namespace tracewire::collector
