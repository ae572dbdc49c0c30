// Encoders on arbitrary span contents (any bytes in names, keys and values): the protobuf
// output must parse with the generated classes and the JSON output with nlohmann_json.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/trace_json_encoder.h"
#include "otlp/trace_proto_encoder.h"

namespace {

using tracewire::trace::AttributeValue;

AttributeValue Value(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange(0, 7)) {
    case 0: return in.ConsumeRandomLengthString(64);
    case 1: return in.ConsumeBool();
    case 2: return in.ConsumeIntegral<int64_t>();
    case 3: return in.ConsumeFloatingPoint<double>();
    case 4:
      return std::vector<std::string>{in.ConsumeRandomLengthString(16),
                                      in.ConsumeRandomLengthString(16)};
    case 5: return std::vector<bool>{in.ConsumeBool()};
    case 6: return std::vector<int64_t>{in.ConsumeIntegral<int64_t>()};
    default: return std::vector<double>{in.ConsumeFloatingPoint<double>()};
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace trace = tracewire::trace;
  FuzzedDataProvider in(data, size);
  trace::Resource resource;
  resource.attributes.push_back({in.ConsumeRandomLengthString(16), Value(in)});
  trace::InstrumentationScope scope;
  scope.name = in.ConsumeRandomLengthString(16);
  std::vector<trace::SpanData> spans(in.ConsumeIntegralInRange(1, 4));
  std::vector<const trace::SpanData*> batch;
  for (auto& s : spans) {
    s.name = in.ConsumeRandomLengthString(32);
    s.kind = static_cast<trace::SpanKind>(in.ConsumeIntegralInRange(0, 5));
    s.start_unix_nano = in.ConsumeIntegral<uint64_t>();
    s.flags = trace::TraceFlags(in.ConsumeIntegral<uint8_t>());
    for (int i = in.ConsumeIntegralInRange(0, 4); i > 0; --i) {
      s.attributes.push_back({in.ConsumeRandomLengthString(16), Value(in)});
    }
    if (in.ConsumeBool()) s.events.push_back({in.ConsumeRandomLengthString(16), 1, {}, 0});
    s.status.message = in.ConsumeRandomLengthString(16);
    s.status.code = static_cast<trace::SpanStatusCode>(in.ConsumeIntegralInRange(0, 2));
    if (in.ConsumeBool()) s.resource = &resource;
    if (in.ConsumeBool()) s.scope = &scope;
    batch.push_back(&s);
  }

  tracewire::otlp::TraceProtoEncoder proto;
  std::string out;
  if (!proto.Encode(batch, out).ok()) std::abort();
  opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest request;
  if (!request.ParseFromString(out)) std::abort();
  std::string reserialized;
  if (!request.SerializeToString(&reserialized) || reserialized != out) std::abort();

  tracewire::otlp::TraceJsonEncoder json;
  json.Encode(batch, out);
  if (nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false).is_discarded()) std::abort();
  return 0;
}
