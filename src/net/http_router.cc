#include "net/http_router.h"

#include <utility>

namespace tracewire::net {

void HttpRouter::Add(Route route) {
  for (Route& existing : routes_) {
    if (existing.method == route.method && existing.path == route.path) {
      existing = std::move(route);
      return;
    }
  }
  routes_.push_back(std::move(route));
}

void HttpRouter::Handle(std::string method, std::string path, HttpHandler handler,
                        size_t max_body_bytes) {
  Add(Route{std::move(method), std::move(path), std::move(handler), nullptr, max_body_bytes});
}

void HttpRouter::HandleAsync(std::string method, std::string path, HttpAsyncHandler handler,
                             size_t max_body_bytes) {
  Add(Route{std::move(method), std::move(path), nullptr, std::move(handler), max_body_bytes});
}

std::string_view HttpRouter::PathOf(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

const HttpRouter::Route* HttpRouter::Find(const HttpRequest& request,
                                          HttpResponse* no_route) const {
  std::string_view path = PathOf(request.target);
  std::string allow;
  for (const Route& route : routes_) {
    if (route.path != path) continue;
    if (route.method == request.method) return &route;
    if (!allow.empty()) allow += ", ";
    allow += route.method;
  }
  if (no_route == nullptr) return nullptr;
  no_route->headers.Add("Content-Type", "text/plain; charset=utf-8");
  if (allow.empty()) {
    no_route->status = 404;
    no_route->body = "no route for " + std::string(path) + "\n";
  } else {
    no_route->status = 405;
    no_route->headers.Add("Allow", allow);
    no_route->body = "method " + request.method + " not allowed for " + std::string(path) + "\n";
  }
  return nullptr;
}

HttpResponse HttpRouter::operator()(const HttpRequest& request) const {
  HttpResponse response;
  const Route* route = Find(request, &response);
  if (route == nullptr) return response;
  if (route->handler) return route->handler(request);
  response.status = 500;
  response.headers.Add("Content-Type", "text/plain; charset=utf-8");
  response.body = "asynchronous route behind a synchronous dispatch\n";
  return response;
}

void HttpRouter::Dispatch(HttpRequest request, const HttpResponder& responder) const {
  HttpResponse response;
  const Route* route = Find(request, &response);
  if (route == nullptr) return responder.Respond(std::move(response));
  if (route->handler) return responder.Respond(route->handler(request));
  route->async_handler(std::move(request), responder);
}

size_t HttpRouter::BodyLimitFor(const HttpRequest& head, size_t default_limit) const {
  const Route* route = Find(head, nullptr);
  return route != nullptr && route->max_body_bytes > 0 ? route->max_body_bytes : default_limit;
}

}  // namespace tracewire::net
