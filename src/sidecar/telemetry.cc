#include "sidecar/telemetry.h"

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <span>
#include <utility>

#include "otlp/otlp_http_exporter.h"
#include "sidecar/sampler.h"

namespace tracewire::sidecar {
namespace {

// Spans per export: a batch costs about 0.25 ms of CPU at 128, so the exporter's bursts stay
// short next to the event loops on a small machine.
constexpr size_t kExportBatch = 128;

// Runs the exporter on its (the batch processor's) thread at the lowest CPU priority, so that
// an event loop waking on the same core preempts an export at once: SCHED_BATCH (which also
// takes the thread out of a real-time policy the process may run under) and nice 19. Best
// effort: a refused change leaves the thread as it was. Forwards everything else.
class LowPriorityExporter final : public trace::SpanExporter {
 public:
  explicit LowPriorityExporter(std::unique_ptr<trace::SpanExporter> inner)
      : inner_(std::move(inner)) {}

  Status Export(std::span<const trace::SpanData* const> batch) override {
    if (!lowered_) {  // the processor calls Export from its own thread only
      lowered_ = true;
      const auto tid = static_cast<pid_t>(::syscall(SYS_gettid));  // this thread only (Linux)
      sched_param param{};
      (void)::sched_setscheduler(tid, SCHED_BATCH, &param);
      (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(tid), 19);
    }
    return inner_->Export(batch);
  }
  Status ForceFlush(std::chrono::milliseconds timeout) override {
    return inner_->ForceFlush(timeout);
  }
  Status Shutdown(std::chrono::milliseconds timeout) override { return inner_->Shutdown(timeout); }

 private:
  std::unique_ptr<trace::SpanExporter> inner_;
  bool lowered_ = false;
};

}  // namespace

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
    bsp.max_export_batch_size = std::min(kExportBatch, bsp.max_queue_size);
    bsp.schedule_delay = config.exporter.schedule_delay;
    bsp.export_timeout = config.exporter.timeout;
    auto processor = trace::BatchSpanProcessor::Create(
        std::make_unique<LowPriorityExporter>(*std::move(exporter)), bsp);
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
