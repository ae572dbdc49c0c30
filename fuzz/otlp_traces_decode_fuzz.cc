// DecodeTracesProto and DecodeTracesJson on arbitrary bytes: a typed error or a batch, never a
// crash; a decoded batch survives re-encoding to both formats unchanged.
#include <cstddef>
#include <cstdint>
#include <string>

#include "otlp_decode_fuzz_check.h"

namespace {

namespace otlp = tracewire::otlp;

struct Traces {
  static void EncodeProto(const tracewire::model::SpanBatch& b, std::string* out) {
    otlp::EncodeTracesProto(b, out);
  }
  static void EncodeJson(const tracewire::model::SpanBatch& b, std::string* out) {
    otlp::EncodeTracesJson(b, out);
  }
  static auto DecodeProto(const std::string& s) { return otlp::DecodeTracesProto(s); }
  static auto DecodeJson(const std::string& s) { return otlp::DecodeTracesJson(s); }
  static std::string Diff(const tracewire::model::SpanBatch& a,
                          const tracewire::model::SpanBatch& b) {
    return otlp::testing::DiffSpanBatches(a, b);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  otlp::fuzz::CheckRoundTrips<Traces>(otlp::DecodeTracesProto(input));
  otlp::fuzz::CheckRoundTrips<Traces>(otlp::DecodeTracesJson(input));
  return 0;
}
