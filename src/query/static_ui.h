// Serving the built web UI (ui/dist: index.html plus content-hashed files under assets/) on the
// query API's listener: static files, and index.html for the UI's own routes (/search,
// /trace/{id}, /services) so deep links load the app. See README.md ("Web UI").
#pragma once

#include <cstdint>
#include <string>

#include "net/http_server.h"

namespace tracewire::query {

struct StaticUiOptions {
  // The built UI. Empty, missing or without index.html: pages answer a short HTML note saying
  // the UI is not built and how to build it.
  std::string ui_dir;
  // Files larger than this are not served (500).
  uint64_t max_file_bytes = uint64_t{64} << 20;
};

// GET and HEAD only (else 405); request targets over 4 KiB are 414; a path with "..", "." or a
// backslash or NUL among its segments (raw or percent-encoded) is 400, as is a bad escape; a
// symlink leading outside ui_dir is 404. Files under assets/ are cached for a year as immutable;
// other files carry an ETag (size and mtime) and answer If-None-Match with 304.
// Thread-safe; reads files per request.
net::HttpHandler MakeStaticUiHandler(StaticUiOptions options);

// Sends /api and /api/... to `api` and every other path to `ui`.
net::HttpHandler RouteApiAndUi(net::HttpHandler api, net::HttpHandler ui);

// The first default UI directory holding index.html, for the executable at `exe_path`:
// <exe dir>/../../ui/dist (build/bin/tracewire in the source tree), <exe dir>/../../../ui/dist
// (build/<preset>/bin/tracewire),
// <exe dir>/../share/tracewire/ui (installed). "" when none.
std::string FindDefaultUiDir(const std::string& exe_path);

}  // namespace tracewire::query
