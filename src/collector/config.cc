#include "collector/config.h"

#include <set>

#include "collector/config_reader.h"

namespace tracewire::collector {

namespace {

Status Bad(const std::string& path, std::string_view why) {
  return InvalidArgumentError(path + ": " + std::string(why));
}

const ComponentEntry* Find(const std::vector<ComponentEntry>& entries, std::string_view id) {
  for (const ComponentEntry& e : entries) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

// Parses every "type[/name]: {...}" entry of one top-level section with the registry's factories.
template <typename LookUp>
Status ParseSection(const YAML::Node& root, std::string_view kind, const Registry& registry,
                    LookUp look_up, std::vector<ComponentEntry>* out) {
  const std::string section(kind);
  const YAML::Node node = root[section];
  if (!node.IsDefined() || node.IsNull()) return OkStatus();
  if (!node.IsMap()) return Bad(section, "must be a mapping of component ids");
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) return Bad(section, "component ids must be plain strings");
    const std::string id = it->first.Scalar();
    std::string path = section;
    path.append(".").append(id);
    StatusOr<std::string> type = ComponentType(id, path);
    if (!type.ok()) return type.status();
    const auto* factory = look_up(*type);
    if (factory == nullptr) {
      return Bad(path, "unknown " + std::string(kind.substr(0, kind.size() - 1)) + " type '" +
                           *type + "' (known: " + registry.KnownTypes(kind) + ")");
    }
    StatusOr<std::unique_ptr<ComponentConfig>> config = factory->ParseConfig(it->second, path);
    if (!config.ok()) return config.status();
    out->push_back(ComponentEntry{id, *type, std::move(*config)});
  }
  return OkStatus();
}

// Reads one list of component ids of a pipeline and checks each is declared, once.
Status ReadIdList(ConfigMap& pipeline, std::string_view key, bool required,
                  std::string_view section, const std::vector<ComponentEntry>& declared,
                  std::vector<std::string>* out) {
  TW_RETURN_IF_ERROR(pipeline.ReadStringList(key, out));
  const std::string path = pipeline.PathOf(key);
  if (required && out->empty()) return Bad(path, "must name at least one component");
  std::set<std::string> seen;
  for (const std::string& id : *out) {
    if (Find(declared, id) == nullptr) {
      return Bad(path, "'" + id + "' is not declared under " + std::string(section));
    }
    if (!seen.insert(id).second) return Bad(path, "'" + id + "' is listed twice");
  }
  return OkStatus();
}

Status ParsePipelines(ConfigMap& service, CollectorConfig* config) {
  if (!service.Has("pipelines")) {
    return Bad(service.PathOf("pipelines"), "at least one pipeline is needed");
  }
  StatusOr<ConfigMap> pipelines = service.Sub("pipelines");
  if (!pipelines.ok()) return pipelines.status();
  for (const std::string& id : pipelines->Keys()) {
    const std::string path = pipelines->PathOf(id);
    StatusOr<std::string> type = ComponentType(id, path);
    if (!type.ok()) return type.status();
    PipelineConfig p;
    p.id = id;
    if (*type == "traces") {
      p.signal = Signal::kTraces;
    } else if (*type == "logs") {
      p.signal = Signal::kLogs;
    } else if (*type == "metrics" || *type == "profiles") {
      return Bad(path, *type + " pipelines are not supported (traces and logs are)");
    } else {
      return Bad(path, "unknown pipeline type '" + *type + "' (known: traces, logs)");
    }
    StatusOr<ConfigMap> body = pipelines->Sub(id);
    if (!body.ok()) return body.status();
    TW_RETURN_IF_ERROR(
        ReadIdList(*body, "receivers", true, "receivers", config->receivers, &p.receivers));
    TW_RETURN_IF_ERROR(
        ReadIdList(*body, "processors", false, "processors", config->processors, &p.processors));
    TW_RETURN_IF_ERROR(
        ReadIdList(*body, "exporters", true, "exporters", config->exporters, &p.exporters));
    TW_RETURN_IF_ERROR(body->CheckNoUnknownKeys());
    config->pipelines.push_back(std::move(p));
  }
  if (config->pipelines.empty()) {
    return Bad(pipelines->path(), "at least one pipeline is needed");
  }
  return OkStatus();
}

Status ParseTelemetry(ConfigMap& service, CollectorConfig* config) {
  StatusOr<ConfigMap> telemetry = service.Sub("telemetry");
  if (!telemetry.ok()) return telemetry.status();
  StatusOr<ConfigMap> logs = telemetry->Sub("logs");
  if (!logs.ok()) return logs.status();
  TW_RETURN_IF_ERROR(
      logs->ReadEnum("level", {"debug", "info", "warn", "error"}, &config->log_level));
  TW_RETURN_IF_ERROR(logs->CheckNoUnknownKeys());
  return telemetry->CheckNoUnknownKeys();
}

// Warns about receivers and exporters no pipeline uses (they are not built).
void WarnUnused(const std::vector<ComponentEntry>& entries, std::string_view section,
                std::vector<std::string> PipelineConfig::*list, CollectorConfig* config) {
  for (const ComponentEntry& e : entries) {
    bool used = false;
    for (const PipelineConfig& p : config->pipelines) {
      for (const std::string& id : p.*list) used = used || id == e.id;
    }
    if (!used) {
      config->warnings.push_back(std::string(section) + "." + e.id +
                                 ": declared but used by no pipeline (ignored)");
    }
  }
}

StatusOr<CollectorConfig> ParseRoot(const YAML::Node& root, const Registry& registry) {
  CollectorConfig config;
  if (!root.IsDefined() || root.IsNull()) {
    return InvalidArgumentError("<config>: empty; a service with pipelines is needed");
  }
  StatusOr<ConfigMap> top = ConfigMap::Open(root, "");
  if (!top.ok()) return InvalidArgumentError("<config>: must be a mapping of sections");
  for (const std::string& key : top->Keys()) {
    if (key == "connectors") return Bad(key, "connectors are not supported");
  }
  for (std::string_view key : {"receivers", "processors", "exporters", "extensions", "service"}) {
    (void)top->Has(key);
  }
  TW_RETURN_IF_ERROR(top->CheckNoUnknownKeys());
  TW_RETURN_IF_ERROR(ParseSection(
      root, "receivers", registry, [&](std::string_view t) { return registry.receiver(t); },
      &config.receivers));
  TW_RETURN_IF_ERROR(ParseSection(
      root, "processors", registry, [&](std::string_view t) { return registry.processor(t); },
      &config.processors));
  TW_RETURN_IF_ERROR(ParseSection(
      root, "exporters", registry, [&](std::string_view t) { return registry.exporter(t); },
      &config.exporters));
  TW_RETURN_IF_ERROR(ParseSection(
      root, "extensions", registry, [&](std::string_view t) { return registry.extension(t); },
      &config.extensions));

  if (!top->Has("service")) return Bad("service", "missing (it lists the pipelines)");
  StatusOr<ConfigMap> service = top->Sub("service");
  if (!service.ok()) return service.status();
  TW_RETURN_IF_ERROR(ParsePipelines(*service, &config));
  TW_RETURN_IF_ERROR(service->ReadStringList("extensions", &config.service_extensions));
  std::set<std::string> seen;
  for (const std::string& id : config.service_extensions) {
    if (config.FindExtension(id) == nullptr) {
      return Bad(service->PathOf("extensions"), "'" + id + "' is not declared under extensions");
    }
    if (!seen.insert(id).second) {
      return Bad(service->PathOf("extensions"), "'" + id + "' is listed twice");
    }
  }
  TW_RETURN_IF_ERROR(ParseTelemetry(*service, &config));
  TW_RETURN_IF_ERROR(service->CheckNoUnknownKeys());

  WarnUnused(config.receivers, "receivers", &PipelineConfig::receivers, &config);
  WarnUnused(config.exporters, "exporters", &PipelineConfig::exporters, &config);
  return config;
}

}  // namespace

