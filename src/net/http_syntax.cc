#include "net/http_syntax.h"

#include <array>
#include <string>

namespace tracewire::net {
namespace {

constexpr std::array<bool, 256> MakeTokenTable() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kTokenTable = MakeTokenTable();

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses "HTTP/1.x" into *minor; other majors give UNIMPLEMENTED, bad syntax INVALID_ARGUMENT.
Status ParseVersion(std::string_view v, int* minor) {
  if (v.size() != 8 || v.substr(0, 5) != "HTTP/" || !IsDigit(v[5]) || v[6] != '.' ||
      !IsDigit(v[7])) {
    return InvalidArgumentError("malformed HTTP version");
  }
  if (v[5] != '1') return UnimplementedError("unsupported HTTP version");
  *minor = v[7] - '0';
  return OkStatus();
}

// Calls fn(element) for every non-empty, OWS-trimmed element of a comma-separated list.
template <typename Fn>
void ForEachListElement(std::string_view list, Fn fn) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view element = TrimOws(list.substr(0, comma));
    if (!element.empty()) fn(element);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace

bool IsTokenChar(char c) { return kTokenTable[static_cast<unsigned char>(c)]; }

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool IsFieldValue(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && u != '\t') || u == 0x7f) return false;
  }
  return true;
}

bool IsRequestTarget(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

StatusOr<RequestLine> ParseRequestLine(std::string_view line) {
  size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return InvalidArgumentError("malformed request line");
  size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return InvalidArgumentError("malformed request line");
  RequestLine out;
  out.method = line.substr(0, sp1);
  out.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (!IsToken(out.method)) return InvalidArgumentError("malformed request method");
  if (!IsRequestTarget(out.target)) return InvalidArgumentError("malformed request target");
  Status version = ParseVersion(line.substr(sp2 + 1), &out.minor_version);
  if (!version.ok()) return version;
  return out;
}

StatusOr<StatusLine> ParseStatusLine(std::string_view line) {
  if (line.size() < 12 || line[8] != ' ') return InvalidArgumentError("malformed status line");
  StatusLine out;
  Status version = ParseVersion(line.substr(0, 8), &out.minor_version);
  if (!version.ok()) return version;
  if (!IsDigit(line[9]) || !IsDigit(line[10]) || !IsDigit(line[11])) {
    return InvalidArgumentError("malformed status code");
  }
  out.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (out.status < 100) return InvalidArgumentError("malformed status code");
  if (line.size() > 12) {
    if (line[12] != ' ') return InvalidArgumentError("malformed status line");
    out.reason = line.substr(13);
    if (!IsFieldValue(out.reason)) return InvalidArgumentError("malformed reason phrase");
  }
  return out;
}

StatusOr<FieldLine> ParseFieldLine(std::string_view line) {
  if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
    return InvalidArgumentError("obsolete line folding is not accepted");
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return InvalidArgumentError("header field without ':'");
  FieldLine out;
  out.name = line.substr(0, colon);
  if (!IsToken(out.name)) return InvalidArgumentError("malformed header field name");
  out.value = TrimOws(line.substr(colon + 1));
  if (!IsFieldValue(out.value)) return InvalidArgumentError("malformed header field value");
  return out;
}

StatusOr<std::optional<uint64_t>> ParseContentLength(const HttpHeaders& headers) {
  std::optional<uint64_t> length;
  bool bad = false;
  for (const auto& [name, value] : headers.fields()) {
    if (!EqualsIgnoreCase(name, "content-length")) continue;
    bool any = false;
    ForEachListElement(value, [&](std::string_view element) {
      any = true;
      uint64_t n = 0;
      if (element.size() > 18) bad = true;  // keeps n far from overflow
      for (char c : element) {
        if (!IsDigit(c)) bad = true;
        n = n * 10 + static_cast<uint64_t>(c - '0');
      }
      if (bad) return;
      if (length.has_value() && *length != n) bad = true;
      length = n;
    });
    if (!any) bad = true;
    if (bad) return InvalidArgumentError("invalid or conflicting Content-Length");
  }
  return length;
}

StatusOr<std::optional<bool>> ParseTransferEncoding(const HttpHeaders& headers) {
  int codings = 0;
  bool chunked = false;
  bool present = false;
  for (const auto& [name, value] : headers.fields()) {
    if (!EqualsIgnoreCase(name, "transfer-encoding")) continue;
    present = true;
    ForEachListElement(value, [&](std::string_view element) {
      ++codings;
      chunked = EqualsIgnoreCase(element, "chunked");
    });
  }
  if (!present) return std::optional<bool>();
  if (codings != 1 || !chunked) {
    return UnimplementedError("unsupported Transfer-Encoding (only \"chunked\" is accepted)");
  }
  return std::optional<bool>(true);
}

StatusOr<uint64_t> ParseChunkSizeLine(std::string_view line) {
  size_t i = 0;
  uint64_t size = 0;
  for (; i < line.size(); ++i) {
    int v = HexValue(line[i]);
    if (v < 0) break;
    if (size >> 56 != 0) return InvalidArgumentError("chunk size too large");
    size = size << 4 | static_cast<uint64_t>(v);
  }
  if (i == 0) return InvalidArgumentError("malformed chunk size");
  std::string_view rest = TrimOws(line.substr(i));
  if (!rest.empty() && rest[0] != ';') return InvalidArgumentError("malformed chunk extension");
  if (!IsFieldValue(rest)) return InvalidArgumentError("malformed chunk extension");
  return size;
}

bool HasListToken(const HttpHeaders& headers, std::string_view name, std::string_view token) {
  bool found = false;
  for (const auto& [field, value] : headers.fields()) {
    if (!EqualsIgnoreCase(field, name)) continue;
    ForEachListElement(value, [&](std::string_view element) {
      if (EqualsIgnoreCase(element, token)) found = true;
    });
  }
  return found;
}

}  // namespace tracewire::net
