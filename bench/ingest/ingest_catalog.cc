#include "ingest_catalog.h"

#include <array>
#include <string_view>

namespace tracewire::bench {
namespace {

using opentelemetry::proto::common::v1::KeyValue;

constexpr std::array<std::string_view, 10> kApps = {"shop", "pay",   "user", "search", "ads",
                                                    "feed", "media", "msg",  "risk",   "logi"};
constexpr std::array<std::string_view, 5> kRoleNames = {"gateway", "api", "logic", "data",
                                                        "worker"};
constexpr std::array<std::string_view, 4> kLanguages = {"cpp", "go", "java", "python"};
constexpr std::array<std::string_view, 12> kVerbs = {"Get",    "List",  "Create", "Update",
                                                     "Delete", "Batch", "Query",  "Check",
                                                     "Sync",   "Count", "Lock",   "Notify"};
constexpr std::array<std::string_view, 10> kNouns = {
    "Order", "Item", "User", "Account", "Quota", "Session", "Price", "Stock", "Feed", "Profile"};
constexpr std::array<std::string_view, 5> kHttpMethods = {"GET", "GET", "POST", "PUT", "DELETE"};

std::string Capitalized(std::string_view s) {
  std::string out(s);
  if (!out.empty()) out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::vector<std::string> MakeOperations(const Service& s, Rng& rng) {
  std::vector<std::string> ops;
  for (int i = 0; i < 10; ++i) {
    const std::string noun(kNouns[(i + rng.Below(3)) % kNouns.size()]);
    const std::string verb(kVerbs[(i * 5 + rng.Below(2)) % kVerbs.size()]);
    switch (s.role) {
      case Role::kGateway: {
        std::string path = "/api/v" + std::to_string(1 + i % 2) + "/" + s.app + "/";
        path += noun == "Order" ? "orders" : "items";
        path += i % 3 == 0 ? "/{id}" : "/" + std::to_string(i);
        ops.push_back(std::string(kHttpMethods[i % kHttpMethods.size()]) + " " + path);
        break;
      }
      case Role::kWorker: {
        std::string name = i % 2 == 0 ? "consume " : "job ";
        name.append(s.app).append(".").append(verb).append(noun);
        ops.push_back(std::move(name));
        break;
      }
      default: {
        std::string name = "/";
        name.append(s.rpc_service).append("/").append(verb).append(noun);
        if (i >= 8) name.append("V2");
        ops.push_back(std::move(name));
      }
    }
  }
  // Names must be distinct within a service.
  for (size_t i = 0; i < ops.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (ops[i] == ops[j]) ops[i] += "_" + std::to_string(i);
  return ops;
}

void AddString(google::protobuf::RepeatedPtrField<KeyValue>* kv, std::string_view key,
               std::string_view value) {
  KeyValue* a = kv->Add();
  a->set_key(std::string(key));
  a->mutable_value()->set_string_value(std::string(value));
}

}  // namespace

Catalog BuildCatalog(uint64_t seed, int apps) {
  Rng rng(seed ^ 0xc0ffee);
  Catalog c;
  const int n_apps = std::min<int>(apps, static_cast<int>(kApps.size()));
  for (int a = 0; a < n_apps; ++a) {
    for (int r = 0; r < static_cast<int>(kRoleNames.size()); ++r) {
      Service s;
      s.app = std::string(kApps[a]);
      s.role = static_cast<Role>(r);
      s.name = "trpc." + s.app + "." + std::string(kRoleNames[r]);
      s.rpc_service = s.name + "." + Capitalized(kRoleNames[r]);
      s.db_system = s.role == Role::kData ? "mysql" : s.role == Role::kLogic ? "redis" : "";
      s.host_prefix = s.app + "-" + std::string(kRoleNames[r]) + "-";
      s.language = std::string(kLanguages[(a + r) % kLanguages.size()]);
      s.instances = 2 + static_cast<int>(rng.Below(4));
      s.operations = MakeOperations(s, rng);
      c.services.push_back(std::move(s));
    }
  }
  // Calls go only to higher roles (no cycles): same app first, then one or two other apps.
  const int n = static_cast<int>(c.services.size());
  for (int i = 0; i < n; ++i) {
    Service& s = c.services[i];
    const int role = static_cast<int>(s.role);
    auto index = [](int app, int r) { return app * 5 + r; };
    const int app = i / 5;
    auto add = [&](int target) {
      for (int d : s.downstream)
        if (d == target) return;
      s.downstream.push_back(target);
    };
    if (s.role == Role::kWorker) {
      add(index(app, 2));
      add(index(app, 3));
      continue;
    }
    if (role < 3) add(index(app, role + 1));
    const int extra = role < 3 ? 1 + static_cast<int>(rng.Below(2)) : 0;
    for (int e = 0; e < extra; ++e)
      add(index(static_cast<int>(rng.Below(static_cast<uint32_t>(n_apps))),
                role + 1 + static_cast<int>(rng.Below(static_cast<uint32_t>(3 - role)))));
  }
  return c;
}

opentelemetry::proto::resource::v1::Resource MakeResource(const Service& s, int instance) {
  opentelemetry::proto::resource::v1::Resource r;
  auto* kv = r.mutable_attributes();
  const std::string host = s.host_prefix + std::to_string(instance);
  AddString(kv, "service.name", s.name);
  AddString(kv, "service.namespace", s.app);
  AddString(kv, "service.version", "1." + std::to_string(s.name.size() % 7) + ".3");
  AddString(kv, "service.instance.id", host + "-" + std::to_string(Mix64(instance) % 100000));
  AddString(kv, "host.name", host + ".sz.internal");
  AddString(kv, "deployment.environment.name", "production");
  AddString(kv, "telemetry.sdk.name", "opentelemetry");
  AddString(kv, "telemetry.sdk.language", s.language);
  AddString(kv, "cloud.region", instance % 2 == 0 ? "ap-guangzhou" : "ap-shanghai");
  KeyValue* pid = kv->Add();
  pid->set_key("process.pid");
  pid->mutable_value()->set_int_value(1000 + static_cast<int64_t>(Mix64(instance + 7) % 30000));
  return r;
}

}  // namespace tracewire::bench
