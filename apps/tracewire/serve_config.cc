#include "apps/tracewire/serve_config.h"

#include <fstream>
#include <sstream>

#include "collector/config.h"
#include "collector/config_reader.h"

namespace tracewire::apps {

namespace {

constexpr std::string_view kDefaultConfig =
    R"(# tracewire serve: the all-in-one default (`tracewire serve --print-config > tracewire.yaml`
# to start your own; keys as in the OpenTelemetry Collector).
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: localhost:4317
      http:
        endpoint: localhost:4318
  zipkin:
    endpoint: localhost:9411

processors:
  memory_limiter:
    check_interval: 1s
    limit_percentage: 80
    spike_limit_percentage: 20
  limits:
    max_attribute_value_bytes: 16384
    max_spans_per_trace: 100000
  # Not in the store's pipelines: an ack waits until the spans are durable, and the store's
  # write-ahead log already groups concurrent requests into one write. Add it in front of
  # otlp/otlphttp exporters, which gain from large requests (docs/decisions/0007).
  batch:
    send_batch_size: 8192
    timeout: 200ms

exporters:
  tracewire:
    data_dir: ./tracewire-data
    sync: always
    retention:
      max_age: 72h

extensions:
  tracewire_query:
    endpoint: localhost:16686
    # ui_dir: ui/dist   # the built web UI; default: ui/dist found from the executable

service:
  extensions: [tracewire_query]
  telemetry:
    logs:
      level: info
  pipelines:
    traces:
      receivers: [otlp, zipkin]
      processors: [memory_limiter, limits]
      exporters: [tracewire]
    logs:
      receivers: [otlp]
      processors: [memory_limiter, limits]
      exporters: [tracewire]
)";

Status CheckHostPort(std::string_view flag, const std::string& value) {
  StatusOr<collector::HostPort> hp = collector::ParseHostPort(value);
  if (!hp.ok()) return InvalidArgumentError(std::string(flag) + ": " + hp.status().message());
  return OkStatus();
}

// The id of the first component of `type` under root[section], or "".
std::string FirstOfType(const YAML::Node& root, const std::string& section, std::string_view type) {
  const YAML::Node node = root[section];
  if (!node.IsMap()) return "";
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::string id = it->first.as<std::string>();
    if (id == type || id.rfind(std::string(type) + "/", 0) == 0) return id;
  }
  return "";
}

Status Override(YAML::Node& root, const ServeFlags& f) {
  if (!f.otlp_grpc.empty() || !f.otlp_http.empty()) {
    const std::string id = FirstOfType(root, "receivers", "otlp");
    if (id.empty()) {
      return InvalidArgumentError(std::string(f.otlp_grpc.empty() ? "--otlp-http" : "--otlp-grpc") +
                                  ": the config has no otlp receiver");
    }
    if (!f.otlp_grpc.empty()) {
      TW_RETURN_IF_ERROR(CheckHostPort("--otlp-grpc", f.otlp_grpc));
      root["receivers"][id]["protocols"]["grpc"]["endpoint"] = f.otlp_grpc;
    }
    if (!f.otlp_http.empty()) {
      TW_RETURN_IF_ERROR(CheckHostPort("--otlp-http", f.otlp_http));
      root["receivers"][id]["protocols"]["http"]["endpoint"] = f.otlp_http;
    }
  }
  if (!f.zipkin.empty()) {
    TW_RETURN_IF_ERROR(CheckHostPort("--zipkin", f.zipkin));
    const std::string id = FirstOfType(root, "receivers", "zipkin");
    if (id.empty()) return InvalidArgumentError("--zipkin: the config has no zipkin receiver");
    root["receivers"][id]["endpoint"] = f.zipkin;
  }
  if (!f.data_dir.empty()) {
    const std::string id = FirstOfType(root, "exporters", "tracewire");
    if (id.empty()) return InvalidArgumentError("--data-dir: the config has no tracewire exporter");
    root["exporters"][id]["data_dir"] = f.data_dir;
  }
  if (!f.http.empty()) {
    TW_RETURN_IF_ERROR(CheckHostPort("--http", f.http));
    std::string id = FirstOfType(root, "extensions", "tracewire_query");
    if (id.empty()) id = "tracewire_query";
    root["extensions"][id]["endpoint"] = f.http;
    YAML::Node enabled = root["service"]["extensions"];
    bool listed = false;
    if (enabled.IsSequence()) {
      for (size_t i = 0; i < enabled.size(); ++i) listed = listed || enabled[i].Scalar() == id;
    }
    if (!listed) root["service"]["extensions"].push_back(id);
  }
  return OkStatus();
}

}  // namespace

Status LoadServeConfigInto(const ServeFlags& flags, YAML::Node* out);

std::string_view DefaultServeConfig() { return kDefaultConfig; }

Status LoadServeConfigInto(const ServeFlags& flags, YAML::Node* out) {
  std::string text(kDefaultConfig);
  if (!flags.config_file.empty()) {
    std::ifstream in(flags.config_file, std::ios::binary);
    if (!in) return InvalidArgumentError("--config: cannot read " + flags.config_file);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  StatusOr<YAML::Node> root = collector::LoadYaml(text);
  if (!root.ok()) {
    const std::string where = flags.config_file.empty() ? "<default config>" : flags.config_file;
    return InvalidArgumentError(where + ": " + root.status().message());
  }
  try {
    if (!root->IsMap()) {
      if (flags.otlp_grpc.empty() && flags.otlp_http.empty() && flags.zipkin.empty() &&
          flags.data_dir.empty() && flags.http.empty()) {
        *out = *root;  // the config parser names the problem
        return OkStatus();
      }
      return InvalidArgumentError(flags.config_file + ": not a mapping of sections");
    }
    TW_RETURN_IF_ERROR(Override(*root, flags));
    *out = *root;
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(flags.config_file + ": cannot apply the flags: " + e.msg);
  }
  return OkStatus();
}

StatusOr<YAML::Node> LoadServeConfig(const ServeFlags& flags) {
  YAML::Node root;
  TW_RETURN_IF_ERROR(LoadServeConfigInto(flags, &root));
  return root;
}

StatusOr<std::string> PrintableServeConfig(const ServeFlags& flags) {
  if (flags.config_file.empty() && flags.otlp_grpc.empty() && flags.otlp_http.empty() &&
      flags.zipkin.empty() && flags.data_dir.empty() && flags.http.empty()) {
    return std::string(kDefaultConfig);
  }
  YAML::Node root;
  TW_RETURN_IF_ERROR(LoadServeConfigInto(flags, &root));
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

}  // namespace tracewire::apps
