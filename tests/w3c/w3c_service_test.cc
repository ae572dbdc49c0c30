// Drives build/.../w3c_tracecontext_service the way the W3C trace-context suite does: the test
// is the harness, receiving the service's callbacks on a real HTTP server.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "net/http_client.h"
#include "net/http_server.h"
#include "tests/interop/subprocess.h"

namespace tracewire {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Runs the service on an ephemeral port and reads the port from its first output line.
class ServiceProcess {
 public:
  ServiceProcess() {
    auto child = testing::Subprocess::Start({TW_W3C_SERVICE_BINARY, "0"});
    if (!child.ok()) return;
    child_ = std::move(*child);
    auto line = child_->ReadLine(std::chrono::seconds(30));
    if (!line.ok()) return;
    auto colon = line->rfind(':');
    if (colon != std::string::npos)
      port_ = static_cast<uint16_t>(std::stoi(line->substr(colon + 1)));
  }
  uint16_t port() const { return port_; }

 private:
  std::unique_ptr<testing::Subprocess> child_;  // SIGTERM and wait on destruction
  uint16_t port_ = 0;
};

class W3cServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(service_.port(), 0) << "the service did not report its port";
    auto harness = net::HttpServer::Start({}, [this](const net::HttpRequest& r) {
      std::lock_guard<std::mutex> lock(mu_);
      callbacks_.push_back(r);
      cv_.notify_all();
      return net::HttpResponse{};
    });
    ASSERT_TRUE(harness.ok());
    harness_ = std::move(*harness);
  }
  void TearDown() override {
    if (harness_) harness_->Stop();
  }

  std::string CallbackUrl(int i) const {
    return "http://127.0.0.1:" + std::to_string(harness_->port()) + "/callback/" +
           std::to_string(i);
  }

  // Sends the suite's instruction to call back `count` times, with `headers`, and returns the
  // callbacks' requests.
  std::vector<net::HttpRequest> Run(const Headers& headers, int count = 1) {
    nlohmann::json body = nlohmann::json::array();
    for (int i = 0; i < count; ++i) body.push_back({{"url", CallbackUrl(i)}, {"arguments", {}}});
    net::HttpRequest request;
    request.method = "POST";
    request.target = "/test";
    for (const auto& [k, v] : headers) request.headers.Add(k, v);
    request.body = body.dump();
    auto client = net::HttpClient::Create("127.0.0.1", service_.port());
    auto response = client->Send(request, std::chrono::milliseconds(5000));
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    if (response.ok()) EXPECT_EQ(response->status, 200);
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(5), [&] { return callbacks_.size() >= size_t(count); });
    auto out = std::move(callbacks_);
    callbacks_.clear();
    return out;
  }

  // The single traceparent of the single callback: version, trace id, parent id, flags.
  std::vector<std::string> TraceparentOf(const Headers& headers) {
    auto callbacks = Run(headers);
    EXPECT_EQ(callbacks.size(), 1u);
    if (callbacks.size() != 1) return {};
    auto tp = callbacks[0].headers.Get("traceparent");
    EXPECT_TRUE(tp.has_value());
    std::vector<std::string> parts;
    std::string s(tp.value_or(""));
    size_t start = 0;
    for (size_t dash; (dash = s.find('-', start)) != std::string::npos; start = dash + 1) {
      parts.push_back(s.substr(start, dash - start));
    }
    parts.push_back(s.substr(start));
    EXPECT_EQ(parts.size(), 4u) << s;
    return parts;
  }

  ServiceProcess service_;
  std::unique_ptr<net::HttpServer> harness_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<net::HttpRequest> callbacks_;
};

constexpr char kTraceId[] = "12345678901234567890123456789012";
constexpr char kParentId[] = "1234567890123456";

TEST_F(W3cServiceTest, StartsANewTraceWhenNoneArrives) {
  auto tp = TraceparentOf({});
  ASSERT_EQ(tp.size(), 4u);
  EXPECT_EQ(tp[0], "00");
  EXPECT_EQ(tp[1].size(), 32u);
  EXPECT_NE(tp[1], std::string(32, '0'));
  EXPECT_EQ(tp[2].size(), 16u);
}

TEST_F(W3cServiceTest, ContinuesAValidTraceWithANewParentId) {
  auto tp =
      TraceparentOf({{"TraceParent", std::string("00-") + kTraceId + "-" + kParentId + "-01"}});
  ASSERT_EQ(tp.size(), 4u);
  EXPECT_EQ(tp[1], kTraceId);
  EXPECT_NE(tp[2], kParentId);
  EXPECT_EQ(tp[3], "01");
}

TEST_F(W3cServiceTest, KeepsTheUnsampledFlag) {
  auto tp =
      TraceparentOf({{"traceparent", std::string("00-") + kTraceId + "-" + kParentId + "-00"}});
  ASSERT_EQ(tp.size(), 4u);
  EXPECT_EQ(tp[1], kTraceId);
  EXPECT_EQ(tp[3], "00");
}

TEST_F(W3cServiceTest, RestartsTheTraceOnInvalidOrDuplicatedTraceparent) {
  const std::string valid = std::string("00-") + kTraceId + "-" + kParentId + "-01";
  for (const Headers& headers : std::vector<Headers>{
           {{"traceparent", "ff-" + valid.substr(3)}},
           {{"traceparent", valid + "."}},
           {{"traceparent",
             "00-00000000000000000000000000000000-" + std::string(kParentId) + "-01"}},
           {{"traceparent", valid}, {"traceparent", valid}},
       }) {
    auto tp = TraceparentOf(headers);
    ASSERT_EQ(tp.size(), 4u);
    EXPECT_NE(tp[1], kTraceId) << headers[0].second;
  }
}

TEST_F(W3cServiceTest, AcceptsAFutureVersionWithMoreFields) {
  auto tp = TraceparentOf({{"traceparent", std::string("cc-") + kTraceId + "-" + kParentId +
                                               "-01-what-the-future-holds"}});
  ASSERT_EQ(tp.size(), 4u);
  EXPECT_EQ(tp[0], "00");
  EXPECT_EQ(tp[1], kTraceId);
}

TEST_F(W3cServiceTest, PassesTracestateOnAndDropsAnInvalidOne) {
  const std::string tp = std::string("00-") + kTraceId + "-" + kParentId + "-01";
  auto callbacks = Run({{"traceparent", tp}, {"tracestate", "foo=1"}, {"tracestate", "bar=2"}});
  ASSERT_EQ(callbacks.size(), 1u);
  EXPECT_EQ(callbacks[0].headers.Get("tracestate").value_or(""), "foo=1,bar=2");

  callbacks = Run({{"traceparent", tp}, {"tracestate", "foo=1,foo=2"}});
  ASSERT_EQ(callbacks.size(), 1u);
  EXPECT_FALSE(callbacks[0].headers.Get("tracestate").has_value());
}

TEST_F(W3cServiceTest, MakesOneCallbackPerEntryEachWithItsOwnSpanId) {
  auto callbacks =
      Run({{"traceparent", std::string("00-") + kTraceId + "-" + kParentId + "-01"}}, 3);
  ASSERT_EQ(callbacks.size(), 3u);
  std::set<std::string> parents;
  for (const auto& c : callbacks) {
    std::string tp(c.headers.Get("traceparent").value_or(""));
    EXPECT_EQ(tp.substr(3, 32), kTraceId);
    parents.insert(tp.substr(36, 16));
  }
  EXPECT_EQ(parents.size(), 3u);
}

}  // namespace
}  // namespace tracewire
