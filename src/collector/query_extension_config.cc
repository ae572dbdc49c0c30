#include "collector/query_extension_config.h"

namespace tracewire::collector {

namespace {

class QueryExtensionFactory final : public ExtensionFactory {
 public:
  std::string_view type() const override { return "tracewire_query"; }
  StatusOr<std::unique_ptr<ComponentConfig>> ParseConfig(const YAML::Node& node,
                                                         std::string_view path) const override {
    StatusOr<ConfigMap> map = ConfigMap::Open(node, std::string(path));
    if (!map.ok()) return map.status();
    auto c = std::make_unique<QueryExtensionConfig>();
    std::string endpoint;
    TW_RETURN_IF_ERROR(map->ReadString("endpoint", &endpoint));
    if (!endpoint.empty()) {
      StatusOr<HostPort> hp = ParseHostPort(endpoint);
      if (!hp.ok())
        return InvalidArgumentError(map->PathOf("endpoint") + ": " + hp.status().message());
      c->endpoint = *hp;
    }
    StatusOr<ConfigMap> auth = map->Sub("auth");
    if (!auth.ok()) return auth.status();
    TW_RETURN_IF_ERROR(auth->ReadString("bearer_token", &c->bearer_token));
    TW_RETURN_IF_ERROR(auth->CheckNoUnknownKeys());
    TW_RETURN_IF_ERROR(map->ReadUint("max_search_limit", 1, 100000, &c->max_search_limit));
    TW_RETURN_IF_ERROR(map->ReadString("ui_dir", &c->ui_dir));
    TW_RETURN_IF_ERROR(map->CheckNoUnknownKeys());
    return std::unique_ptr<ComponentConfig>(std::move(c));
  }
};

}  // namespace

std::unique_ptr<ExtensionFactory> NewQueryExtensionFactory() {
  return std::make_unique<QueryExtensionFactory>();
}

std::vector<const QueryExtensionConfig*> EnabledQueryExtensions(const CollectorConfig& config) {
  std::vector<const QueryExtensionConfig*> out;
  for (const std::string& id : config.service_extensions) {
    const ComponentEntry* e = config.FindExtension(id);
    if (e != nullptr && e->type == "tracewire_query") {
      out.push_back(static_cast<const QueryExtensionConfig*>(e->config.get()));
    }
  }
  return out;
}

}  // namespace tracewire::collector
