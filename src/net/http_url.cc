#include <charconv>

#include "net/http_client.h"
#include "net/http_message.h"

namespace tracewire::net {

StatusOr<HttpUrl> HttpUrl::Parse(std::string_view url) {
  size_t colon = url.find("://");
  if (colon == std::string_view::npos) return InvalidArgumentError("URL without scheme");
  std::string_view scheme = url.substr(0, colon);
  if (EqualsIgnoreCase(scheme, "https")) return UnimplementedError("https is not supported");
  if (!EqualsIgnoreCase(scheme, "http")) return InvalidArgumentError("URL scheme is not http");
  std::string_view rest = url.substr(colon + 3);
  size_t fragment = rest.find('#');
  if (fragment != std::string_view::npos) rest = rest.substr(0, fragment);
  size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  HttpUrl out;
  if (authority_end != std::string_view::npos) {
    std::string_view target = rest.substr(authority_end);
    out.target = target[0] == '?' ? "/" + std::string(target) : std::string(target);
  }
  for (char c : out.target) {
    if (c < 0x21 || c > 0x7e) return InvalidArgumentError("URL path has a space or control");
  }
  if (authority.find('@') != std::string_view::npos) {
    return InvalidArgumentError("URL user info is not supported");
  }
  std::string_view port;
  if (!authority.empty() && authority[0] == '[') {  // IPv6 literal
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return InvalidArgumentError("unterminated IPv6 host");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return InvalidArgumentError("junk after IPv6 host");
      port = after.substr(1);
      if (port.empty()) return InvalidArgumentError("empty URL port");
    }
  } else {
    size_t port_colon = authority.find(':');
    out.host = std::string(authority.substr(0, port_colon));
    if (port_colon != std::string_view::npos) {
      port = authority.substr(port_colon + 1);
      if (port.empty()) return InvalidArgumentError("empty URL port");
    }
  }
  if (out.host.empty()) return InvalidArgumentError("URL without host");
  for (char c : out.host) {
    if (c <= 0x20 || c > 0x7e) return InvalidArgumentError("URL host has a space or control");
  }
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return InvalidArgumentError("invalid URL port");
    }
    out.port = static_cast<uint16_t>(value);
  }
  return out;
}

}  // namespace tracewire::net
