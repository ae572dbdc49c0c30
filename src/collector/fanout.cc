#include "collector/fanout.h"

#include "collector/batch_copy.h"
#include "collector/done_join.h"

namespace tracewire::collector {

void ExporterFanout::ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) {
  ConsumeDone joined = JoinDone(exporters_.size(), std::move(done));
  for (Exporter* e : exporters_) e->ConsumeTraces(batch, joined);
}

void ExporterFanout::ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) {
  ConsumeDone joined = JoinDone(exporters_.size(), std::move(done));
  for (Exporter* e : exporters_) e->ConsumeLogs(batch, joined);
}

void PipelinesFanout::ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) {
  if (traces_.empty()) {
    done(FailedPreconditionError("no traces pipeline takes this receiver's data"));
    return;
  }
  ConsumeDone joined = JoinDone(traces_.size(), std::move(done));
  for (size_t i = 0; i + 1 < traces_.size(); ++i) {
    traces_[i]->ConsumeTraces(
        std::make_shared<model::SpanBatch>(CopySpans(*batch, 0, batch->spans.size())), joined);
  }
  traces_.back()->ConsumeTraces(std::move(batch), joined);
}

void PipelinesFanout::ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) {
  if (logs_.empty()) {
    done(FailedPreconditionError("no logs pipeline takes this receiver's data"));
    return;
  }
  ConsumeDone joined = JoinDone(logs_.size(), std::move(done));
  for (size_t i = 0; i + 1 < logs_.size(); ++i) {
    logs_[i]->ConsumeLogs(
        std::make_shared<model::LogBatch>(CopyLogs(*batch, 0, batch->records.size())), joined);
  }
  logs_.back()->ConsumeLogs(std::move(batch), joined);
}

}  // namespace tracewire::collector
