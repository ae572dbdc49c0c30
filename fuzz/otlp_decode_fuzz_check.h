// Shared checks of the OTLP decode fuzz targets: whatever decodes must re-encode (protobuf and
// JSON) to bytes that decode again, with nothing rejected, to an equal batch.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "otlp/batch_encoder.h"
#include "otlp/otlp_decoder.h"
#include "otlp/testing/batch_diff.h"

namespace tracewire::otlp::fuzz {

[[noreturn]] inline void Die(const char* what, const std::string& detail) {
  std::fprintf(stderr, "%s: %s\n", what, detail.c_str());
  std::abort();
}

// Signal: EncodeProto, EncodeJson, DecodeProto, DecodeJson and Diff for one batch type.
template <typename Signal, typename Batch>
void CheckRoundTrips(const StatusOr<Decoded<Batch>>& decoded) {
  if (!decoded.ok()) {
    if (decoded.status().code() != StatusCode::kInvalidArgument) {
      Die("unexpected status", decoded.status().ToString());
    }
    return;
  }
  const Batch& batch = *decoded->batch;
  std::string bytes;
  Signal::EncodeProto(batch, &bytes);
  auto from_proto = Signal::DecodeProto(bytes);
  if (!from_proto.ok()) Die("re-encoded protobuf does not decode", from_proto.status().ToString());
  if (from_proto->rejected != 0) Die("re-encoded protobuf rejects", from_proto->rejected_reason);
  std::string diff = Signal::Diff(batch, *from_proto->batch);
  if (!diff.empty()) Die("protobuf round trip differs", diff);

  std::string json;
  Signal::EncodeJson(batch, &json);
  auto from_json = Signal::DecodeJson(json);
  if (!from_json.ok()) Die("re-encoded JSON does not decode", from_json.status().ToString());
  if (from_json->rejected != 0) Die("re-encoded JSON rejects", from_json->rejected_reason);
  diff = Signal::Diff(batch, *from_json->batch);
  if (!diff.empty()) Die("JSON round trip differs", diff + "\n" + json);
}

}  // namespace tracewire::otlp::fuzz
