#include "sidecar/sniff.h"

#include <array>

namespace tracewire::sidecar {
namespace {

// Request methods of RFC 9110 §9 and RFC 5789, each followed by the space of the request line.
// (HTTP/2's preface "PRI * HTTP/2.0" is left to the TCP relay on purpose.)
constexpr std::array<std::string_view, 9> kMethods = {
    "GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ",
};

}  // namespace

SniffResult SniffProtocol(std::string_view prefix) {
  if (prefix.empty()) return SniffResult::kNeedMore;
  if (static_cast<unsigned char>(prefix[0]) == 0x09) {
    if (prefix.size() < 2) return SniffResult::kNeedMore;
    return static_cast<unsigned char>(prefix[1]) == 0x30 ? SniffResult::kTrpc : SniffResult::kTcp;
  }
  bool could_be_method = false;
  for (std::string_view method : kMethods) {
    if (prefix.size() >= method.size()) {
      if (prefix.substr(0, method.size()) == method) return SniffResult::kHttp1;
    } else if (method.substr(0, prefix.size()) == prefix) {
      could_be_method = true;
    }
  }
  return could_be_method ? SniffResult::kNeedMore : SniffResult::kTcp;
}

std::string_view SniffResultName(SniffResult result) {
  switch (result) {
    case SniffResult::kNeedMore: return "need_more";
    case SniffResult::kTrpc: return "trpc";
    case SniffResult::kHttp1: return "http1";
    case SniffResult::kTcp: return "tcp";
  }
  return "tcp";
}

}  // namespace tracewire::sidecar
