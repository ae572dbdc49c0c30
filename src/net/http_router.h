// A small router: dispatches on method and exact path (the target without its query).
// Unknown paths get 404, known paths with another method 405 with an Allow field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "net/http_message.h"
#include "net/http_server.h"

namespace tracewire::net {

class HttpRouter {
 public:
  // Routes `method` `path` to `handler`; a later route for the same pair replaces the earlier.
  void Handle(std::string method, std::string path, HttpHandler handler);

  // Answers `request` with the matching handler, or 404 / 405.
  // Thread-safe once all routes are added; copyable, so it can be passed as an HttpHandler.
  HttpResponse operator()(const HttpRequest& request) const;

  // The path part of a request target: everything before '?' (or '#').
  static std::string_view PathOf(std::string_view target);

 private:
  struct Route {
    std::string method;
    std::string path;
    HttpHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace tracewire::net
