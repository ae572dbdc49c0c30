// Fuzzes HttpResponseParser: whole input vs. random-sized pieces must give the same responses.
#include <cstdlib>
#include <string>

#include "net/http_parser.h"
#include "net/testing/parse_in_pieces.h"

namespace {

std::string Describe(tracewire::net::HttpResponseParser& parser) {
  const tracewire::net::HttpResponse& r = parser.response();
  std::string out = std::to_string(r.status) + " " + r.reason;
  for (const auto& [name, value] : r.headers.fields()) out += "|" + name + ":" + value;
  return out + "|" + r.body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t seed = data[0] >> 1;
  bool head = (data[0] & 1) != 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  tracewire::net::HttpParseLimits limits;
  limits.max_body_bytes = 4096;
  limits.max_header_bytes = 2048;
  limits.max_header_fields = 20;
  tracewire::net::HttpResponseParser whole(limits);
  tracewire::net::HttpResponseParser pieces(limits);
  whole.set_head_request(head);
  pieces.set_head_request(head);
  auto a = tracewire::net::testing::ParseAll(whole, input, 0, Describe);
  auto b = tracewire::net::testing::ParseAll(pieces, input, seed, Describe);
  if (a != b) std::abort();
  return 0;
}
