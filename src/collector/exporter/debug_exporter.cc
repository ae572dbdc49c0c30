#include "collector/exporter/debug_exporter.h"

#include <cstdio>
#include <mutex>

#include "collector/config_reader.h"
#include "collector/exporter/exporter_factories.h"

namespace tracewire::collector {

Status FillDebugExporterConfig(const YAML::Node& node, std::string_view path,
                               DebugExporterConfig* c);

namespace {

using model::AnyValue;
using model::ValueType;

void AppendValue(std::string& out, const AnyValue& v) {
  switch (v.type()) {
    case ValueType::kEmpty: out += "<empty>"; break;
    case ValueType::kString:
      out += "\"" + std::string(v.string_value().substr(0, 256)) + "\"";
      break;
    case ValueType::kBool: out += v.bool_value() ? "true" : "false"; break;
    case ValueType::kInt: out += std::to_string(v.int_value()); break;
    case ValueType::kDouble: out += std::to_string(v.double_value()); break;
    case ValueType::kBytes: out += "<" + std::to_string(v.string_value().size()) + " bytes>"; break;
    case ValueType::kArray: {
      out += "[";
      for (size_t i = 0; i < v.array_value().size(); ++i) {
        if (i) out += ", ";
        AppendValue(out, v.array_value()[i]);
      }
      out += "]";
      break;
    }
    case ValueType::kKvList: {
      out += "{";
      for (size_t i = 0; i < v.kvlist_value().size(); ++i) {
        if (i) out += ", ";
        out += std::string(v.kvlist_value()[i].key) + "=";
        AppendValue(out, v.kvlist_value()[i].value);
      }
      out += "}";
      break;
    }
  }
}

void AppendAttributes(std::string& out, std::span<const model::KeyValue> attrs) {
  for (const model::KeyValue& kv : attrs) {
    out += " " + std::string(kv.key) + "=";
    AppendValue(out, kv.value);
  }
}

std::string_view ServiceOf(const std::vector<model::Resource>& resources, uint32_t index) {
  return index < resources.size() ? resources[index].service_name : std::string_view();
}

class DebugExporter final : public Exporter {
 public:
  DebugExporter(std::string id, const DebugExporterConfig& config)
      : id_(std::move(id)), config_(config) {}

  const std::string& id() const override { return id_; }
  Status Start() override { return OkStatus(); }
  Status Shutdown() override { return OkStatus(); }

  void ConsumeTraces(std::shared_ptr<model::SpanBatch> batch, ConsumeDone done) override {
    std::lock_guard lock(mutex_);  // keeps one batch's lines together
    Write(id_ + ": traces: " + std::to_string(batch->resources.size()) + " resources, " +
          std::to_string(batch->spans.size()) + " spans");
    if (config_.verbosity != DebugVerbosity::kBasic) {
      for (const model::Span& s : batch->spans) {
        std::string line =
            "  span " + s.trace_id.ToHex() + "/" + s.span_id.ToHex() +
            " parent=" + s.parent_span_id.ToHex() +
            " service=" + std::string(ServiceOf(batch->resources, s.resource_index)) +
            " name=" + std::string(s.name) +
            " duration_ns=" + std::to_string(s.end_time_unix_nano - s.start_time_unix_nano) +
            " status=" + std::to_string(static_cast<int>(s.status_code));
        if (config_.verbosity == DebugVerbosity::kDetailed) AppendAttributes(line, s.attributes);
        Write(line);
      }
    }
    done(OkStatus());
  }

  void ConsumeLogs(std::shared_ptr<model::LogBatch> batch, ConsumeDone done) override {
    std::lock_guard lock(mutex_);
    Write(id_ + ": logs: " + std::to_string(batch->resources.size()) + " resources, " +
          std::to_string(batch->records.size()) + " log records");
    if (config_.verbosity != DebugVerbosity::kBasic) {
      for (const model::LogRecord& r : batch->records) {
        std::string line =
            "  log trace=" + r.trace_id.ToHex() + " span=" + r.span_id.ToHex() +
            " service=" + std::string(ServiceOf(batch->resources, r.resource_index)) +
            " severity=" + std::to_string(r.severity_number) + " body=";
        AppendValue(line, r.body);
        if (config_.verbosity == DebugVerbosity::kDetailed) AppendAttributes(line, r.attributes);
        Write(line);
      }
    }
    done(OkStatus());
  }

 private:
  void Write(const std::string& line) const {
    if (config_.sink) return config_.sink(line);
    std::fprintf(stderr, "%s\n", line.c_str());
  }

  const std::string id_;
  const DebugExporterConfig config_;
  std::mutex mutex_;
};

class DebugExporterFactory final : public ExporterFactory {
 public:
  std::string_view type() const override { return "debug"; }
  StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                         std::string_view path) const override {
    return ParseConfigWith<DebugExporterConfig, ComponentConfig>(FillDebugExporterConfig, node,
                                                                 path);
  }
  StatusOr<std::unique_ptr<Exporter>> Create(std::string id, const ComponentConfig& config,
                                             const BuildContext&) const override {
    return NewDebugExporter(std::move(id), static_cast<const DebugExporterConfig&>(config));
  }
};

}  // namespace

Status FillDebugExporterConfig(const YAML::Node& node, std::string_view path,
                               DebugExporterConfig* c) {
  StatusOr<ConfigMap> map = ConfigMap::Open(node, std::string(path));
  if (!map.ok()) return map.status();
  std::string verbosity = "basic";
  TW_RETURN_IF_ERROR(map->ReadEnum("verbosity", {"basic", "normal", "detailed"}, &verbosity));
  c->verbosity = verbosity == "basic"    ? DebugVerbosity::kBasic
                 : verbosity == "normal" ? DebugVerbosity::kNormal
                                         : DebugVerbosity::kDetailed;
  // Accepted for compatibility with OTel configs; every batch is written.
  uint64_t unused = 0;
  TW_RETURN_IF_ERROR(map->ReadUint("sampling_initial", 0, UINT32_MAX, &unused));
  TW_RETURN_IF_ERROR(map->ReadUint("sampling_thereafter", 0, UINT32_MAX, &unused));
  bool unused_bool = false;
  TW_RETURN_IF_ERROR(map->ReadBool("use_internal_logger", &unused_bool));
  TW_RETURN_IF_ERROR(map->CheckNoUnknownKeys());
  return OkStatus();
}

StatusOr<std::unique_ptr<DebugExporterConfig>> ParseDebugExporterConfig(const YAML::Node& node,
                                                                        std::string_view path) {
  return ParseConfigWith(FillDebugExporterConfig, node, path);
}

std::unique_ptr<Exporter> NewDebugExporter(std::string id, const DebugExporterConfig& config) {
  return std::make_unique<DebugExporter>(std::move(id), config);
}

std::unique_ptr<ExporterFactory> NewDebugExporterFactory() {
  return std::make_unique<DebugExporterFactory>();
}

}  // namespace tracewire::collector
