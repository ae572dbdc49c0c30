// Protocol sniffing: what a downstream connection speaks, decided from its first bytes.
// Pure function over bytes; HOT PATH (once per connection), no allocation.
#pragma once

#include <cstddef>
#include <string_view>

namespace tracewire::sidecar {

enum class SniffResult {
  kNeedMore,  // the bytes so far fit more than one answer; read more (or time out: kTcp)
  kTrpc,      // tRPC frame magic 0x0930
  kHttp1,     // an HTTP/1.x request line: a known method, one space, then a target
  kTcp,       // anything else (TLS, HTTP/2 preface, other protocols): relayed, not traced
};

// Longest prefix SniffProtocol may ask for before it decides (bytes).
inline constexpr size_t kMaxSniffBytes = 8;

// Decides from the first bytes of a connection. Never returns kNeedMore for an input of
// kMaxSniffBytes bytes or more.
SniffResult SniffProtocol(std::string_view prefix);

std::string_view SniffResultName(SniffResult result);  // "trpc", "http1", "tcp", "need_more"

}  // namespace tracewire::sidecar
