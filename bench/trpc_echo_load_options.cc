#include "trpc_echo_load_options.h"

#include <charconv>

namespace tracewire::bench {

Status ParseAddress(const std::string& addr, LoadOptions* options) {
  const size_t colon = addr.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgumentError("--addr: expected HOST:PORT, got \"" + addr + "\"");
  }
  std::string host = addr.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port_text = addr.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
      port > 65535) {
    return InvalidArgumentError("--addr: bad port in \"" + addr + "\"");
  }
  options->host = std::move(host);
  options->port = static_cast<uint16_t>(port);
  return OkStatus();
}

Status ValidateLoadOptions(const LoadOptions& o) {
  if (o.port == 0) return InvalidArgumentError("--addr is required");
  if (o.connections < 1) return InvalidArgumentError("--connections must be >= 1");
  if (o.threads < 1) return InvalidArgumentError("--threads must be >= 1");
  if (o.duration_s <= 0) return InvalidArgumentError("--duration-s must be > 0");
  if (o.warmup_s < 0) return InvalidArgumentError("--warmup-s must be >= 0");
  if (o.timeout_ms < 1) return InvalidArgumentError("--timeout-ms must be >= 1");
  if (o.body_size > size_t{8} * 1024 * 1024)
    return InvalidArgumentError("--body-size must be <= 8 MiB");
  if (o.mode == LoadMode::kClosed && (o.pipeline < 1 || o.pipeline > 1024)) {
    return InvalidArgumentError("--pipeline must be in 1..1024");
  }
  if (o.protocol == LoadProtocol::kHttp && (o.path.empty() || o.path.front() != '/' ||
                                            o.path.find_first_of(" \r\n") != std::string::npos)) {
    return InvalidArgumentError("--path must start with '/' and hold no space or line break");
  }
  if (o.mode == LoadMode::kOpen && o.rate <= 0) {
    return InvalidArgumentError("--rate must be > 0 in open-loop mode");
  }
  return OkStatus();
}

}  // namespace tracewire::bench
