#include "store/format/row_format.h"

#include <unordered_map>
#include <utility>
#include <vector>

#include "store/format/coding.h"
#include "store/format/value_codec.h"

namespace tracewire::store::format {
namespace {

using model::Event;
using model::Link;
using model::LogRecord;
using model::Resource;
using model::Scope;
using model::Span;

void PutId(std::string* out, const uint8_t* data, size_t n) {
  out->append(reinterpret_cast<const char*>(data), n);
}

void EncodeResource(const ValueEncoder& enc, const Resource& r) {
  enc.KeyValues(r.attributes);
  PutVarint(enc.values, r.dropped_attributes_count);
  PutLengthPrefixed(enc.values, r.schema_url);
  PutLengthPrefixed(enc.values, r.service_name);
}

void EncodeScope(const ValueEncoder& enc, const Scope& s) {
  PutLengthPrefixed(enc.values, s.name);
  PutLengthPrefixed(enc.values, s.version);
  enc.KeyValues(s.attributes);
  PutVarint(enc.values, s.dropped_attributes_count);
  PutLengthPrefixed(enc.values, s.schema_url);
}

// Maps (batch, index) of the items' resources and scopes to dense record indices.
template <typename Batch>
class TableRemap {
 public:
  uint32_t Map(const Batch* b, uint32_t i, std::vector<std::pair<const Batch*, uint32_t>>* order) {
    const auto key = std::make_pair(b, i);
    auto [it, inserted] = ids_.try_emplace(key, static_cast<uint32_t>(order->size()));
    if (inserted) order->push_back(key);
    return it->second;
  }

