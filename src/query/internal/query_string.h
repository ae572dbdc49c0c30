// Request targets of the query API: the query string as decoded (name, value) pairs, and the path
// as percent-decoded segments. Pure functions over bytes; every malformed input is a Status.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace tracewire::query::internal {

// Bounds on what one request may carry (bytes and counts).
inline constexpr size_t kMaxTargetBytes = size_t{16} * 1024;
inline constexpr size_t kMaxParams = 64;
inline constexpr size_t kMaxPathSegments = 8;

// The parameters of an application/x-www-form-urlencoded query string, in order, names and
// values percent-decoded and '+' read as a space (as Go's url.ParseQuery does). A piece without
// '=' is a name with an empty value; empty pieces ("a=1&&b=2") are skipped.
class QueryParams {
 public:
  // Errors: INVALID_ARGUMENT for a bad "%XY" escape or more than `max_params` parameters.
  static StatusOr<QueryParams> Parse(std::string_view query, size_t max_params = kMaxParams);

  // The first value of `name` that is not empty, or nullptr (Go's FormValue, which the Jaeger
  // parser uses, makes "x=" mean "x not given").
  const std::string* Find(std::string_view name) const;
  // Every value of `name`, empty ones included, in order.
  std::vector<std::string_view> All(std::string_view name) const;

  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Splits the path of a target ("/a/b%2Fc" → {"a", "b/c"}): REQUIRES a leading '/'. Each
// segment is percent-decoded after splitting, so "%2F" stays inside its segment; '+' is literal.
// Errors: INVALID_ARGUMENT for a bad escape, an empty segment ("//", a trailing '/'), or more than
// `max_segments` segments.
StatusOr<std::vector<std::string>> SplitPath(std::string_view path,
                                             size_t max_segments = kMaxPathSegments);

// Splits a request target into path and query (the part after '?', without any "#fragment").
std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target);

}  // namespace tracewire::query::internal
