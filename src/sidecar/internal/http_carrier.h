// TextMapCarrier over net::HttpHeaders (names case-insensitive; Set replaces every field of
// the name).
#pragma once

#include <optional>
#include <string_view>

#include "net/http_message.h"
#include "trace/propagation/text_map.h"

namespace tracewire::sidecar::internal {

class HttpHeadersCarrier final : public trace::TextMapCarrier {
 public:
  explicit HttpHeadersCarrier(net::HttpHeaders& headers) : headers_(headers) {}
  std::optional<std::string_view> Get(std::string_view key) const override {
    return headers_.Get(key);
  }
  void Set(std::string_view key, std::string_view value) override { headers_.Set(key, value); }

 private:
  net::HttpHeaders& headers_;
};

}  // namespace tracewire::sidecar::internal
