// The ingest benchmark's request corpus: OTLP/HTTP ExportTraceServiceRequest protobuf bodies
// built once up front, and a cheap per-send rewrite that makes every trace and span id unique
// and moves the timestamps to "now", so the generator costs a memcpy and a few stores per span.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace tracewire::bench {

struct CorpusOptions {
  uint64_t seed = 42;
  int bodies = 32;            // distinct request bodies
  int min_batch_spans = 512;  // spans per body: whole traces until at least a drawn target
  int max_batch_spans = 2048;
  int max_trace_spans = 200;
  double event_fraction = 0.05;
  double error_fraction = 0.01;
};

// An 8-byte id slot in a body: rewritten to Mix64(generation * modulus + index).
struct IdPatch {
  uint32_t offset = 0;  // byte offset in the body
  uint32_t index = 0;   // trace or span index in the corpus
};

struct CorpusBody {
  std::string bytes;                   // ExportTraceServiceRequest (protobuf)
  std::vector<IdPatch> trace_patches;  // first 8 bytes of each span's trace_id
  std::vector<IdPatch> span_patches;   // span_id and parent_span_id
  std::vector<uint32_t> time_offsets;  // fixed64 Unix ns: span start/end, event times
  uint32_t spans = 0;
  uint32_t traces = 0;
};

struct Corpus {
  std::vector<CorpusBody> bodies;
  uint64_t traces = 0;       // over all bodies (the trace-id modulus)
  uint64_t spans = 0;        // over all bodies (the span-id modulus)
  int64_t base_time_ns = 0;  // every span ends before this Unix time (ns; fixed)
  uint64_t events = 0;       // spans with an event
  uint64_t errors = 0;       // spans with status ERROR
  uint64_t attributes = 0;   // span attributes, all spans
  // Distinct (service.name, span name) pairs, sorted (client spans carry the callee's name,
  // so a name appears under its server and its callers).
  std::vector<std::pair<std::string, std::string>> operations;
  size_t span_names = 0;  // distinct span names over all services
  size_t services = 0;
};

// Builds the corpus: the same bytes for the same options (~0.5 s for the defaults).
// Errors: INVALID_ARGUMENT for options out of range.
StatusOr<Corpus> BuildCorpus(const CorpusOptions& options);

// Writes `body` as sent for `generation` into `out`: ids rewritten (generation 0 leaves them
// as built) and every timestamp moved by `time_shift_ns`. Distinct (generation, body) pairs
// get distinct trace and span ids. HOT PATH: no allocation once `out` has grown.
void MaterializeBody(const Corpus& corpus, const CorpusBody& body, uint64_t generation,
                     int64_t time_shift_ns, std::string& out);

// The lowercase hex trace id of the trace whose id slot is `patch`, read from a materialized
// body `bytes`.
std::string TraceIdHexAt(const std::string& bytes, const IdPatch& patch);

}  // namespace tracewire::bench
