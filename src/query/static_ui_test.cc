// The static UI handler: files, content types, caching, the app's routes, the not-built page, and
// every way a path could leave the UI directory.
#include "query/static_ui.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace tracewire::query {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

class StaticUiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("static_ui_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    dist_ = base_ / "dist";
    WriteFile(dist_ / "index.html", "<!doctype html><title>tw</title>");
    WriteFile(dist_ / "assets" / "index-abc123.js", "console.log(1)");
    WriteFile(dist_ / "assets" / "index-abc123.css", "body{}");
    WriteFile(dist_ / "favicon.svg", "<svg/>");
    WriteFile(base_ / "secret.txt", "top secret");
    fs::create_symlink(base_ / "secret.txt", dist_ / "assets" / "leak.txt");
    StaticUiOptions options;
    options.ui_dir = dist_.string();
    ui_ = MakeStaticUiHandler(options);
  }
  void TearDown() override { fs::remove_all(base_); }

  net::HttpResponse Get(const std::string& target, const std::string& method = "GET") {
    net::HttpRequest request;
    request.method = method;
    request.target = target;
    return ui_(request);
  }

  fs::path base_, dist_;
  net::HttpHandler ui_;
};

TEST_F(StaticUiTest, ServesIndexAtTheRoot) {
  net::HttpResponse r = Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<!doctype html><title>tw</title>");
  EXPECT_EQ(r.headers.Get("Content-Type").value_or(""), "text/html; charset=utf-8");
  EXPECT_EQ(r.headers.Get("Cache-Control").value_or(""), "no-cache");
}

TEST_F(StaticUiTest, ServesHashedAssetsWithTypeAndLongCache) {
  net::HttpResponse js = Get("/assets/index-abc123.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(js.headers.Get("Content-Type").value_or(""), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.headers.Get("Cache-Control").value_or(""), "public, max-age=31536000, immutable");
  EXPECT_EQ(Get("/assets/index-abc123.css").headers.Get("Content-Type").value_or(""),
            "text/css; charset=utf-8");
  EXPECT_EQ(Get("/favicon.svg").headers.Get("Content-Type").value_or(""), "image/svg+xml");
}

TEST_F(StaticUiTest, AnswersTheAppRoutesWithIndex) {
  for (const char* target : {"/search", "/search?service=a&limit=20", "/trace/0af7651916cd43dd",
                             "/trace/0af7651916cd43dd?span=b7ad6b7169203331", "/services"}) {
    net::HttpResponse r = Get(target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body, "<!doctype html><title>tw</title>") << target;
  }
}

TEST_F(StaticUiTest, MissingFilesWithAnExtensionAre404) {
  EXPECT_EQ(Get("/assets/missing.js").status, 404);
  EXPECT_EQ(Get("/robots.txt").status, 404);
}

TEST_F(StaticUiTest, AnswersIfNoneMatchWithNotModified) {
  net::HttpResponse first = Get("/");
  const std::string etag(first.headers.Get("ETag").value_or(""));
  ASSERT_FALSE(etag.empty());
  net::HttpRequest again;
  again.target = "/";
  again.headers.Add("If-None-Match", etag);
  net::HttpResponse r = ui_(again);
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
}

TEST_F(StaticUiTest, RejectsTraversalRawAndEncoded) {
  for (const char* target :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
        "/assets/..%2f..%2fsecret.txt", "/.%2e/secret.txt", "/./index.html", "/a\\..\\b",
        "/%5c..%5csecret.txt", "/index.html%00.js", "/%zz", "/%4"}) {
    net::HttpResponse r = Get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(r.body.find("top secret"), std::string::npos) << target;
  }
}

TEST_F(StaticUiTest, DoesNotFollowASymlinkOutOfTheDirectory) {
  net::HttpResponse r = Get("/assets/leak.txt");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body.find("top secret"), std::string::npos);
}

TEST_F(StaticUiTest, AllowsOnlyGetAndHead) {
  EXPECT_EQ(Get("/", "HEAD").status, 200);
  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS"}) {
    net::HttpResponse r = Get("/", method);
    EXPECT_EQ(r.status, 405) << method;
    EXPECT_EQ(r.headers.Get("Allow").value_or(""), "GET, HEAD");
  }
}

TEST_F(StaticUiTest, LimitsTargetAndFileSize) {
  EXPECT_EQ(Get("/" + std::string(5000, 'a')).status, 414);
  StaticUiOptions small;
  small.ui_dir = dist_.string();
  small.max_file_bytes = 4;
  net::HttpRequest request;
  request.target = "/assets/index-abc123.js";
  EXPECT_EQ(MakeStaticUiHandler(small)(request).status, 500);
}

TEST_F(StaticUiTest, SaysHowToBuildWhenThereIsNoUi) {
  for (const std::string& dir : {std::string(), (base_ / "nowhere").string(), base_.string()}) {
    StaticUiOptions options;
    options.ui_dir = dir;  // base_ exists but has no index.html
    net::HttpHandler ui = MakeStaticUiHandler(options);
    net::HttpRequest request;
    request.target = "/trace/abc";
    net::HttpResponse r = ui(request);
    EXPECT_EQ(r.status, 200) << dir;
    EXPECT_NE(r.body.find("not built"), std::string::npos) << dir;
    EXPECT_NE(r.body.find("scripts/install-ui.sh"), std::string::npos) << dir;
    request.target = "/secret.txt";
    EXPECT_EQ(ui(request).status, 404) << dir;
  }
}

TEST_F(StaticUiTest, RoutesApiPathsToTheApi) {
  net::HttpHandler api = [](const net::HttpRequest&) {
    net::HttpResponse r;
    r.body = "api";
    return r;
  };
  net::HttpHandler both = RouteApiAndUi(api, ui_);
  for (const char* target : {"/api", "/api/v1/services", "/api/traces?service=x"}) {
    net::HttpRequest request;
    request.target = target;
    EXPECT_EQ(both(request).body, "api") << target;
  }
  net::HttpRequest page;
  page.target = "/apis";
  EXPECT_EQ(both(page).body, "<!doctype html><title>tw</title>");
}

TEST_F(StaticUiTest, FindsTheDefaultDirectoryFromTheExecutable) {
  // <root>/build/bin/tracewire → <root>/ui/dist
  WriteFile(base_ / "build" / "bin" / "tracewire", "");
  WriteFile(base_ / "ui" / "dist" / "index.html", "x");
  EXPECT_EQ(FindDefaultUiDir((base_ / "build" / "bin" / "tracewire").string()),
            fs::canonical(base_ / "ui" / "dist").string());
  // <root>/build/asan/bin/tracewire → <root>/ui/dist
  WriteFile(base_ / "build" / "asan" / "bin" / "tracewire", "");
  EXPECT_EQ(FindDefaultUiDir((base_ / "build" / "asan" / "bin" / "tracewire").string()),
            fs::canonical(base_ / "ui" / "dist").string());
  EXPECT_EQ(FindDefaultUiDir((base_ / "missing" / "tracewire").string()), "");
}

}  // namespace
}  // namespace tracewire::query
