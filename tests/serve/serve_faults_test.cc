// Faults of issue 4, item 8, against a real `tracewire serve` process: kill -9 during ingest, a
// full disk, and overload. What the server acknowledged must be there afterwards, intact.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/hex.h"
#include "tests/serve/serve_process.h"

namespace tracewire::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kSpansPerTrace = 20;

std::string TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("tw-serve-" + name + "-" + std::to_string(getpid()) +
                                              "-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  return dir.string();
}

// Sends one-trace requests from `threads` threads until `stop`, keeping the ids of the traces
// the server acknowledged (200) and counting every other answer by status (0: no answer).
class Sender {
 public:
  Sender(uint16_t port, int threads, size_t attribute_bytes = 16)
      : port_(port), attribute_bytes_(attribute_bytes) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, t] { Run(t); });
    }
  }
  ~Sender() { Join(); }

  void Join() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  std::vector<std::string> acknowledged() {
    std::lock_guard lock(mu_);
    return acked_;
  }
  // "status×count ..." of every answer so far, for failure messages.
  std::string Summary() {
    std::lock_guard lock(mu_);
    std::string out;
    for (const auto& [status, n] : statuses_) {
      out += std::to_string(status) + "x" + std::to_string(n) + " ";
    }
    return out;
  }
  // 429/503 answers that carried no Retry-After.
  int without_retry_after() { return count(kNoRetryAfter); }
  int count(int status) {
    std::lock_guard lock(mu_);
    return statuses_[status];
  }
  void set_stop_on_error(bool v) { stop_on_error_ = v; }

 private:
  void Run(int thread) {
    std::mt19937_64 rng(static_cast<uint64_t>(thread) * 7919 + 1);
    while (!stop_) {
      std::string id(16, '\0');
      for (char& c : id) c = static_cast<char>(rng());
      id[0] = static_cast<char>(thread + 1);
      auto r = PostTraces(port_,
                          MakeTraceRequest(id, kSpansPerTrace, "svc-faults", attribute_bytes_), 5s);
      const int status = r.ok() ? r->status : 0;
      std::lock_guard lock(mu_);
      ++statuses_[status];
      if ((status == 429 || status == 503) && !r->headers.Get("Retry-After")) {
        ++statuses_[kNoRetryAfter];
      }
      if (status == 200)
        acked_.push_back(EncodeHex(reinterpret_cast<const uint8_t*>(id.data()), id.size()));
      if (status != 200 && stop_on_error_) {
        std::this_thread::sleep_for(20ms);
      }
    }
  }

  static constexpr int kNoRetryAfter = -1;

  uint16_t port_;
  size_t attribute_bytes_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> stop_on_error_{false};
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::vector<std::string> acked_;
  std::map<int, int> statuses_;
};

// Every acknowledged trace is readable with all its spans.
void ExpectAllStored(uint16_t query_port, const std::vector<std::string>& acked) {
  int missing = 0;
  for (const std::string& id : acked) {
    const int n = CountStoredSpans(query_port, id);
    if (n != kSpansPerTrace) {
      if (++missing <= 5) ADD_FAILURE() << "trace " << id << ": " << n << " spans stored";
    }
  }
  EXPECT_EQ(missing, 0) << "of " << acked.size() << " acknowledged traces";
}

TEST(ServeFaultsTest, AcknowledgedSpansSurviveKillNine) {
  const std::string dir = TempDir("kill9");
  std::vector<std::string> acked;
  {
    auto serve = ServeProcess::Start(dir);
    ASSERT_TRUE(serve.ok()) << serve.status().ToString();
    Sender sender((*serve)->ports().otlp_http, 4);
    std::this_thread::sleep_for(1500ms);
    (*serve)->KillNine();  // mid-ingest: requests are in flight
    sender.Join();
    acked = sender.acknowledged();
    EXPECT_GT(sender.count(200), 0);
  }
  ASSERT_GT(acked.size(), 10u);
  auto again = ServeProcess::Start(dir);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ExpectAllStored((*again)->ports().query, acked);
  // And it still takes new data.
  std::string id(16, '\x7a');
  auto r =
      PostTraces((*again)->ports().otlp_http, MakeTraceRequest(id, kSpansPerTrace, "after"), 5s);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ((*again)->Stop(), 0);
  fs::remove_all(dir);
}

// A small tmpfs as the data directory: the disk really fills (ENOSPC). Where mounting is not
// allowed, the file size limit (EFBIG) stands in for it.
class FullDisk {
 public:
  explicit FullDisk(const std::string& dir) : dir_(dir) {
    mounted_ = mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=6m") == 0;
  }
  ~FullDisk() {
    if (mounted_) umount2(dir_.c_str(), MNT_DETACH);
  }
  std::vector<std::string> wrapper() const {
    if (mounted_) return {};
    return {"/usr/bin/prlimit", "--fsize=4000000", "--"};
  }

 private:
  std::string dir_;
  bool mounted_ = false;
};

