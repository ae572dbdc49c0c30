// Arbitrary bytes as the payload of a store WAL record (seq + row-format spans or logs): decode
// must give a batch or DATA_LOSS, never crash; a decoded batch re-encodes into bytes that
// decode again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "store/format/row_format.h"
#include "store/format/wal_payload.h"

using namespace tracewire::store;  // NOLINT(google-build-using-namespace)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);
  uint64_t seq = 0;
  std::string_view record;
  if (!format::SplitWalPayload(payload, &seq, &record)) return 0;
  auto spans = format::DecodeSpans(std::string(record));
  if (spans.ok()) {
    std::string again;
    format::EncodeSpans(**spans, &again);
    if (!format::DecodeSpans(std::move(again)).ok()) std::abort();
  }
  auto logs = format::DecodeLogs(std::string(record));
  if (logs.ok()) {
    std::string again;
    format::EncodeLogs(**logs, &again);
    if (!format::DecodeLogs(std::move(again)).ok()) std::abort();
  }
  return 0;
}
