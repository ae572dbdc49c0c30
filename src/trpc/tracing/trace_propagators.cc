#include "trpc/tracing/trace_propagators.h"

#include <array>
#include <utility>
#include <vector>

#include "trace/propagation/b3_propagator.h"
#include "trace/propagation/baggage_propagator.h"
#include "trace/propagation/binary_propagator.h"
#include "trace/propagation/composite_propagator.h"
#include "trace/propagation/trace_context_propagator.h"

namespace tracewire::trpc {

StatusOr<TraceInjectFormat> ParseTraceInjectFormat(std::string_view name) {
  if (name == "text") return TraceInjectFormat::kText;
  if (name == "binary") return TraceInjectFormat::kBinary;
  if (name == "both") return TraceInjectFormat::kBoth;
  return InvalidArgumentError("trace inject format must be text, binary or both, not \"" +
                              std::string(name) + "\"");
}

namespace internal {

namespace prop = trace::propagation;

std::unique_ptr<trace::TextMapPropagator> MakeExtractPropagator() {
  std::vector<std::unique_ptr<trace::TextMapPropagator>> members;
  members.push_back(std::make_unique<prop::TraceContextPropagator>());
  members.push_back(std::make_unique<prop::BinaryPropagator>());
  members.push_back(std::make_unique<prop::B3Propagator>());
  members.push_back(std::make_unique<prop::BaggagePropagator>());
  return std::make_unique<prop::CompositePropagator>(std::move(members));
}

std::unique_ptr<trace::TextMapPropagator> MakeInjectPropagator(TraceInjectFormat format) {
  std::vector<std::unique_ptr<trace::TextMapPropagator>> members;
  if (format != TraceInjectFormat::kBinary) {
    members.push_back(std::make_unique<prop::TraceContextPropagator>());
  }
  if (format != TraceInjectFormat::kText) {
    members.push_back(std::make_unique<prop::BinaryPropagator>(prop::BinaryValueEncoding::kRaw));
  }
  members.push_back(std::make_unique<prop::BaggagePropagator>());
  return std::make_unique<prop::CompositePropagator>(std::move(members));
}

std::span<const std::string_view> TraceKeys() {
  static constexpr std::array<std::string_view, 10> kKeys = {
      "traceparent",  "tracestate",  "baggage",      "grpc-trace-bin", "b3",
      "x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "x-b3-flags",     "x-b3-parentspanid"};
  return kKeys;
}

}  // namespace internal
}  // namespace tracewire::trpc
