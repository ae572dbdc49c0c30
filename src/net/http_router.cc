#include "net/http_router.h"

#include <utility>

namespace tracewire::net {

void HttpRouter::Handle(std::string method, std::string path, HttpHandler handler) {
  for (Route& route : routes_) {
    if (route.method == method && route.path == path) {
      route.handler = std::move(handler);
      return;
    }
  }
  routes_.push_back(Route{std::move(method), std::move(path), std::move(handler)});
}

std::string_view HttpRouter::PathOf(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

HttpResponse HttpRouter::operator()(const HttpRequest& request) const {
  std::string_view path = PathOf(request.target);
  std::string allow;
  for (const Route& route : routes_) {
    if (route.path != path) continue;
    if (route.method == request.method) return route.handler(request);
    if (!allow.empty()) allow += ", ";
    allow += route.method;
  }
  HttpResponse response;
  response.headers.Add("Content-Type", "text/plain; charset=utf-8");
  if (allow.empty()) {
    response.status = 404;
    response.body = "no route for " + std::string(path) + "\n";
  } else {
    response.status = 405;
    response.headers.Add("Allow", allow);
    response.body = "method " + request.method + " not allowed for " + std::string(path) + "\n";
  }
  return response;
}

}  // namespace tracewire::net
