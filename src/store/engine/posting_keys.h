// Posting keys (block/block_format.h) of a span: the same for the head and for blocks, so a
// query's terms (CompileQuery) find the same traces in both.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/span_batch.h"

namespace tracewire::store::engine {

// The attribute keys that get postings (StoreOptions::indexed_attributes).
class IndexedKeys {
 public:
  explicit IndexedKeys(std::vector<std::string> keys) : keys_(std::move(keys)) {}
  // Position of `key` among the indexed keys, or -1.
  int Find(std::string_view key) const {
    for (size_t i = 0; i < keys_.size() && i < 64; ++i) {
      if (keys_[i].size() == key.size() && keys_[i] == key) return static_cast<int>(i);
    }
    return -1;
  }
  const std::vector<std::string>& keys() const { return keys_; }

 private:
  std::vector<std::string> keys_;
};

// Calls emit(key) for every posting key of the span: service, operation (service + name),
// span name, error and service+error (ERROR spans only), and per indexed attribute key its
// effective value (the span's attribute, else its resource's). `scratch` is reused across calls.
// HOT PATH: no allocation once `scratch` has grown.
template <typename Emit>
void ForEachPostingKey(const model::Span& span, const model::Resource& resource,
                       const IndexedKeys& indexed, std::string* scratch, const Emit& emit);

// Builders for single keys.
void AppendServiceKey(std::string_view service, std::string* out);
void AppendOperationKey(std::string_view service, std::string_view name, std::string* out);
void AppendNameKey(std::string_view name, std::string* out);
void AppendErrorKey(std::string* out);
void AppendServiceErrorKey(std::string_view service, std::string* out);
void AppendAttributeKey(std::string_view key, std::string_view value_text, std::string* out);
void AppendAttributeKey(std::string_view key, const model::AnyValue& value, std::string* out);

template <typename Emit>
void ForEachPostingKey(const model::Span& span, const model::Resource& resource,
                       const IndexedKeys& indexed, std::string* scratch, const Emit& emit) {
  scratch->clear();
  AppendServiceKey(resource.service_name, scratch);
  emit(*scratch);
  scratch->clear();
  AppendOperationKey(resource.service_name, span.name, scratch);
  emit(*scratch);
  scratch->clear();
  AppendNameKey(span.name, scratch);
  emit(*scratch);
  if (span.status_code == model::StatusCode::kError) {
    scratch->clear();
    AppendErrorKey(scratch);
    emit(*scratch);
    scratch->clear();
    AppendServiceErrorKey(resource.service_name, scratch);
    emit(*scratch);
  }
  if (indexed.keys().empty()) return;
  uint64_t seen = 0;
  for (const model::KeyValue& kv : span.attributes) {
    const int i = indexed.Find(kv.key);
    if (i < 0 || (seen & (uint64_t{1} << i)) != 0) continue;
    seen |= uint64_t{1} << i;
    scratch->clear();
    AppendAttributeKey(kv.key, kv.value, scratch);
    emit(*scratch);
  }
  for (const model::KeyValue& kv : resource.attributes) {
    const int i = indexed.Find(kv.key);
    if (i < 0 || (seen & (uint64_t{1} << i)) != 0) continue;
    seen |= uint64_t{1} << i;
    scratch->clear();
    AppendAttributeKey(kv.key, kv.value, scratch);
    emit(*scratch);
  }
}

}  // namespace tracewire::store::engine
