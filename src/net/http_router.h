// A small router: dispatches on method and exact path (the target without its query).
// Unknown paths get 404, known paths with another method 405 with an Allow field.
// Routes are synchronous (HttpHandler) or asynchronous (HttpAsyncHandler), each with an
// optional body limit of its own.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_message.h"
#include "net/http_server.h"

namespace tracewire::net {

class HttpRouter {
 public:
  // Routes `method` `path` to `handler`; a later route for the same pair replaces the earlier.
  // `max_body_bytes` > 0 is this route's body limit (see BodyLimitFor); 0 keeps the server's.
  void Handle(std::string method, std::string path, HttpHandler handler, size_t max_body_bytes = 0);
  void HandleAsync(std::string method, std::string path, HttpAsyncHandler handler,
                   size_t max_body_bytes = 0);

  // Answers `request` with the matching handler, or 404 / 405.
  // Thread-safe once all routes are added; copyable, so it can be passed as an HttpHandler.
  // An asynchronous route reached this way answers 500: serve those through Dispatch.
  HttpResponse operator()(const HttpRequest& request) const;

  // Dispatches `request` to its route, synchronous or not (an HttpAsyncHandler body:
  // [router](HttpRequest r, HttpResponder w) { router->Dispatch(std::move(r), w); }).
  void Dispatch(HttpRequest request, const HttpResponder& responder) const;

  // The body limit of the route `head` goes to, else `default_limit` (bytes). Usable as
  // HttpServerOptions::body_limit.
  size_t BodyLimitFor(const HttpRequest& head, size_t default_limit) const;

  // The path part of a request target: everything before '?' (or '#').
  static std::string_view PathOf(std::string_view target);

 private:
  struct Route {
    std::string method;
    std::string path;
    HttpHandler handler;  // one of the two is set
    HttpAsyncHandler async_handler;
    size_t max_body_bytes = 0;
  };
  void Add(Route route);
  // The route for `request`, or nullptr with *no_route set to the 404/405 answer.
  const Route* Find(const HttpRequest& request, HttpResponse* no_route) const;

  std::vector<Route> routes_;
};

}  // namespace tracewire::net
