#include "collector/exporter/tracewire_exporter.h"

#include "collector/config_reader.h"
#include "collector/exporter/exporter_factories.h"
#include "store/store.h"

namespace tracewire::collector {

Status FillTracewireExporterConfig(const YAML::Node& node, std::string_view path,
                                   TracewireExporterConfig* c);

namespace {

using std::chrono::duration_cast;

class TracewireExporter final : public Exporter {
 public:
  TracewireExporter(std::string id, store::Store& store) : id_(std::move(id)), store_(store) {}

  const std::string& id() const override { return id_; }
  Status Start() override { return OkStatus(); }
  // The store is closed by its owner, after every pipeline has flushed.
  Status Shutdown() override { return OkStatus(); }

  void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) override {
    store_.AppendSpans(std::move(batch), std::move(done));
  }
  void ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) override {
    store_.AppendLogs(std::move(batch), std::move(done));
  }

 private:
  const std::string id_;
  store::Store& store_;
};

class TracewireExporterFactory final : public ExporterFactory {
 public:
  std::string_view type() const override { return "tracewire"; }
  StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                         std::string_view path) const override {
    return ParseConfigWith<TracewireExporterConfig, ComponentConfig>(FillTracewireExporterConfig,
                                                                     node, path);
  }
  StatusOr<std::unique_ptr<Exporter>> Create(std::string id, const ComponentConfig&,
                                             const BuildContext& context) const override {
    if (context.store == nullptr) {
      return FailedPreconditionError("the embedded store is not open in this program");
    }
    return std::unique_ptr<Exporter>(
        std::make_unique<TracewireExporter>(std::move(id), *context.store));
  }
};

}  // namespace

Status FillTracewireExporterConfig(const YAML::Node& node, std::string_view path,
                                   TracewireExporterConfig* c) {
  StatusOr<ConfigMap> map = ConfigMap::Open(node, std::string(path));
  if (!map.ok()) return map.status();
  store::StoreOptions& o = c->store;
  TW_RETURN_IF_ERROR(map->ReadString("data_dir", &o.data_dir));
  if (o.data_dir.empty())
    return InvalidArgumentError(map->PathOf("data_dir") + ": must not be empty");
  std::string sync = "always";
  TW_RETURN_IF_ERROR(map->ReadEnum("sync", {"always", "interval", "never"}, &sync));
  o.sync = sync == "always"     ? store::SyncPolicy::kAlways
           : sync == "interval" ? store::SyncPolicy::kInterval
                                : store::SyncPolicy::kNever;
  std::chrono::nanoseconds d = o.sync_interval;
  TW_RETURN_IF_ERROR(map->ReadDuration("sync_interval", &d));
  if (d < std::chrono::milliseconds(1)) {
    return InvalidArgumentError(map->PathOf("sync_interval") + ": must be at least 1ms");
  }
  o.sync_interval = duration_cast<std::chrono::milliseconds>(d);
  d = o.group_commit_window;
  TW_RETURN_IF_ERROR(map->ReadDuration("group_commit_window", &d));
  o.group_commit_window = duration_cast<std::chrono::microseconds>(d);
  TW_RETURN_IF_ERROR(
      map->ReadUint("wal_segment_bytes", 1u << 20, 1ull << 34, &o.wal_segment_bytes));

  StatusOr<ConfigMap> retention = map->Sub("retention");
  if (!retention.ok()) return retention.status();
  d = o.retention_max_age;
  TW_RETURN_IF_ERROR(retention->ReadDuration("max_age", &d));
  if (d < std::chrono::minutes(1)) {
    return InvalidArgumentError(retention->PathOf("max_age") + ": must be at least 1m");
  }
  o.retention_max_age = duration_cast<std::chrono::seconds>(d);
  TW_RETURN_IF_ERROR(retention->ReadUint("max_bytes", 0, UINT64_MAX, &o.retention_max_bytes));
  TW_RETURN_IF_ERROR(retention->CheckNoUnknownKeys());

  StatusOr<ConfigMap> head = map->Sub("head");
  if (!head.ok()) return head.status();
  TW_RETURN_IF_ERROR(head->ReadUint("max_bytes", 1u << 20, 1ull << 40, &o.head_max_bytes));
  d = o.head_max_age;
  TW_RETURN_IF_ERROR(head->ReadDuration("max_age", &d));
  if (d < std::chrono::seconds(1)) {
    return InvalidArgumentError(head->PathOf("max_age") + ": must be at least 1s");
  }
  o.head_max_age = duration_cast<std::chrono::seconds>(d);
  TW_RETURN_IF_ERROR(head->CheckNoUnknownKeys());

  d = o.compaction_window;
  TW_RETURN_IF_ERROR(map->ReadDuration("compaction_window", &d));
  o.compaction_window = duration_cast<std::chrono::seconds>(d);
  TW_RETURN_IF_ERROR(map->ReadStringList("indexed_attributes", &o.indexed_attributes));
  for (size_t i = 0; i < o.indexed_attributes.size(); ++i) {
    if (o.indexed_attributes[i].empty()) {
      return InvalidArgumentError(map->PathOf("indexed_attributes") + "[" + std::to_string(i) +
                                  "]: must not be empty");
    }
  }
  TW_RETURN_IF_ERROR(map->CheckNoUnknownKeys());
  return OkStatus();
}

StatusOr<std::unique_ptr<TracewireExporterConfig>> ParseTracewireExporterConfig(
    const YAML::Node& node, std::string_view path) {
  return ParseConfigWith(FillTracewireExporterConfig, node, path);
}

StatusOr<const TracewireExporterConfig*> FindStoreConfig(const CollectorConfig& config) {
  const ComponentEntry* found = nullptr;
  for (const PipelineConfig& p : config.pipelines) {
    for (const std::string& id : p.exporters) {
      const ComponentEntry* e = config.FindExporter(id);
      if (e == nullptr || e->type != "tracewire" || e == found) continue;
      if (found != nullptr) {
        return InvalidArgumentError("exporters." + e->id +
                                    ": only one tracewire exporter may be "
                                    "used (it is the process's store; '" +
                                    found->id + "' is one already)");
      }
      found = e;
    }
  }
  if (found == nullptr) return static_cast<const TracewireExporterConfig*>(nullptr);
  return static_cast<const TracewireExporterConfig*>(found->config.get());
}

std::unique_ptr<ExporterFactory> NewTracewireExporterFactory() {
  return std::make_unique<TracewireExporterFactory>();
}

}  // namespace tracewire::collector
