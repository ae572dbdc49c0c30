#include "trace/propagation/propagator_from_env.h"

#include <algorithm>
#include <string>
#include <vector>

#include "trace/propagation/b3_propagator.h"
#include "trace/propagation/baggage_propagator.h"
#include "trace/propagation/binary_propagator.h"
#include "trace/propagation/composite_propagator.h"
#include "trace/propagation/trace_context_propagator.h"

namespace tracewire::trace::propagation {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::unique_ptr<TextMapPropagator> MakeByName(const std::string& name) {
  if (name == "tracecontext") return std::make_unique<TraceContextPropagator>();
  if (name == "baggage") return std::make_unique<BaggagePropagator>();
  if (name == "b3") return std::make_unique<B3Propagator>(B3InjectFormat::kSingle);
  if (name == "b3multi") return std::make_unique<B3Propagator>(B3InjectFormat::kMulti);
  if (name == "grpc-trace-bin") return std::make_unique<BinaryPropagator>();
  return nullptr;
}

}  // namespace

StatusOr<std::unique_ptr<TextMapPropagator>> MakePropagatorFromEnvValue(
    std::string_view otel_propagators) {
  if (Trim(otel_propagators).empty()) otel_propagators = kDefaultOtelPropagators;
  std::vector<std::string> seen;
  std::vector<std::unique_ptr<TextMapPropagator>> members;
  std::string unknown;
  while (true) {
    const size_t comma = otel_propagators.find(',');
    const std::string name = ToLower(Trim(otel_propagators.substr(0, comma)));
    if (!name.empty() && name != "none" &&
        std::find(seen.begin(), seen.end(), name) == seen.end()) {
      seen.push_back(name);
      if (auto p = MakeByName(name)) {
        members.push_back(std::move(p));
      } else {
        unknown += (unknown.empty() ? "\"" : ", \"") + name + "\"";
      }
    }
    if (comma == std::string_view::npos) break;
    otel_propagators.remove_prefix(comma + 1);
  }
  if (!unknown.empty()) {
    return InvalidArgumentError(
        "OTEL_PROPAGATORS: unknown or unsupported propagator(s) " + unknown +
        "; known: tracecontext, baggage, b3, b3multi, grpc-trace-bin, none");
  }
  return std::unique_ptr<TextMapPropagator>(
      std::make_unique<CompositePropagator>(std::move(members)));
}

}  // namespace tracewire::trace::propagation
