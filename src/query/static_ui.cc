#include "query/static_ui.h"

#include <sys/stat.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace tracewire::query {
namespace {

constexpr size_t kMaxTargetBytes = 4096;

constexpr std::string_view kNotBuiltPage =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>tracewire</title></head><body>"
    "<h1>tracewire: the web UI is not built</h1>"
    "<p>The query API is up under <a href=\"/api/v1/services\">/api/v1</a>. To get the UI, run "
    "<code>scripts/install-ui.sh</code> (or <code>make build</code>) in the source tree, or set "
    "<code>extensions.tracewire_query.ui_dir</code> to a built <code>ui/dist</code>, then "
    "restart <code>tracewire serve</code>.</p></body></html>\n";

struct ContentType {
  std::string_view extension;
  std::string_view type;
};
constexpr ContentType kContentTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".wasm", "application/wasm"},
};

std::string_view ContentTypeOf(std::string_view path) {
  for (const ContentType& c : kContentTypes) {
    if (path.size() >= c.extension.size() &&
        path.substr(path.size() - c.extension.size()) == c.extension) {
      return c.type;
    }
  }
  return "application/octet-stream";
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

net::HttpResponse TextResponse(int status, std::string_view body) {
  net::HttpResponse r;
  r.status = status;
  r.headers.Add("Content-Type", "text/plain; charset=utf-8");
  r.body = std::string(body);
  return r;
}

// The path of `target` as a relative file name under the UI root ("" for "/"), or an error
// response: 400 for a bad escape, a control byte, a backslash or a "." / ".." segment.
bool RelativePath(std::string_view target, std::string* out, net::HttpResponse* error) {
  const size_t end = target.find_first_of("?#");
  std::string_view raw = target.substr(0, end);
  if (raw.empty() || raw[0] != '/') {
    *error = TextResponse(400, "bad request target\n");
    return false;
  }
  std::string decoded;
  decoded.reserve(raw.size());
  for (size_t i = 1; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      const int hi = i + 2 < raw.size() ? HexDigit(raw[i + 1]) : -1;
      const int lo = i + 2 < raw.size() ? HexDigit(raw[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        *error = TextResponse(400, "bad percent-escape in path\n");
        return false;
      }
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\') {
      *error = TextResponse(400, "bad byte in path\n");
      return false;
    }
    decoded.push_back(c);
  }
  size_t start = 0;
  while (start <= decoded.size()) {
    size_t slash = decoded.find('/', start);
    if (slash == std::string::npos) slash = decoded.size();
    const std::string_view whole = decoded;
    const std::string_view segment = whole.substr(start, slash - start);
    if (segment == "." || segment == "..") {
      *error = TextResponse(400, "dot segments are not allowed in the path\n");
      return false;
    }
    start = slash + 1;
  }
  *out = std::move(decoded);
  return true;
}

// A route of the app itself (no file extension in the last segment): answered with index.html.
bool IsAppRoute(std::string_view relative) {
  const size_t slash = relative.rfind('/');
  const std::string_view last =
      slash == std::string_view::npos ? relative : relative.substr(slash + 1);
  return last.find('.') == std::string_view::npos;
}

std::string RealPath(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr),
                                                       &std::free);
  return resolved ? std::string(resolved.get()) : std::string();
}

bool IsRegularFile(const std::string& path, struct stat* st) {
  return ::stat(path.c_str(), st) == 0 && S_ISREG(st->st_mode);
}

class StaticUi {
 public:
  explicit StaticUi(StaticUiOptions options) : options_(std::move(options)) {
    struct stat st {};
    if (!options_.ui_dir.empty()) root_ = RealPath(options_.ui_dir);
    if (!root_.empty() && !IsRegularFile(root_ + "/index.html", &st)) root_.clear();
  }

