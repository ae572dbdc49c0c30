#include "collector/partial_success.h"

#include <charconv>

namespace tracewire::collector {

namespace {
constexpr std::string_view kPrefix = "partial success: ";
constexpr std::string_view kRejected = " rejected";
}  // namespace

Status PartialSuccessStatus(uint64_t rejected, std::string_view message) {
  std::string text = std::string(kPrefix) + std::to_string(rejected) + std::string(kRejected);
  if (!message.empty()) text += "; " + std::string(message);
  return Status(StatusCode::kOk, std::move(text));
}

std::optional<PartialSuccessInfo> ParsePartialSuccess(const Status& status) {
  if (!status.ok()) return std::nullopt;
  std::string_view text = status.message();
  if (text.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  text.remove_prefix(kPrefix.size());
  PartialSuccessInfo info;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), info.rejected);
  if (ec != std::errc()) return std::nullopt;
  text.remove_prefix(static_cast<size_t>(ptr - text.data()));
  if (text.substr(0, kRejected.size()) != kRejected) return std::nullopt;
  text.remove_prefix(kRejected.size());
  if (text.substr(0, 2) == "; ") info.message = std::string(text.substr(2));
  return info;
}

}  // namespace tracewire::collector
