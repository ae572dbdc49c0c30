#include "sidecar/propagation.h"

#include <array>

#include "trace/propagation/b3_propagator.h"
#include "trace/propagation/baggage_propagator.h"
#include "trace/propagation/binary_propagator.h"
#include "trace/propagation/composite_propagator.h"
#include "trace/propagation/trace_context_propagator.h"

namespace tracewire::sidecar {
namespace {

namespace prop = trace::propagation;

std::unique_ptr<trace::TextMapPropagator> MakeInject(const InjectConfig& inject,
                                                     prop::BinaryValueEncoding binary) {
  std::vector<std::unique_ptr<trace::TextMapPropagator>> list;
  list.push_back(std::make_unique<prop::TraceContextPropagator>());
  list.push_back(std::make_unique<prop::BaggagePropagator>());
  if (inject.grpc_trace_bin) list.push_back(std::make_unique<prop::BinaryPropagator>(binary));
  if (inject.b3_single) {
    list.push_back(std::make_unique<prop::B3Propagator>(prop::B3InjectFormat::kSingle));
  }
  if (inject.b3_multi) {
    list.push_back(std::make_unique<prop::B3Propagator>(prop::B3InjectFormat::kMulti));
  }
  return std::make_unique<prop::CompositePropagator>(std::move(list));
}

}  // namespace

Propagators MakePropagators(const InjectConfig& inject) {
  std::vector<std::unique_ptr<trace::TextMapPropagator>> extract;
  extract.push_back(std::make_unique<prop::TraceContextPropagator>());
  extract.push_back(std::make_unique<prop::BinaryPropagator>());
  extract.push_back(std::make_unique<prop::B3Propagator>());
  extract.push_back(std::make_unique<prop::BaggagePropagator>());
  Propagators out;
  out.extract = std::make_unique<prop::CompositePropagator>(std::move(extract));
  out.inject = MakeInject(inject, prop::BinaryValueEncoding::kRaw);
  out.inject_http = MakeInject(inject, prop::BinaryValueEncoding::kBase64);
  return out;
}

std::span<const std::string_view> TraceKeys() {
  static constexpr std::array<std::string_view, 10> kKeys = {
      "traceparent",  "tracestate",  "baggage",           "grpc-trace-bin", "b3",
      "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled",   "x-b3-flags",
  };
  return kKeys;
}

std::optional<std::string_view> TransInfoViewCarrier::Get(std::string_view key) const {
  const std::string_view* value = trpc::FindTransInfo(view_, key);
  if (value == nullptr) return std::nullopt;
  return *value;
}

std::optional<std::string_view> EntryListCarrier::Get(std::string_view key) const {
  for (size_t i = 0; i < used_; ++i) {
    if (entries_[i].first == key) return entries_[i].second;
  }
  return std::nullopt;
}

void EntryListCarrier::Set(std::string_view key, std::string_view value) {
  for (size_t i = 0; i < used_; ++i) {
    if (entries_[i].first == key) {
      entries_[i].second.assign(value);
      return;
    }
  }
  if (used_ == entries_.size()) entries_.emplace_back();
  entries_[used_].first.assign(key);
  entries_[used_].second.assign(value);
  ++used_;
}

std::span<const std::pair<std::string_view, std::string_view>> EntryListCarrier::Entries() {
  views_.clear();
  for (size_t i = 0; i < used_; ++i) views_.emplace_back(entries_[i].first, entries_[i].second);
  return views_;
}

}  // namespace tracewire::sidecar
