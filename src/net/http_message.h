// HTTP/1.1 request and response values shared by the client, the server and their users.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/text.h"

namespace tracewire::net {

// Header fields in arrival order; names compared case-insensitively.
class HttpHeaders {
 public:
  // Appends a field (repeats allowed).
  void Add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  // Replaces every field named `name` with one.
  void Set(std::string_view name, std::string_view value);
  // The first value of `name`, or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;
  // All values of `name` joined with ", " (RFC 9110 §5.3), or nullopt.
  std::optional<std::string> GetCombined(std::string_view name) const;
  void Remove(std::string_view name);

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";  // origin-form: path and query
  HttpHeaders headers;
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string reason;  // empty: the standard phrase for `status`
  HttpHeaders headers;
  std::string body;
};

// ASCII case-insensitive equality (base/text.h).
using ::tracewire::EqualsIgnoreCase;

}  // namespace tracewire::net
