// The envelope shared by ExportTraceServiceRequest and ExportLogsServiceRequest:
//   request { repeated Resource<X> = 1 }
//   Resource<X> { Resource resource = 1; repeated Scope<X> = 2; string schema_url = 3 }
//   Scope<X> { InstrumentationScope scope = 1; repeated <item> = 2; string schema_url = 3 }
// DecodeEnvelopes<Traits> walks it into a batch, one Resource entry per Resource<X> and one Scope
// entry per Scope<X>, and hands each item's bytes to Traits::Parse. Traits supplies the batch
// and item types, the field names for error messages and Items(batch).
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "otlp/internal/proto_decode.h"
#include "otlp/otlp_decoder.h"

namespace tracewire::otlp::internal {

template <typename Traits>
class EnvelopeDecoder {
 public:
  using Batch = typename Traits::Batch;

  EnvelopeDecoder(Batch& batch, const DecodeOptions& options)
      : batch_(batch), c_(batch.storage.arena(), options.max_value_depth) {}

  // Sizes the items vector from the request's size. A counting pass over the items' tags was
  // measured to cost more than it saves: its strided reads take the cache misses that the
  // sequential decode would otherwise hide behind the prefetcher (about a third of the decode
  // time, bench/otlp_decode_bench.cc). Realistic spans and log records (8-15 attributes) take
  // 300-600 bytes, so this reserves at most about twice what is needed and the vector grows
  // only for smaller items.
  void Reserve(std::string_view request) {
    Traits::Items(batch_).reserve(request.size() / kEncodedBytesPerItemGuess + 1);
  }

  bool ParseRequest(std::string_view bytes) {
    ProtoReader r(bytes);
    uint32_t field;
    WireType wire;
    std::string_view v;
    while (!r.done()) {
      if (!r.ReadTag(&field, &wire)) return c_.failure.Fail(Traits::kRequest, kBadTag);
      if (field == 1) {
        if (!ReadBytesField(c_, r, wire, &v, Traits::kRequestResources) || !ParseResource(v)) {
          return false;
        }
      } else if (!SkipField(c_, r, wire, Traits::kRequest)) {
        return false;
      }
    }
    return true;
  }

  const DecodeFailure& failure() const { return c_.failure; }
  uint64_t rejected() const { return rejected_; }
  const char* rejected_reason() const { return reason_; }

 private:
  static constexpr size_t kEncodedBytesPerItemGuess = 256;

  bool ParseResource(std::string_view bytes) {
    const auto index = static_cast<uint32_t>(batch_.resources.size());
    batch_.resources.emplace_back();
    std::string_view resource;
    bool has_resource = false;
    std::string_view schema_url;
    ProtoReader r(bytes);
    uint32_t field;
    WireType wire;
    std::string_view v;
    while (!r.done()) {
      if (!r.ReadTag(&field, &wire)) return c_.failure.Fail(Traits::kResource, kBadTag);
      bool ok = true;
      switch (field) {
        case 1:
          ok = ReadBytesField(c_, r, wire, &resource, Traits::kResourceResource);
          has_resource = true;
          break;
        case 2:
          ok = ReadBytesField(c_, r, wire, &v, Traits::kResourceScopes) && ParseScope(v, index);
          break;
        case 3: ok = ReadStringField(c_, r, wire, &schema_url, Traits::kResourceSchemaUrl); break;
        default: ok = SkipField(c_, r, wire, Traits::kResource);
      }
      if (!ok) return false;
    }
    model::Resource& out = batch_.resources[index];
    out.schema_url = schema_url;
    return !has_resource || internal::ParseResource(c_, resource, &out);
  }

  bool ParseScope(std::string_view bytes, uint32_t resource_index) {
    const auto index = static_cast<uint32_t>(batch_.scopes.size());
    batch_.scopes.emplace_back();
    std::string_view scope;
    bool has_scope = false;
    std::string_view schema_url;
    ProtoReader r(bytes);
    uint32_t field;
    WireType wire;
    std::string_view v;
    while (!r.done()) {
      if (!r.ReadTag(&field, &wire)) return c_.failure.Fail(Traits::kScope, kBadTag);
      bool ok = true;
      switch (field) {
        case 1:
          ok = ReadBytesField(c_, r, wire, &scope, Traits::kScopeScope);
          has_scope = true;
          break;
        case 2:
          ok = ReadBytesField(c_, r, wire, &v, Traits::kScopeItems) &&
               AddItem(v, resource_index, index);
          break;
        case 3: ok = ReadStringField(c_, r, wire, &schema_url, Traits::kScopeSchemaUrl); break;
        default: ok = SkipField(c_, r, wire, Traits::kScope);
      }
      if (!ok) return false;
    }
    model::Scope& out = batch_.scopes[index];
    out.schema_url = schema_url;
    return !has_scope || internal::ParseScope(c_, scope, &out);
  }

  // HOT PATH: one call per span / log record.
  bool AddItem(std::string_view bytes, uint32_t resource_index, uint32_t scope_index) {
    auto& items = Traits::Items(batch_);
    auto& item = items.emplace_back();
    const char* reject = nullptr;
    if (!Traits::Parse(c_, bytes, &item, &reject)) return false;
    if (reject != nullptr) [[unlikely]] {
      items.pop_back();
      if (rejected_++ == 0) reason_ = reject;
      return true;
    }
    item.resource_index = resource_index;
    item.scope_index = scope_index;
    return true;
  }

  Batch& batch_;
  ProtoDecodeContext c_;
  uint64_t rejected_ = 0;
  const char* reason_ = nullptr;
};

// Adopts `body` into a new batch and decodes it; INVALID_ARGUMENT names the first bad field.
template <typename Traits>
StatusOr<Decoded<typename Traits::Batch>> DecodeEnvelopes(std::string body,
                                                          const DecodeOptions& options) {
  Decoded<typename Traits::Batch> out;
  out.batch = std::make_unique<typename Traits::Batch>();
  const std::string_view bytes = out.batch->storage.AdoptBuffer(std::move(body));
  EnvelopeDecoder<Traits> decoder(*out.batch, options);
  decoder.Reserve(bytes);
  if (!decoder.ParseRequest(bytes)) return DecodeFailureStatus(decoder.failure(), Traits::kRequest);
  out.rejected = decoder.rejected();
  if (decoder.rejected_reason() != nullptr) out.rejected_reason = decoder.rejected_reason();
  return out;
}

}  // namespace tracewire::otlp::internal