TEST(ServeFaultsTest, FullDiskGives503AndKeepsWhatWasAcknowledged) {
  const std::string dir = TempDir("full");
  std::vector<std::string> acked;
  {
    FullDisk disk(dir);
    {
      auto serve = ServeProcess::Start(dir, {}, disk.wrapper());
      ASSERT_TRUE(serve.ok()) << serve.status().ToString();
      Sender sender((*serve)->ports().otlp_http, 2, 8192);
      sender.set_stop_on_error(true);
      for (int i = 0; i < 300 && sender.count(503) < 5; ++i) std::this_thread::sleep_for(50ms);
      sender.Join();
      acked = sender.acknowledged();
      EXPECT_GE(sender.count(503), 5) << "the disk never filled: " << sender.Summary();
      EXPECT_EQ(sender.count(500), 0);
      EXPECT_EQ(sender.without_retry_after(), 0);
      EXPECT_EQ(sender.count(0), 0) << "requests went unanswered";
      // The server is alive and serves what it acknowledged.
      ExpectAllStored((*serve)->ports().query, acked);
      (*serve)->KillNine();
    }
    ASSERT_GT(acked.size(), 0u);
    // Recovery on the same full disk: everything acknowledged is there, nothing corrupt.
    auto again = ServeProcess::Start(dir, {}, disk.wrapper());
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    ExpectAllStored((*again)->ports().query, acked);
    (*again)->Stop();
  }
  fs::remove_all(dir);
}

// The config of the overload test: the all-in-one pipeline with a memory limit `limit_mib`
// and a small head, so stored data leaves memory for blocks while the storm goes on.
std::string OverloadConfig(const std::string& data_dir, uint64_t limit_mib) {
  return "receivers:\n"
         "  otlp:\n"
         "    protocols:\n"
         "      grpc:\n"
         "        endpoint: localhost:4317\n"
         "      http:\n"
         "        endpoint: localhost:4318\n"
         "  zipkin:\n"
         "    endpoint: localhost:9411\n"
         "processors:\n"
         "  memory_limiter:\n"
         "    check_interval: 50ms\n"
         "    limit_mib: " +
         std::to_string(limit_mib) +
         "\n"
         "    spike_limit_mib: 8\n"
         "  batch: {}\n"
         "exporters:\n"
         "  tracewire:\n"
         "    data_dir: " +
         data_dir +
         "\n"
         "    head:\n"
         "      max_bytes: 4194304\n"
         "extensions:\n"
         "  tracewire_query:\n"
         "    endpoint: localhost:16686\n"
         "service:\n"
         "  extensions: [tracewire_query]\n"
         "  pipelines:\n"
         "    traces:\n"
         "      receivers: [otlp, zipkin]\n"
         "      processors: [memory_limiter, batch]\n"
         "      exporters: [tracewire]\n";
}

TEST(ServeFaultsTest, OverloadIsRefusedWithRetryAfterAndRecovers) {
  const std::string dir = TempDir("overload");
  // The limiter measures the heap in use (not RSS): an idle server holds well under 1 MiB of it,
  // so 32 MiB (soft limit 24 MiB) is reached by a dozen requests of ~1.3 MB in flight.
  const uint64_t limit_mib = 32;
  const std::string config = dir + "/config.yaml";
  {
    std::ofstream out(config);
    out << OverloadConfig(dir + "/data", limit_mib);
  }
  auto serve = ServeProcess::Start(dir + "/data", {"--config", config});
  ASSERT_TRUE(serve.ok()) << serve.status().ToString();
  std::vector<std::string> acked;
  {
    Sender sender((*serve)->ports().otlp_http, 12, 64 * 1024);  // ~1.3 MB per request
    std::this_thread::sleep_for(3s);
    sender.Join();
    acked = sender.acknowledged();
    EXPECT_GT(sender.count(429) + sender.count(503), 0)
        << "the limit of " << limit_mib << " MiB was never reached: " << sender.Summary();
    EXPECT_EQ(sender.without_retry_after(), 0);
    EXPECT_EQ(sender.count(0), 0) << "requests went unanswered: " << sender.Summary();
  }
  // Recovers: a request after the storm is taken.
  std::string id(16, '\x5c');
  bool accepted = false;
  for (int i = 0; i < 100 && !accepted; ++i) {
    auto r =
        PostTraces((*serve)->ports().otlp_http, MakeTraceRequest(id, kSpansPerTrace, "calm"), 5s);
    accepted = r.ok() && r->status == 200;
    if (!accepted) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(accepted) << "RSS now " << ResidentBytes((*serve)->pid()) / (1024 * 1024)
                        << " MiB, limit " << limit_mib << " MiB";
  acked.push_back(EncodeHex(reinterpret_cast<const uint8_t*>(id.data()), id.size()));
  ExpectAllStored((*serve)->ports().query, acked);
  EXPECT_EQ((*serve)->Stop(), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tracewire::testing
