// Fuzzes the web UI's static file handler with arbitrary request targets and methods over a
// real directory: ui/ holds index.html and assets/app.js, and a file beside ui/ holds a secret.
// Properties: no crash; the secret is never served, whatever the target (traversal raw,
// percent-encoded or through backslashes); every answer has a status the handler documents.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "query/static_ui.h"

namespace {

constexpr std::string_view kSecret = "tracewire-fuzz-secret-4f1c";

void Check(bool ok) {
  if (!ok) std::abort();
}

void Write(const std::filesystem::path& p, std::string_view text) {
  std::ofstream(p, std::ios::binary) << text;
}

const tracewire::net::HttpHandler& Handler() {
  static const tracewire::net::HttpHandler handler = [] {
    namespace fs = std::filesystem;
    const fs::path root =
        fs::temp_directory_path() / ("tw_static_ui_fuzz_" + std::to_string(::getpid()));
    fs::create_directories(root / "ui" / "assets");
    Write(root / "ui" / "index.html", "<div id=\"app\"></div>");
    Write(root / "ui" / "assets" / "app.js", "console.log(1)");
    Write(root / "secret.txt", kSecret);
    tracewire::query::StaticUiOptions options;
    options.ui_dir = (root / "ui").string();
    return tracewire::query::MakeStaticUiHandler(options);
  }();
  return handler;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  // First byte picks the method; the rest is the request target.
  static constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "get"};
  tracewire::net::HttpRequest request;
  request.method = std::string(kMethods[in.empty() ? 0 : static_cast<uint8_t>(in[0]) % 4]);
  request.target = std::string(in.empty() ? in : in.substr(1));
  const tracewire::net::HttpResponse response = Handler()(request);
  Check(response.body.find(kSecret) == std::string::npos);
  switch (response.status) {
    case 200:
    case 304:
    case 400:
    case 404:
    case 405:
    case 414:
    case 500: break;
    default: std::abort();
  }
  return 0;
}