 private:
  struct Hash {
    size_t operator()(const std::pair<const Batch*, uint32_t>& k) const {
      return std::hash<const void*>()(k.first) * 31 + k.second;
    }
  };
  std::unordered_map<std::pair<const Batch*, uint32_t>, uint32_t, Hash> ids_;
};

// Writes the resource and scope tables for items `get(0..n)`; fills per-item indices.
template <typename Batch, typename Get>
void EncodeTables(size_t n, const Get& get, std::string* out, std::vector<uint32_t>* res_idx,
                  std::vector<uint32_t>* scope_idx) {
  TableRemap<Batch> rr;
  TableRemap<Batch> sr;
  std::vector<std::pair<const Batch*, uint32_t>> resources;
  std::vector<std::pair<const Batch*, uint32_t>> scopes;
  res_idx->resize(n);
  scope_idx->resize(n);
  for (size_t i = 0; i < n; ++i) {
    auto [batch, item] = get(i);
    (*res_idx)[i] = rr.Map(batch, item->resource_index, &resources);
    (*scope_idx)[i] = sr.Map(batch, item->scope_index, &scopes);
  }
  const ValueEncoder enc{out, out, nullptr};
  out->push_back(static_cast<char>(kRowFormatVersion));
  PutVarint(out, resources.size());
  for (auto [b, i] : resources) EncodeResource(enc, b->resources[i]);
  PutVarint(out, scopes.size());
  for (auto [b, i] : scopes) EncodeScope(enc, b->scopes[i]);
  PutVarint(out, n);
}

void EncodeSpan(const ValueEncoder& enc, const Span& s, uint32_t res, uint32_t scope) {
  std::string* out = enc.values;
  PutId(out, s.trace_id.data(), 16);
  PutId(out, s.span_id.data(), 8);
  PutId(out, s.parent_span_id.data(), 8);
  PutLengthPrefixed(out, s.trace_state);
  PutVarint(out, s.flags);
  PutLengthPrefixed(out, s.name);
  out->push_back(static_cast<char>(s.kind));
  out->push_back(static_cast<char>(s.status_code));
  PutLengthPrefixed(out, s.status_message);
  PutFixed64(out, s.start_time_unix_nano);
  PutSignedVarint(out, static_cast<int64_t>(s.end_time_unix_nano - s.start_time_unix_nano));
  enc.KeyValues(s.attributes);
  PutVarint(out, s.dropped_attributes_count);
  PutVarint(out, s.events.size());
  for (const Event& e : s.events) {
    PutSignedVarint(out, static_cast<int64_t>(e.time_unix_nano - s.start_time_unix_nano));
    PutLengthPrefixed(out, e.name);
    enc.KeyValues(e.attributes);
    PutVarint(out, e.dropped_attributes_count);
  }
  PutVarint(out, s.dropped_events_count);
  PutVarint(out, s.links.size());
  for (const Link& l : s.links) {
    PutId(out, l.trace_id.data(), 16);
    PutId(out, l.span_id.data(), 8);
    PutLengthPrefixed(out, l.trace_state);
    enc.KeyValues(l.attributes);
    PutVarint(out, l.dropped_attributes_count);
    PutVarint(out, l.flags);
  }
  PutVarint(out, s.dropped_links_count);
  PutVarint(out, res);
  PutVarint(out, scope);
}

void EncodeLog(const ValueEncoder& enc, const LogRecord& r, uint32_t res, uint32_t scope) {
  std::string* out = enc.values;
  PutFixed64(out, r.time_unix_nano);
  PutFixed64(out, r.observed_time_unix_nano);
  PutSignedVarint(out, r.severity_number);
  PutLengthPrefixed(out, r.severity_text);
  enc.Value(r.body);
  enc.KeyValues(r.attributes);
  PutVarint(out, r.dropped_attributes_count);
  PutVarint(out, r.flags);
  PutId(out, r.trace_id.data(), 16);
  PutId(out, r.span_id.data(), 8);
  PutLengthPrefixed(out, r.event_name);
  PutVarint(out, res);
  PutVarint(out, scope);
}

template <typename Get>
void EncodeSpanItems(size_t n, const Get& get, std::string* out) {
  std::vector<uint32_t> res;
  std::vector<uint32_t> scopes;
  EncodeTables<model::SpanBatch>(n, get, out, &res, &scopes);
  const ValueEncoder enc{out, out, nullptr};
  for (size_t i = 0; i < n; ++i) EncodeSpan(enc, *get(i).second, res[i], scopes[i]);
}

template <typename Get>
void EncodeLogItems(size_t n, const Get& get, std::string* out) {
  std::vector<uint32_t> res;
  std::vector<uint32_t> scopes;
  EncodeTables<model::LogBatch>(n, get, out, &res, &scopes);
  const ValueEncoder enc{out, out, nullptr};
  for (size_t i = 0; i < n; ++i) EncodeLog(enc, *get(i).second, res[i], scopes[i]);
}

// ---- decoding ----

bool GetId(Reader* in, uint8_t* out, size_t n) {
  std::string_view b;
  if (!in->Bytes(n, &b)) return false;
  std::memcpy(out, b.data(), n);
  return true;
}

template <typename Batch>
bool DecodeTables(Reader* in, const ValueDecoder& dec, Batch* batch) {
  uint8_t version = 0;
  if (!in->Byte(&version) || version != kRowFormatVersion) return in->Fail();
  uint64_t n = 0;
  if (!in->Varint(&n) || n > in->remaining() / 4) return in->Fail();
  batch->resources.resize(static_cast<size_t>(n));
  for (Resource& r : batch->resources) {
    if (!dec.KeyValues(&r.attributes) || !in->Varint32(&r.dropped_attributes_count) ||
        !in->LengthPrefixed(&r.schema_url) || !in->LengthPrefixed(&r.service_name)) {
      return false;
    }
  }
  if (!in->Varint(&n) || n > in->remaining() / 5) return in->Fail();
  batch->scopes.resize(static_cast<size_t>(n));
  for (Scope& s : batch->scopes) {
    if (!in->LengthPrefixed(&s.name) || !in->LengthPrefixed(&s.version) ||
        !dec.KeyValues(&s.attributes) || !in->Varint32(&s.dropped_attributes_count) ||
        !in->LengthPrefixed(&s.schema_url)) {
      return false;
    }
  }
  return true;
}

bool DecodeSpan(Reader* in, const ValueDecoder& dec, size_t n_res, size_t n_scope, Span* s) {
  uint8_t kind = 0;
  uint8_t status = 0;
  int64_t dur = 0;
  uint64_t n = 0;
  if (!GetId(in, s->trace_id.mutable_data(), 16) || !GetId(in, s->span_id.mutable_data(), 8) ||
      !GetId(in, s->parent_span_id.mutable_data(), 8) || !in->LengthPrefixed(&s->trace_state) ||
      !in->Varint32(&s->flags) || !in->LengthPrefixed(&s->name) || !in->Byte(&kind) ||
      !in->Byte(&status) || kind > 5 || status > 2 || !in->LengthPrefixed(&s->status_message) ||
      !in->Fixed64(&s->start_time_unix_nano) || !in->SignedVarint(&dur) ||
      !dec.KeyValues(&s->attributes) || !in->Varint32(&s->dropped_attributes_count) ||
      !in->Varint(&n) || n > in->remaining() / 4) {
    return in->Fail();
  }
  s->kind = static_cast<model::SpanKind>(kind);
  s->status_code = static_cast<model::StatusCode>(status);
  s->end_time_unix_nano = s->start_time_unix_nano + static_cast<uint64_t>(dur);
  auto events = dec.arena->AllocateArray<Event>(static_cast<size_t>(n));
  for (Event& e : events) {
    int64_t dt = 0;
    if (!in->SignedVarint(&dt) || !in->LengthPrefixed(&e.name) || !dec.KeyValues(&e.attributes) ||
        !in->Varint32(&e.dropped_attributes_count)) {
      return in->Fail();
    }
    e.time_unix_nano = s->start_time_unix_nano + static_cast<uint64_t>(dt);
  }
  s->events = events;
  if (!in->Varint32(&s->dropped_events_count) || !in->Varint(&n) || n > in->remaining() / 28) {
    return in->Fail();
  }
  auto links = dec.arena->AllocateArray<Link>(static_cast<size_t>(n));
  for (Link& l : links) {
    if (!GetId(in, l.trace_id.mutable_data(), 16) || !GetId(in, l.span_id.mutable_data(), 8) ||
        !in->LengthPrefixed(&l.trace_state) || !dec.KeyValues(&l.attributes) ||
        !in->Varint32(&l.dropped_attributes_count) || !in->Varint32(&l.flags)) {
      return in->Fail();
    }
  }
  s->links = links;
  if (!in->Varint32(&s->dropped_links_count) || !in->Varint32(&s->resource_index) ||
      !in->Varint32(&s->scope_index) || s->resource_index >= n_res || s->scope_index >= n_scope) {
    return in->Fail();
  }
  return true;
}

bool DecodeLog(Reader* in, const ValueDecoder& dec, size_t n_res, size_t n_scope, LogRecord* r) {
  int64_t sev = 0;
  if (!in->Fixed64(&r->time_unix_nano) || !in->Fixed64(&r->observed_time_unix_nano) ||
      !in->SignedVarint(&sev) || sev < INT32_MIN || sev > INT32_MAX ||
      !in->LengthPrefixed(&r->severity_text) || !dec.Value(&r->body) ||
      !dec.KeyValues(&r->attributes) || !in->Varint32(&r->dropped_attributes_count) ||
      !in->Varint32(&r->flags) || !GetId(in, r->trace_id.mutable_data(), 16) ||
      !GetId(in, r->span_id.mutable_data(), 8) || !in->LengthPrefixed(&r->event_name) ||
      !in->Varint32(&r->resource_index) || !in->Varint32(&r->scope_index) ||
      r->resource_index >= n_res || r->scope_index >= n_scope) {
    return in->Fail();
  }
  r->severity_number = static_cast<int32_t>(sev);
  return true;
}

template <typename Batch, typename Item, typename DecodeItem>
StatusOr<std::unique_ptr<Batch>> DecodeRecord(std::string bytes, std::vector<Item> Batch::*items,
                                              size_t min_item_bytes,
                                              const DecodeItem& decode_item) {
  auto batch = std::make_unique<Batch>();
  Reader in(batch->storage.AdoptBuffer(std::move(bytes)));
  const ValueDecoder dec{&in, &in, nullptr, &batch->storage.arena()};
  uint64_t n = 0;
  if (!DecodeTables(&in, dec, batch.get()) || !in.Varint(&n) ||
      n > in.remaining() / min_item_bytes) {
    return DataLossError("store record: malformed resource/scope tables");
  }
  auto& vec = (*batch).*items;
  vec.resize(static_cast<size_t>(n));
  for (Item& item : vec) {
    if (!decode_item(&in, dec, batch->resources.size(), batch->scopes.size(), &item)) {
      return DataLossError("store record: malformed item");
    }
  }
  if (!in.empty()) return DataLossError("store record: trailing bytes");
  return batch;
}

}  // namespace

void EncodeSpans(const model::SpanBatch& batch, std::string* out) {
  EncodeSpanItems(
      batch.spans.size(), [&](size_t i) { return std::make_pair(&batch, &batch.spans[i]); }, out);
}
void EncodeSpans(std::span<const SpanRef> refs, std::string* out) {
  EncodeSpanItems(
      refs.size(),
      [&](size_t i) { return std::make_pair(refs[i].batch, &refs[i].batch->spans[refs[i].index]); },
      out);
}
void EncodeLogs(const model::LogBatch& batch, std::string* out) {
  EncodeLogItems(
      batch.records.size(), [&](size_t i) { return std::make_pair(&batch, &batch.records[i]); },
      out);
}
void EncodeLogs(std::span<const LogRef> refs, std::string* out) {
  EncodeLogItems(
      refs.size(),
      [&](size_t i) {
        return std::make_pair(refs[i].batch, &refs[i].batch->records[refs[i].index]);
      },
      out);
}

StatusOr<std::unique_ptr<model::SpanBatch>> DecodeSpans(std::string bytes) {
  return DecodeRecord<model::SpanBatch>(std::move(bytes), &model::SpanBatch::spans, 45, DecodeSpan);
}
StatusOr<std::unique_ptr<model::LogBatch>> DecodeLogs(std::string bytes) {
  return DecodeRecord<model::LogBatch>(std::move(bytes), &model::LogBatch::records, 45, DecodeLog);
}

}  // namespace tracewire::store::format
