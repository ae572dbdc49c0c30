// Fuzzes the grpc-trace-bin codec (raw and base64 values). Property: a decoded context encodes
// to raw and base64 values that both decode to the same ids and sampled flag.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "trace/propagation/base64.h"
#include "trace/propagation/grpc_trace_bin.h"

namespace tp = tracewire::trace::propagation;

static void Check(bool ok) {
  if (!ok) std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto bin = tp::DecodeGrpcTraceBinValue(in);
  if (bin.ok()) {
    for (bool base64 : {false, true}) {
      const std::string out =
          tp::EncodeGrpcTraceBin(bin->trace_id, bin->span_id, bin->flags, base64);
      auto again = tp::DecodeGrpcTraceBinValue(out);
      Check(again.ok());
      Check(again->trace_id == bin->trace_id && again->span_id == bin->span_id);
      Check(again->flags.sampled() == bin->flags.sampled());
    }
  }
  // Base64 alone: decoding what we encoded gives the input back.
  const std::string enc = tp::EncodeBase64(in, size % 2 == 0);
  std::string dec(tp::Base64MaxDecodedSize(enc.size()), '\0');
  size_t n = 0;
  Check(tp::DecodeBase64To(enc, reinterpret_cast<uint8_t*>(dec.data()), &n));
  Check(std::string_view(dec.data(), n) == in);
  return 0;
}
