// DecodeLogsProto and DecodeLogsJson on arbitrary bytes: a typed error or a batch, never a
// crash; a decoded batch survives re-encoding to both formats unchanged.
#include <cstddef>
#include <cstdint>
#include <string>

#include "otlp_decode_fuzz_check.h"

namespace {

namespace otlp = tracewire::otlp;

struct Logs {
  static void EncodeProto(const tracewire::model::LogBatch& b, std::string* out) {
    otlp::EncodeLogsProto(b, out);
  }
  static void EncodeJson(const tracewire::model::LogBatch& b, std::string* out) {
    otlp::EncodeLogsJson(b, out);
  }
  static auto DecodeProto(const std::string& s) { return otlp::DecodeLogsProto(s); }
  static auto DecodeJson(const std::string& s) { return otlp::DecodeLogsJson(s); }
  static std::string Diff(const tracewire::model::LogBatch& a,
                          const tracewire::model::LogBatch& b) {
    return otlp::testing::DiffLogBatches(a, b);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  otlp::fuzz::CheckRoundTrips<Logs>(otlp::DecodeLogsProto(input));
  otlp::fuzz::CheckRoundTrips<Logs>(otlp::DecodeLogsJson(input));
  return 0;
}
