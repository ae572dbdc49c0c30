#include "query/query_handler.h"

#include <chrono>
#include <string_view>
#include <utility>
#include <vector>

#include "base/text.h"
#include "query/internal/api_routes.h"
#include "query/internal/query_string.h"
#include "query/internal/responses.h"

namespace tracewire::query {
namespace {

using internal::JaegerError;
using internal::NativeError;

uint64_t SystemNowNs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// Compares in time that depends only on expected.size(), never on where the strings differ.
bool ConstantTimeEquals(std::string_view expected, std::string_view given) {
  volatile uint8_t diff = expected.size() == given.size() ? 0 : 1;
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto g = static_cast<uint8_t>(i < given.size() ? given[i] : 0);
    diff = static_cast<uint8_t>(diff | (static_cast<uint8_t>(expected[i]) ^ g));
  }
  return diff == 0;
}

bool Authorized(const net::HttpRequest& request, std::string_view token) {
  const std::optional<std::string_view> header = request.headers.Get("Authorization");
  if (!header.has_value()) return false;
  constexpr std::string_view kScheme = "Bearer ";
  if (header->size() < kScheme.size() ||
      !EqualsIgnoreCase(header->substr(0, kScheme.size()), kScheme)) {
    return false;
  }
  return ConstantTimeEquals(token, TrimOws(header->substr(kScheme.size())));
}

class QueryHandler {
 public:
  QueryHandler(store::Store& store, QueryOptions options)
      : store_(store), options_(std::move(options)) {
    if (!options_.now_ns) options_.now_ns = SystemNowNs;
  }

  net::HttpResponse Handle(const net::HttpRequest& request) const {
    const auto [path, query] = internal::SplitTarget(request.target);
    if (path != "/api" && path.substr(0, 5) != "/api/") {
      net::HttpResponse response;
      response.status = 404;
      return response;
    }
    net::HttpResponse response = Answer(request, path, query);
    Count(response.status);
    return response;
  }

 private:
  net::HttpResponse Answer(const net::HttpRequest& request, std::string_view path,
                           std::string_view query) const {
    const bool native = path == "/api/v1" || path.substr(0, 8) == "/api/v1/";
    auto error = [native](int status, std::string_view msg) {
      return native ? NativeError(status, msg) : JaegerError(status, msg);
    };
    if (!options_.auth_token.empty() && !Authorized(request, options_.auth_token)) {
      net::HttpResponse response = error(401, "missing or wrong bearer token");
      response.headers.Add("WWW-Authenticate", "Bearer");
      return response;
    }
    if (request.method != "GET") {
      net::HttpResponse response = error(405, "only GET is allowed");
      response.headers.Add("Allow", "GET");
      return response;
    }
    if (request.target.size() > internal::kMaxTargetBytes) {
      return error(400, "request target longer than " + std::to_string(internal::kMaxTargetBytes) +
                            " bytes");
    }
    StatusOr<std::vector<std::string>> segments = internal::SplitPath(path);
    if (!segments.ok()) return error(400, segments.status().message());
    StatusOr<internal::QueryParams> params = internal::QueryParams::Parse(query);
    if (!params.ok()) return error(400, params.status().message());

    internal::ApiContext ctx;
    ctx.store = &store_;
    ctx.max_limit = options_.max_limit;
    ctx.now_ns = options_.now_ns();
    return native ? internal::ServeNative(ctx, *segments, *params)
                  : internal::ServeJaeger(ctx, *segments, *params);
  }

  void Count(int status) const {
    QueryCounters* c = options_.counters.get();
    if (c == nullptr) return;
    c->requests.fetch_add(1, std::memory_order_relaxed);
    if (status == 400) c->bad_requests.fetch_add(1, std::memory_order_relaxed);
    if (status == 401) c->unauthorized.fetch_add(1, std::memory_order_relaxed);
    if (status == 404) c->not_found.fetch_add(1, std::memory_order_relaxed);
    if (status >= 500) c->store_errors.fetch_add(1, std::memory_order_relaxed);
  }

  store::Store& store_;
  QueryOptions options_;
};

}  // namespace

net::HttpHandler MakeQueryHandler(store::Store& store, QueryOptions options) {
  auto handler = std::make_shared<const QueryHandler>(store, std::move(options));
  return [handler](const net::HttpRequest& request) { return handler->Handle(request); };
}

}  // namespace tracewire::query
