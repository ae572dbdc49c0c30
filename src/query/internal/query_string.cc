#include "query/internal/query_string.h"

#include "base/text.h"

namespace tracewire::query::internal {
namespace {

// Percent-decodes a form component: '+' is a space, "%XY" a byte.
bool DecodeFormComponent(std::string_view in, std::string* out) {
  if (in.find('+') == std::string_view::npos) return PercentDecode(in, out);
  std::string spaced(in);
  for (char& c : spaced) {
    if (c == '+') c = ' ';
  }
  return PercentDecode(spaced, out);
}

}  // namespace

StatusOr<QueryParams> QueryParams::Parse(std::string_view query, size_t max_params) {
  QueryParams params;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    if (params.items_.size() == max_params) {
      return InvalidArgumentError("more than " + std::to_string(max_params) + " query parameters");
    }
    const size_t eq = piece.find('=');
    std::string name;
    std::string value;
    if (!DecodeFormComponent(piece.substr(0, eq), &name) ||
        (eq != std::string_view::npos && !DecodeFormComponent(piece.substr(eq + 1), &value))) {
      return InvalidArgumentError("malformed percent-escape in the query string");
    }
    params.items_.emplace_back(std::move(name), std::move(value));
  }
  return params;
}

const std::string* QueryParams::Find(std::string_view name) const {
  for (const auto& [n, v] : items_) {
    if (n == name && !v.empty()) return &v;
  }
  return nullptr;
}

std::vector<std::string_view> QueryParams::All(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& [n, v] : items_) {
    if (n == name) values.emplace_back(v);
  }
  return values;
}

StatusOr<std::vector<std::string>> SplitPath(std::string_view path, size_t max_segments) {
  if (path.empty() || path.front() != '/') {
    return InvalidArgumentError("path must start with '/'");
  }
  std::vector<std::string> segments;
  std::string_view rest = path.substr(1);
  while (true) {
    const size_t slash = rest.find('/');
    const std::string_view raw = rest.substr(0, slash);
    if (raw.empty()) return InvalidArgumentError("empty path segment");
    if (segments.size() == max_segments) return InvalidArgumentError("too many path segments");
    std::string decoded;
    if (!PercentDecode(raw, &decoded)) {
      return InvalidArgumentError("malformed percent-escape in the path");
    }
    segments.push_back(std::move(decoded));
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  return segments;
}

std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target) {
  const size_t hash = target.find('#');
  if (hash != std::string_view::npos) target = target.substr(0, hash);
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {target, {}};
  return {target.substr(0, q), target.substr(q + 1)};
}

}  // namespace tracewire::query::internal
