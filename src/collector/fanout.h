// The two fan-outs of a collector graph.
#pragma once

#include <memory>
#include <vector>

#include "collector/component.h"
#include "collector/factory.h"

namespace tracewire::collector {

// End of a pipeline: every exporter gets the same batch, read-only; `done` runs once after all
// answered (JoinDone). REQUIRES: exporters non-empty, outliving this.
class ExporterFanout final : public TracesConsumer, public LogsConsumer {
 public:
  explicit ExporterFanout(std::vector<Exporter*> exporters) : exporters_(std::move(exporters)) {}
  void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) override;
  void ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) override;

 private:
  std::vector<Exporter*> exporters_;
};

// A receiver feeding several pipelines: the last gets the batch, the others deep copies (each
// pipeline's processors may modify their batch). REQUIRES: heads non-empty, outliving this.
class PipelinesFanout final : public TracesConsumer, public LogsConsumer {
 public:
  PipelinesFanout(std::vector<TracesConsumer*> traces, std::vector<LogsConsumer*> logs)
      : traces_(std::move(traces)), logs_(std::move(logs)) {}
  void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) override;
  void ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) override;

 private:
  std::vector<TracesConsumer*> traces_;
  std::vector<LogsConsumer*> logs_;
};

}  // namespace tracewire::collector
