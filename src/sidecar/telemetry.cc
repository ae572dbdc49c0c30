#include "sidecar/telemetry.h"

#include <utility>

#include "otlp/otlp_http_exporter.h"
#include "sidecar/sampler.h"

namespace tracewire::sidecar {
StatusOr<std::unique_ptr<Telemetry>> Telemetry::Create(const SidecarConfig& config) {
  std::unique_ptr<Telemetry> t(new Telemetry());
  trace::TracerProviderOptions options;
  options.resource.attributes.push_back({"service.name", config.service_name});
  options.sampler = MakeSidecarSampler(config.sampling);
  if (!config.exporter.endpoint.empty()) {
    otlp::OtlpHttpExporterOptions ex;
    ex.endpoint = config.exporter.endpoint;
    ex.timeout = config.exporter.timeout;
    ex.retry.max_attempts = 2;
    ex.retry.initial_backoff = std::chrono::milliseconds(100);
    ex.retry.max_backoff = std::chrono::milliseconds(500);
    ex.log = [](std::string_view) {};  // export failures are counted, not printed per batch
    auto exporter = otlp::OtlpHttpExporter::Create(std::move(ex));
    if (!exporter.ok()) {
      return InvalidArgumentError("exporter.endpoint: " + exporter.status().message());
    }
    trace::BatchSpanProcessorOptions bsp;
    bsp.max_queue_size = config.exporter.max_queue_size;
    bsp.max_export_batch_size = std::min<size_t>(512, bsp.max_queue_size);
    bsp.schedule_delay = config.exporter.schedule_delay;
    bsp.export_timeout = config.exporter.timeout;
    auto processor = trace::BatchSpanProcessor::Create(*std::move(exporter), bsp);
    if (!processor.ok()) return InvalidArgumentError("exporter: " + processor.status().message());
    t->processor_ = processor->get();
    options.processor = *std::move(processor);
  }
  t->provider_ = std::make_unique<trace::TracerProvider>(std::move(options));
  t->tracer_ = &t->provider_->GetTracer("tracewire.sidecar");
  return t;
}

Telemetry::~Telemetry() {
  if (provider_) (void)provider_->Shutdown(std::chrono::milliseconds(1000));
}

SpanFigures Telemetry::Figures() const {
  SpanFigures f;
  if (processor_ == nullptr) return f;
  trace::BatchSpanProcessorStats s = processor_->stats();
  f.exported = s.exported;
  f.dropped = s.dropped;
  f.export_failed = s.export_failed;
  const uint64_t done = s.exported + s.export_failed;
  f.queue_depth = s.queued > done ? s.queued - done : 0;
  return f;
}

Status Telemetry::Flush(std::chrono::milliseconds timeout) {
  return provider_->ForceFlush(timeout);
}

}  // namespace tracewire::sidecar
