// The OTLP/JSON envelope shared by traces and logs:
//   {"resource<X>s": [{"resource": {...}, "scope<X>s": [{"scope": {...}, "<items>": [...],
//     "schemaUrl": "..."}], "schemaUrl": "..."}]}
// DecodeJsonEnvelopes<Parser> walks it into a batch (one Resource entry per resource<X>, one
// Scope entry per scope<X>) and hands each item object to Parser::Parse. Parser supplies the
// batch type, the key names, Items(batch), and may keep per-request scratch state.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "otlp/internal/json_decode.h"
#include "otlp/otlp_decoder.h"

namespace tracewire::otlp::internal {

template <typename Parser>
class JsonEnvelopeDecoder {
 public:
  using Batch = typename Parser::Batch;

  JsonEnvelopeDecoder(Batch& batch, JsonDecodeContext& c) : batch_(batch), c_(c) {}

  bool ParseRequest() {
    if (!c_.r.BeginObject()) return false;
    std::string_view key;
    while (c_.r.NextMember(&key)) {
      if (key != Parser::kResourcesKey) {
        if (!c_.r.SkipValue()) return false;
      } else if (!TakeNull(c_) && !ForEachObject([this] { return ParseResource(); })) {
        return false;
      }
    }
    if (!c_.r.ok()) return false;
    return c_.r.AtEnd() || c_.Fail(nullptr, "text after the request object");
  }

  uint64_t rejected() const { return rejected_; }
  const char* rejected_reason() const { return reason_; }

 private:
  // Calls f() on each element of an array; elements must be objects.
  template <typename F>
  bool ForEachObject(F&& f) {
    if (!c_.r.BeginArray()) return false;
    while (c_.r.NextElement()) {
      if (c_.r.Peek() != JsonReader::Token::kObject) return c_.Fail(nullptr, "expected an object");
      if (!f()) return false;
    }
    return c_.r.ok();
  }

  bool ParseResource() {
    const auto index = static_cast<uint32_t>(batch_.resources.size());
    batch_.resources.emplace_back();
    if (!c_.r.BeginObject()) return false;
    std::string_view key;
    while (c_.r.NextMember(&key)) {
      bool ok;
      if (key == "resource") {
        ok = ReadResource(c_, &batch_.resources[index]);
      } else if (key == Parser::kScopesKey) {
        ok = TakeNull(c_) || ForEachObject([&] { return ParseScope(index); });
      } else if (key == "schemaUrl") {
        ok = ReadText(c_, &batch_.resources[index].schema_url, Parser::kResourceSchemaUrl);
      } else {
        ok = c_.r.SkipValue();
      }
      if (!ok) return false;
    }
    return c_.r.ok();
  }

  bool ParseScope(uint32_t resource_index) {
    const auto index = static_cast<uint32_t>(batch_.scopes.size());
    batch_.scopes.emplace_back();
    if (!c_.r.BeginObject()) return false;
    std::string_view key;
    while (c_.r.NextMember(&key)) {
      bool ok;
      if (key == "scope") {
        ok = ReadScope(c_, &batch_.scopes[index]);
      } else if (key == Parser::kItemsKey) {
        ok = TakeNull(c_) || ForEachObject([&] { return AddItem(resource_index, index); });
      } else if (key == "schemaUrl") {
        ok = ReadText(c_, &batch_.scopes[index].schema_url, Parser::kScopeSchemaUrl);
      } else {
        ok = c_.r.SkipValue();
      }
      if (!ok) return false;
    }
    return c_.r.ok();
  }

  // HOT PATH: one call per span / log record.
  bool AddItem(uint32_t resource_index, uint32_t scope_index) {
    auto& items = Parser::Items(batch_);
    auto& item = items.emplace_back();
    const char* reject = nullptr;
    if (!parser_.Parse(c_, &item, &reject)) return false;
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
  JsonDecodeContext& c_;
  Parser parser_;
  uint64_t rejected_ = 0;
  const char* reason_ = nullptr;
};

// Adopts `body` into a new batch and decodes it; INVALID_ARGUMENT names the first bad field and
// its byte offset.
template <typename Parser>
StatusOr<Decoded<typename Parser::Batch>> DecodeJsonEnvelopes(std::string body,
                                                              const DecodeOptions& options) {
  Decoded<typename Parser::Batch> out;
  out.batch = std::make_unique<typename Parser::Batch>();
  std::string_view text = out.batch->storage.AdoptBuffer(std::move(body));
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark
  // A guess at the item count (JSON items are rarely under 1 KiB), to spare most regrowth.
  Parser::Items(*out.batch).reserve(text.size() / 1024);
  JsonDecodeContext c(text, out.batch->storage.arena(), options.max_value_depth);
  JsonEnvelopeDecoder<Parser> decoder(*out.batch, c);
  if (!decoder.ParseRequest()) return JsonFailureStatus(c.r, Parser::kRequest);
  out.rejected = decoder.rejected();
  if (decoder.rejected_reason() != nullptr) out.rejected_reason = decoder.rejected_reason();
  return out;
}

}  // namespace tracewire::otlp::internal
