#include "collector/pipeline.h"

#include <map>
#include <string>

#include "collector/fanout.h"

namespace tracewire::collector {

struct Service::Parts {
  struct BuiltPipeline {
    std::string id;
    std::unique_ptr<ExporterFanout> fanout;
    std::vector<std::unique_ptr<Processor>> processors;  // in pipeline order
    TracesConsumer* traces_head = nullptr;
    LogsConsumer* logs_head = nullptr;
  };
  // Destroyed in reverse order of declaration: receivers first, exporters last.
  std::vector<std::unique_ptr<Exporter>> exporters;
  std::vector<BuiltPipeline> pipelines;
  std::vector<std::unique_ptr<PipelinesFanout>> receiver_fanouts;
  std::vector<std::unique_ptr<Component>> receivers;
};

namespace {

Status Named(const std::string& what, const Status& s) {
  return Status(s.code(), what + ": " + s.message());
}

}  // namespace

StatusOr<std::unique_ptr<Service>> Service::Build(const CollectorConfig& config,
                                                  const Registry& registry,
                                                  const BuildContext& context) {
  auto parts = std::make_unique<Parts>();
  std::map<std::string, Exporter*, std::less<>> exporters;
  for (const PipelineConfig& p : config.pipelines) {
    for (const std::string& id : p.exporters) {
      if (exporters.count(id) != 0) continue;
      const ComponentEntry* entry = config.FindExporter(id);
      const ExporterFactory* factory = entry ? registry.exporter(entry->type) : nullptr;
      if (factory == nullptr) return InvalidArgumentError("exporters." + id + ": not declared");
      StatusOr<std::unique_ptr<Exporter>> e = factory->Create(id, *entry->config, context);
      if (!e.ok()) return Named("exporters." + id, e.status());
      exporters[id] = e->get();
      parts->exporters.push_back(std::move(*e));
    }
  }

  parts->pipelines.reserve(config.pipelines.size());
  for (const PipelineConfig& p : config.pipelines) {
    Parts::BuiltPipeline built;
    built.id = p.id;
    std::vector<Exporter*> targets;
    targets.reserve(p.exporters.size());
    for (const std::string& id : p.exporters) targets.push_back(exporters[id]);
    built.fanout = std::make_unique<ExporterFanout>(std::move(targets));
    const bool traces = p.signal == Signal::kTraces;
    TracesConsumer* next_traces = traces ? built.fanout.get() : nullptr;
    LogsConsumer* next_logs = traces ? nullptr : built.fanout.get();
    std::vector<std::unique_ptr<Processor>> reversed;
    for (auto it = p.processors.rbegin(); it != p.processors.rend(); ++it) {
      const ComponentEntry* entry = config.FindProcessor(*it);
      const ProcessorFactory* factory = entry ? registry.processor(entry->type) : nullptr;
      if (factory == nullptr) return InvalidArgumentError("processors." + *it + ": not declared");
      StatusOr<std::unique_ptr<Processor>> proc =
          factory->Create(*it, *entry->config, next_traces, next_logs);
      if (!proc.ok()) {
        return Named("service.pipelines." + p.id + ": processors." + *it, proc.status());
      }
      if (traces) {
        next_traces = proc->get();
      } else {
        next_logs = proc->get();
      }
      reversed.push_back(std::move(*proc));
    }
    built.processors.assign(std::make_move_iterator(reversed.rbegin()),
                            std::make_move_iterator(reversed.rend()));
    built.traces_head = next_traces;
    built.logs_head = next_logs;
    parts->pipelines.push_back(std::move(built));
  }

  for (const ComponentEntry& entry : config.receivers) {
    std::vector<TracesConsumer*> traces;
    std::vector<LogsConsumer*> logs;
    for (size_t i = 0; i < config.pipelines.size(); ++i) {
      const PipelineConfig& p = config.pipelines[i];
      for (const std::string& id : p.receivers) {
        if (id != entry.id) continue;
        if (p.signal == Signal::kTraces) traces.push_back(parts->pipelines[i].traces_head);
        if (p.signal == Signal::kLogs) logs.push_back(parts->pipelines[i].logs_head);
      }
    }
    if (traces.empty() && logs.empty()) continue;  // unused: warned about at parse time
    TracesConsumer* to_traces = traces.empty() ? nullptr : traces.front();
    LogsConsumer* to_logs = logs.empty() ? nullptr : logs.front();
    if (traces.size() > 1 || logs.size() > 1) {
      const bool has_traces = !traces.empty();
      const bool has_logs = !logs.empty();
      parts->receiver_fanouts.push_back(
          std::make_unique<PipelinesFanout>(std::move(traces), std::move(logs)));
      to_traces = has_traces ? parts->receiver_fanouts.back().get() : nullptr;
      to_logs = has_logs ? parts->receiver_fanouts.back().get() : nullptr;
    }
    const ReceiverFactory* factory = registry.receiver(entry.type);
    if (factory == nullptr) return InvalidArgumentError("receivers." + entry.id + ": unknown type");
    StatusOr<std::unique_ptr<Component>> r =
        factory->Create(entry.id, *entry.config, to_traces, to_logs);
    if (!r.ok()) return Named("receivers." + entry.id, r.status());
    parts->receivers.push_back(std::move(*r));
  }
  return std::unique_ptr<Service>(new Service(std::move(parts)));
}

Service::Service(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Service::~Service() { (void)Shutdown(); }

Status Service::Start() {
  if (started_ || shut_down_) return FailedPreconditionError("service already started");
  started_ = true;
  auto fail = [this](const std::string& what, const Status& s) {
    (void)Shutdown();
    return Named("starting " + what, s);
  };
  for (auto& e : parts_->exporters) {
    Status s = e->Start();
    if (!s.ok()) return fail("exporters." + e->id(), s);
  }
  for (auto& p : parts_->pipelines) {
    for (auto it = p.processors.rbegin(); it != p.processors.rend(); ++it) {
      Status s = (*it)->Start();
      if (!s.ok()) return fail("service.pipelines." + p.id + ": processors." + (*it)->id(), s);
    }
  }
  for (auto& r : parts_->receivers) {
    Status s = r->Start();
    if (!s.ok()) return fail("receivers." + r->id(), s);
  }
  return OkStatus();
}

Status Service::Shutdown() {
  if (shut_down_) return OkStatus();
  shut_down_ = true;
  Status first;
  auto keep = [&first](const std::string& what, const Status& s) {
    if (!s.ok() && first.ok()) first = Named("shutting down " + what, s);
  };
  for (auto it = parts_->receivers.rbegin(); it != parts_->receivers.rend(); ++it) {
    keep("receivers." + (*it)->id(), (*it)->Shutdown());
  }
  for (auto& p : parts_->pipelines) {
    for (auto& proc : p.processors) keep("processors." + proc->id(), proc->Shutdown());
  }
  for (auto it = parts_->exporters.rbegin(); it != parts_->exporters.rend(); ++it) {
    keep("exporters." + (*it)->id(), (*it)->Shutdown());
  }
  return first;
}

std::vector<const Component*> Service::receivers() const {
  std::vector<const Component*> out;
  for (const auto& r : parts_->receivers) out.push_back(r.get());
  return out;
}

Exporter* Service::exporter(std::string_view id) const {
  for (const auto& e : parts_->exporters) {
    if (e->id() == id) return e.get();
  }
  return nullptr;
}

}  // namespace tracewire::collector