  net::HttpResponse Handle(const net::HttpRequest& request) const {
    if (request.method != "GET" && request.method != "HEAD") {
      net::HttpResponse r = TextResponse(405, "only GET and HEAD are allowed\n");
      r.headers.Add("Allow", "GET, HEAD");
      return r;
    }
    if (request.target.size() > kMaxTargetBytes) return TextResponse(414, "target too long\n");
    std::string relative;
    net::HttpResponse error;
    if (!RelativePath(request.target, &relative, &error)) return error;
    if (root_.empty()) {
      if (!IsAppRoute(relative)) return TextResponse(404, "not found\n");
      net::HttpResponse r;
      r.headers.Add("Content-Type", "text/html; charset=utf-8");
      r.headers.Add("Cache-Control", "no-cache");
      r.body = std::string(kNotBuiltPage);
      return r;
    }
    if (relative.empty()) relative = "index.html";
    std::string path = root_ + "/" + relative;
    struct stat st {};
    if (!IsRegularFile(path, &st)) {
      if (!IsAppRoute(relative)) return TextResponse(404, "not found\n");
      relative = "index.html";
      path = root_ + "/index.html";
      if (!IsRegularFile(path, &st)) return TextResponse(404, "not found\n");
    }
    const std::string real = RealPath(path);
    if (real.size() <= root_.size() || real.compare(0, root_.size(), root_) != 0 ||
        real[root_.size()] != '/') {
      return TextResponse(404, "not found\n");
    }
    return ServeFile(request, real, relative, st);
  }

 private:
  net::HttpResponse ServeFile(const net::HttpRequest& request, const std::string& path,
                              std::string_view relative, const struct stat& st) const {
    if (static_cast<uint64_t>(st.st_size) > options_.max_file_bytes) {
      return TextResponse(500, "file over the size limit\n");
    }
    char etag[64];
    std::snprintf(etag, sizeof etag, "\"%llx-%llx\"", static_cast<unsigned long long>(st.st_size),
                  static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ULL +
                      static_cast<unsigned long long>(st.st_mtim.tv_nsec));
    net::HttpResponse r;
    r.headers.Add("ETag", etag);
    r.headers.Add("Cache-Control", relative.substr(0, 7) == "assets/"
                                       ? "public, max-age=31536000, immutable"
                                       : "no-cache");
    r.headers.Add("X-Content-Type-Options", "nosniff");
    const std::optional<std::string_view> if_none_match = request.headers.Get("If-None-Match");
    if (if_none_match.has_value() && *if_none_match == etag) {
      r.status = 304;
      return r;
    }
    std::ifstream in(path, std::ios::binary);
    std::string body(static_cast<size_t>(st.st_size), '\0');
    if (!in.read(body.data(), static_cast<std::streamsize>(body.size()))) {
      return TextResponse(500, "could not read the file\n");
    }
    r.headers.Add("Content-Type", std::string(ContentTypeOf(relative)));
    r.body = std::move(body);
    return r;
  }

  StaticUiOptions options_;
  std::string root_;  // realpath of ui_dir; empty when there is no built UI
};

}  // namespace

net::HttpHandler MakeStaticUiHandler(StaticUiOptions options) {
  auto ui = std::make_shared<const StaticUi>(std::move(options));
  return [ui](const net::HttpRequest& request) { return ui->Handle(request); };
}

net::HttpHandler RouteApiAndUi(net::HttpHandler api, net::HttpHandler ui) {
  return [api = std::move(api), ui = std::move(ui)](const net::HttpRequest& request) {
    const std::string_view target = request.target;
    const std::string_view path = target.substr(0, target.find_first_of("?#"));
    const bool is_api = path == "/api" || path.substr(0, 5) == "/api/";
    return is_api ? api(request) : ui(request);
  };
}

std::string FindDefaultUiDir(const std::string& exe_path) {
  const std::string exe = RealPath(exe_path);
  if (exe.empty()) return {};
  const std::string dir = exe.substr(0, exe.rfind('/'));
  for (const char* candidate : {"/../../ui/dist", "/../../../ui/dist", "/../share/tracewire/ui"}) {
    struct stat st {};
    const std::string path = dir + candidate;
    if (IsRegularFile(path + "/index.html", &st)) return RealPath(path);
  }
  return {};
}

}  // namespace tracewire::query
