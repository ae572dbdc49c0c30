#include "collector/receiver/http_ingest.h"

#include <algorithm>
#include <cctype>

#include "base/text.h"
#include "otlp/gzip.h"

namespace tracewire::collector::internal {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool WildcardMatch(std::string_view pattern, std::string_view text) {
  size_t star = pattern.find('*');
  if (star == std::string_view::npos) return pattern == text;
  std::string_view prefix = pattern.substr(0, star);
  std::string_view suffix = pattern.substr(star + 1);
  return text.size() >= prefix.size() + suffix.size() && text.substr(0, prefix.size()) == prefix &&
         text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::string MediaTypeOf(const net::HttpRequest& request) {
  std::optional<std::string_view> type = request.headers.Get("content-type");
  if (!type) return {};
  return Lower(TrimOws(type->substr(0, type->find(';'))));
}

Status DecodeContentEncoding(net::HttpRequest& request, size_t max_bytes) {
  std::optional<std::string> coding = request.headers.GetCombined("content-encoding");
  std::string_view c = coding ? TrimOws(*coding) : std::string_view();
  if (c.empty() || EqualsIgnoreCase(c, "identity")) {
    if (request.body.size() > max_bytes) {
      return ResourceExhaustedError("request body over " + std::to_string(max_bytes) + " bytes");
    }
    return OkStatus();
  }
  if (!EqualsIgnoreCase(c, "gzip")) {
    return InvalidArgumentError("unsupported Content-Encoding: " + std::string(c.substr(0, 64)));
  }
  std::string plain;
  Status s = otlp::GzipDecompress(request.body, plain, max_bytes);
  if (s.code() == StatusCode::kResourceExhausted) {
    return ResourceExhaustedError("decompressed body over " + std::to_string(max_bytes) + " bytes");
  }
  if (!s.ok()) return InvalidArgumentError("bad gzip body: " + s.message());
  request.body = std::move(plain);
  return OkStatus();
}

bool BearerTokenMatches(std::string_view authorization, std::string_view token) {
  if (token.empty()) return true;
  constexpr std::string_view kScheme = "bearer ";
  authorization = TrimOws(authorization);
  if (authorization.size() < kScheme.size() ||
      !EqualsIgnoreCase(authorization.substr(0, kScheme.size()), kScheme)) {
    return false;
  }
  std::string_view given = TrimOws(authorization.substr(kScheme.size()));
  unsigned diff = given.size() == token.size() ? 0 : 1;
  for (size_t i = 0; i < token.size(); ++i) {
    char g = i < given.size() ? given[i] : '\0';
    diff |= static_cast<unsigned char>(g ^ token[i]);
  }
  return diff == 0;
}

int HttpStatusForConsumerError(StatusCode code) {
  switch (code) {
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInvalidArgument: return 400;
    default: return 500;
  }
}

bool IsThrottling(StatusCode code) {
  return code == StatusCode::kResourceExhausted || code == StatusCode::kUnavailable;
}

bool CorsOriginAllowed(const CorsConfig& cors, std::string_view origin) {
  if (origin.empty()) return false;
  return std::any_of(cors.allowed_origins.begin(), cors.allowed_origins.end(),
                     [&](const std::string& allowed) { return WildcardMatch(allowed, origin); });
}

net::HttpResponse CorsPreflight(const CorsConfig& cors, const net::HttpRequest& request) {
  net::HttpResponse response;
  response.status = 204;
  std::string_view origin = request.headers.Get("origin").value_or("");
  if (!CorsOriginAllowed(cors, origin)) return response;
  response.headers.Add("Access-Control-Allow-Origin", std::string(origin));
  response.headers.Add("Vary", "Origin");
  response.headers.Add("Access-Control-Allow-Methods", "POST, OPTIONS");
  std::optional<std::string> asked = request.headers.GetCombined("access-control-request-headers");
  if (asked) {
    // Headers a browser may send with OTLP; others only when configured.
    static constexpr std::string_view kAlwaysAllowed[] = {"accept",           "accept-language",
                                                          "content-type",     "content-language",
                                                          "content-encoding", "x-requested-with"};
    bool any = std::find(cors.allowed_headers.begin(), cors.allowed_headers.end(), "*") !=
               cors.allowed_headers.end();
    std::string allowed;
    std::string_view rest = *asked;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string name = Lower(TrimOws(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (name.empty()) continue;
      bool ok = any ||
                std::find(std::begin(kAlwaysAllowed), std::end(kAlwaysAllowed), name) !=
                    std::end(kAlwaysAllowed) ||
                std::any_of(cors.allowed_headers.begin(), cors.allowed_headers.end(),
                            [&](const std::string& h) { return EqualsIgnoreCase(h, name); });
      if (!ok) continue;
      if (!allowed.empty()) allowed += ", ";
      allowed += name;
    }
    if (!allowed.empty()) response.headers.Add("Access-Control-Allow-Headers", allowed);
  }
  if (cors.max_age_seconds > 0) {
    response.headers.Add("Access-Control-Max-Age", std::to_string(cors.max_age_seconds));
  }
  return response;
}

void AddCorsHeaders(const CorsConfig& cors, std::string_view origin, net::HttpResponse& response) {
  if (cors.allowed_origins.empty()) return;
  if (!CorsOriginAllowed(cors, origin)) return;
  response.headers.Add("Access-Control-Allow-Origin", std::string(origin));
  response.headers.Add("Vary", "Origin");
}

}  // namespace tracewire::collector::internal
