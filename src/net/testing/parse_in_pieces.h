// Test-only, shared by the HTTP parser fuzz targets: feeds the input whole, then again in pieces
// whose sizes come from the input itself, and checks both ways agree on every message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_parser.h"

namespace tracewire::net::testing {

// A message, or how parsing ended, as a comparable string.
template <typename Parser, typename Describe>
std::vector<std::string> ParseAll(Parser& parser, std::string_view input, size_t seed,
                                  Describe describe) {
  std::vector<std::string> out;
  size_t state = seed | 1;
  while (true) {
    size_t piece = input.size();
    if (seed != 0) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      piece = 1 + (state >> 33) % 17;
    }
    std::string_view chunk = input.substr(0, piece);
    size_t used = parser.Feed(chunk);
    if (used > chunk.size()) std::abort();  // never consumes more than it was given
    input.remove_prefix(used);
    if (parser.done()) {
      out.push_back(describe(parser));
      if (out.size() > 1000) std::abort();  // every message consumes at least one byte
      parser.Reset();
      continue;
    }
    if (parser.failed()) {
      if (parser.status().ok()) std::abort();
      out.push_back("error " + std::to_string(static_cast<int>(parser.error())));
      return out;
    }
    if (used < chunk.size()) std::abort();  // stops early only when done or failed
    if (input.empty()) {
      parser.FinishEof();
      if (parser.done()) out.push_back(describe(parser));
      if (parser.failed()) out.push_back("truncated");
      return out;
    }
  }
}

}  // namespace tracewire::net::testing
