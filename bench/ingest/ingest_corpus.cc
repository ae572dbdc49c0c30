#include "ingest_corpus.h"

#include <cstring>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "ingest_catalog.h"
#include "ingest_trace_gen.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

namespace tracewire::bench {
namespace {

using IndexMap = std::unordered_map<uint64_t, uint32_t>;

// 2026-01-01T00:00:00Z: the corpus is built at this time (so its bytes depend on the seed
// only); MaterializeBody moves it to the send time.
constexpr int64_t kCorpusBaseTimeNs = 1'767'225'600'000'000'000;

uint64_t Load8(const char* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, 8);
  return v;
}

bool ReadVarint(std::string_view b, size_t* pos, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *pos < b.size(); shift += 7) {
    const auto byte = static_cast<uint8_t>(b[(*pos)++]);
    *v |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// Walks the message at bytes [begin, end) of `b`; calls on(field, wire_type, payload_offset,
// payload_size) for every field. False on malformed wire data.
template <typename F>
bool ForEachField(std::string_view b, size_t begin, size_t end, F&& on) {
  size_t pos = begin;
  while (pos < end) {
    uint64_t tag = 0;
    uint64_t n = 0;
    if (!ReadVarint(b, &pos, &tag)) return false;
    const size_t at = pos;
    switch (tag & 7) {
      case 0:
        if (!ReadVarint(b, &pos, &n)) return false;
        n = pos - at;
        break;
      case 1:
        n = 8;
        pos += 8;
        break;
      case 5:
        n = 4;
        pos += 4;
        break;
      case 2:
        if (!ReadVarint(b, &pos, &n) || n > end - pos) return false;
        if (!on(tag >> 3, 2, pos, n)) return false;
        pos += n;
        continue;
      default: return false;
    }
    if (pos > end || !on(tag >> 3, static_cast<int>(tag & 7), at, n)) return false;
  }
  return pos == end;
}

// Finds every id and timestamp slot of `body.bytes` (see CorpusBody).
bool FindPatches(const IndexMap& trace_of, const IndexMap& span_of, CorpusBody& body) {
  const std::string_view b = body.bytes;
  auto span_field = [&](uint64_t f, int wt, size_t at, size_t n) {
    if (wt == 2 && f == 1 && n == 16) {
      const auto it = trace_of.find(Load8(b.data() + at));
      if (it == trace_of.end()) return false;
      body.trace_patches.push_back({static_cast<uint32_t>(at), it->second});
    } else if (wt == 2 && (f == 2 || f == 4) && n == 8) {
      const auto it = span_of.find(Load8(b.data() + at));
      if (it == span_of.end()) return false;
      body.span_patches.push_back({static_cast<uint32_t>(at), it->second});
    } else if (wt == 1 && (f == 7 || f == 8)) {
      body.time_offsets.push_back(static_cast<uint32_t>(at));
    } else if (wt == 2 && f == 11) {
      return ForEachField(b, at, at + n, [&](uint64_t ef, int ewt, size_t eat, size_t) {
        if (ewt == 1 && ef == 1) body.time_offsets.push_back(static_cast<uint32_t>(eat));
        return true;
      });
    }
    return true;
  };
  auto scope_field = [&](uint64_t f, int wt, size_t at, size_t n) {
    if (wt != 2 || f != 2) return true;
    ++body.spans;
    return ForEachField(b, at, at + n, span_field);
  };
  auto resource_field = [&](uint64_t f, int wt, size_t at, size_t n) {
    return wt != 2 || f != 2 || ForEachField(b, at, at + n, scope_field);
  };
  return ForEachField(b, 0, b.size(), [&](uint64_t f, int wt, size_t at, size_t n) {
    return wt != 2 || f != 1 || ForEachField(b, at, at + n, resource_field);
  });
}

}  // namespace

StatusOr<Corpus> BuildCorpus(const CorpusOptions& o) {
  if (o.bodies < 1 || o.bodies > 100000) return InvalidArgumentError("bodies must be 1..100000");
  if (o.min_batch_spans < 1 || o.max_batch_spans < o.min_batch_spans || o.max_batch_spans > 100000)
    return InvalidArgumentError("batch spans must satisfy 1 <= min <= max <= 100000");
  if (o.max_trace_spans < 1 || o.max_trace_spans > 10000)
    return InvalidArgumentError("max trace spans must be 1..10000");
  const Catalog catalog = BuildCatalog(o.seed);
  TraceGenerator gen(catalog, o.seed, {o.event_fraction, o.error_fraction, o.max_trace_spans});
  Rng rng(o.seed ^ 0xbeefull);
  Corpus c;
  c.base_time_ns = kCorpusBaseTimeNs;
  c.services = catalog.services.size();
  IndexMap trace_of;
  IndexMap span_of;
  std::set<std::pair<std::string, std::string>> ops;
  uint64_t span_index = 0;
  std::vector<GeneratedSpan> spans;
  for (int b = 0; b < o.bodies; ++b) {
    const auto target = static_cast<size_t>(rng.Between(o.min_batch_spans, o.max_batch_spans));
    spans.clear();
    CorpusBody body;
    while (spans.size() < target) {
      const uint64_t first_span = span_index;
      gen.Generate(c.traces, &span_index, c.base_time_ns, spans);
      trace_of[Mix64(c.traces)] = static_cast<uint32_t>(c.traces);
      for (uint64_t s = first_span; s < span_index; ++s)
        span_of[Mix64(s)] = static_cast<uint32_t>(s);
      ++c.traces;
      ++body.traces;
    }
    // One ResourceSpans per (service, instance), as a collector's batch of many agents has.
    std::map<std::pair<int, int>, std::vector<GeneratedSpan*>> groups;
    for (GeneratedSpan& g : spans) groups[{g.service, g.instance}].push_back(&g);
    opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest req;
    for (auto& [key, members] : groups) {
      const Service& svc = catalog.services[key.first];
      auto* rs = req.add_resource_spans();
      *rs->mutable_resource() = MakeResource(svc, key.second);
      auto* ss = rs->add_scope_spans();
      ss->mutable_scope()->set_name("trpc.opentelemetry." + svc.language);
      ss->mutable_scope()->set_version("0.5.2");
      for (GeneratedSpan* g : members) {
        ops.emplace(svc.name, g->span.name());
        c.events += g->span.events_size() > 0;
        c.errors +=
            g->span.status().code() == opentelemetry::proto::trace::v1::Status::STATUS_CODE_ERROR;
        c.attributes += static_cast<uint64_t>(g->span.attributes_size());
        *ss->add_spans() = std::move(g->span);
      }
    }
    body.bytes = req.SerializeAsString();
    if (!FindPatches(trace_of, span_of, body))
      return InternalError("corpus body " + std::to_string(b) + " does not walk");
    c.spans = span_index;
    c.bodies.push_back(std::move(body));
  }
  c.operations.assign(ops.begin(), ops.end());
  std::set<std::string> names;
  for (const auto& op : c.operations) names.insert(op.second);
  c.span_names = names.size();
  return c;
}

// HOT PATH
void MaterializeBody(const Corpus& corpus, const CorpusBody& body, uint64_t generation,
                     int64_t time_shift_ns, std::string& out) {
  out.assign(body.bytes);
  char* p = out.data();
  const uint64_t trace_base = generation * corpus.traces;
  const uint64_t span_base = generation * corpus.spans;
  for (const IdPatch& t : body.trace_patches) {
    const uint64_t v = Mix64(trace_base + t.index);
    std::memcpy(p + t.offset, &v, 8);
  }
  for (const IdPatch& s : body.span_patches) {
    const uint64_t v = Mix64(span_base + s.index);
    std::memcpy(p + s.offset, &v, 8);
  }
  for (const uint32_t at : body.time_offsets) {
    const uint64_t v = Load8(p + at) + static_cast<uint64_t>(time_shift_ns);
    std::memcpy(p + at, &v, 8);
  }
}

std::string TraceIdHexAt(const std::string& bytes, const IdPatch& patch) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(32);
  for (size_t i = 0; i < 16; ++i) {
    const auto byte = static_cast<uint8_t>(bytes[patch.offset + i]);
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 15]);
  }
  return hex;
}

}  // namespace tracewire::bench