StatusOr<std::string> ComponentType(std::string_view id, std::string_view path) {
  const size_t slash = id.find('/');
  const std::string_view type = id.substr(0, slash);
  if (type.empty() || (slash != std::string_view::npos && slash + 1 == id.size())) {
    return Bad(std::string(path),
               "a component id is type or type/name, not '" + std::string(id) + "'");
  }
  for (char c : type) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return Bad(std::string(path), "bad component type '" + std::string(type) + "'");
    }
  }
  return std::string(type);
}

const ComponentEntry* CollectorConfig::FindReceiver(std::string_view id) const {
  return Find(receivers, id);
}
const ComponentEntry* CollectorConfig::FindProcessor(std::string_view id) const {
  return Find(processors, id);
}
const ComponentEntry* CollectorConfig::FindExporter(std::string_view id) const {
  return Find(exporters, id);
}
const ComponentEntry* CollectorConfig::FindExtension(std::string_view id) const {
  return Find(extensions, id);
}

StatusOr<CollectorConfig> ParseCollectorConfig(const YAML::Node& root, const Registry& registry) {
  // yaml-cpp may throw on odd documents even through its const accessors: the boundary is here.
  try {
    return ParseRoot(root, registry);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError("<config>: YAML error at line " + std::to_string(e.mark.line + 1) +
                                ": " + e.msg);
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("<config>: ") + e.what());
  }
}

StatusOr<CollectorConfig> ParseCollectorConfig(std::string_view yaml_text,
                                               const Registry& registry) {
  StatusOr<YAML::Node> root = LoadYaml(yaml_text);
  if (!root.ok()) return root.status();
  return ParseCollectorConfig(*root, registry);
}

}  // namespace tracewire::collector
