// The simulated system behind the ingest benchmark's spans: ~50 tRPC/HTTP services in 10 apps,
// each with 10 operations, instances, resource attributes and downstream dependencies (a DAG:
// gateway → api → logic → data, workers → logic/data). Deterministic for a seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "opentelemetry/proto/resource/v1/resource.pb.h"

namespace tracewire::bench {

// splitmix64's finalizer: a bijection on 64-bit values (distinct inputs → distinct outputs).
inline uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// A small deterministic PRNG (splitmix64), the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return Mix64(state_ += 0x9e3779b97f4a7c15ull); }
  // Uniform in [0, n); REQUIRES n > 0.
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(Next() % n); }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(static_cast<uint32_t>(v.size()))];
  }

 private:
  uint64_t state_;
};

enum class Role { kGateway, kApi, kLogic, kData, kWorker };

struct Service {
  std::string name;         // service.name, e.g. "trpc.shop.order"
  std::string app;          // service.namespace, e.g. "shop"
  std::string rpc_service;  // e.g. "trpc.shop.order.Order" (tRPC roles)
  Role role = Role::kApi;
  std::vector<std::string> operations;  // server-side span names (10)
  std::vector<int> downstream;          // indices of services it calls
  std::string db_system;                // "mysql", "redis" or "" (none)
  std::string host_prefix;              // host names: host_prefix + instance
  std::string language;                 // telemetry.sdk.language
  int instances = 4;
};

struct Catalog {
  std::vector<Service> services;
};

// Builds the catalogue: `apps` apps × 5 roles, 10 operations each.
Catalog BuildCatalog(uint64_t seed, int apps = 10);

// The resource of one instance of `service` (service.*, host.*, telemetry.sdk.*, process.*,
// cloud.*, deployment.environment.name: 10 attributes).
opentelemetry::proto::resource::v1::Resource MakeResource(const Service& service, int instance);

}  // namespace tracewire::bench
