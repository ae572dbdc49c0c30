#include "store/engine/posting_keys.h"

#include "store/block/block_format.h"
#include "store/format/value_codec.h"

namespace tracewire::store::engine {

void AppendServiceKey(std::string_view service, std::string* out) {
  out->push_back(block::kPostService);
  out->append(service);
}
void AppendOperationKey(std::string_view service, std::string_view name, std::string* out) {
  out->push_back(block::kPostOperation);
  out->append(service);
  out->push_back('\0');
  out->append(name);
}
void AppendNameKey(std::string_view name, std::string* out) {
  out->push_back(block::kPostName);
  out->append(name);
}
void AppendErrorKey(std::string* out) { out->push_back(block::kPostError); }
void AppendServiceErrorKey(std::string_view service, std::string* out) {
  out->push_back(block::kPostServiceError);
  out->append(service);
}
void AppendAttributeKey(std::string_view key, std::string_view value_text, std::string* out) {
  out->push_back(block::kPostAttribute);
  out->append(key);
  out->push_back('\0');
  out->append(value_text);
}
void AppendAttributeKey(std::string_view key, const model::AnyValue& value, std::string* out) {
  out->push_back(block::kPostAttribute);
  out->append(key);
  out->push_back('\0');
  format::AppendValueText(value, out);
}

}  // namespace tracewire::store::engine
