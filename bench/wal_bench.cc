// wal_bench: appends/s, MB/s, syncs/s and append latency of the write-ahead log on the real
// disk, with N threads each appending one record and waiting for its done before the next.
//
//   wal_bench [--dir DIR] [--threads 1,4,16] [--seconds 3] [--record-bytes 65536]
//             [--sync always|interval|never] [--window-us 200]
//
// DIR (default build/) must be on the disk to measure: not /tmp, which may be tmpfs. Each case
// writes into a fresh DIR/wal_bench_XXXXXX, removed afterwards. --benchmark_* flags are ignored.
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "store/wal/wal.h"

namespace {

using tracewire::Status;
using tracewire::store::FileSystem;
using tracewire::store::SyncPolicy;
using tracewire::store::Wal;
using tracewire::store::WalOptions;
using tracewire::store::WalPosition;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string dir = "build";
  std::vector<int> threads = {1, 4, 16};
  double seconds = 3;
  size_t record_bytes = 64 << 10;
  SyncPolicy sync = SyncPolicy::kAlways;
  int window_us = 200;
};

// Google Benchmark's flags (scripts/bench.sh passes them to every *_bench) are ignored.
bool ParseArgs(int argc, char** argv, Args* args) {
  for (int i = 1; i < argc; i += 2) {
    const std::string key = argv[i];
    if (key.rfind("--benchmark_", 0) == 0) {
      --i;
      continue;
    }
    if (i + 1 >= argc) return false;
    const std::string value = argv[i + 1];
    if (key == "--dir") {
      args->dir = value;
    } else if (key == "--threads") {
      args->threads.clear();
      for (size_t start = 0; start < value.size();) {
        size_t end = value.find(',', start);
        if (end == std::string::npos) end = value.size();
        args->threads.push_back(std::atoi(value.substr(start, end - start).c_str()));
        start = end + 1;
      }
    } else if (key == "--seconds") {
      args->seconds = std::atof(value.c_str());
    } else if (key == "--record-bytes") {
      args->record_bytes = std::strtoull(value.c_str(), nullptr, 10);
    } else if (key == "--window-us") {
      args->window_us = std::atoi(value.c_str());
    } else if (key == "--sync") {
      if (value == "always")
        args->sync = SyncPolicy::kAlways;
      else if (value == "interval")
        args->sync = SyncPolicy::kInterval;
      else if (value == "never")
        args->sync = SyncPolicy::kNever;
      else
        return false;
    } else {
      return false;
    }
  }
  return true;
}

struct Result {
  uint64_t appends = 0;
  uint64_t failures = 0;
  double seconds = 0;
  uint64_t syncs = 0;
  std::vector<uint64_t> latencies_ns;
};

bool RunCase(const Args& args, int threads, Result* result) {
  std::string dir = args.dir + "/wal_bench_XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) {
    std::fprintf(stderr, "mkdtemp %s: %s\n", dir.c_str(), std::strerror(errno));
    return false;
  }
  WalOptions options;
  options.dir = dir + "/wal";
  options.sync = args.sync;
  options.group_commit_window = std::chrono::microseconds(args.window_us);
  auto wal = Wal::Open(options);
  if (!wal.ok()) {
    std::fprintf(stderr, "open: %s\n", wal.status().ToString().c_str());
    return false;
  }
  const std::string record(args.record_bytes, 'r');
  std::vector<std::vector<uint64_t>> latencies(threads);
  std::atomic<uint64_t> failures{0};
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(args.seconds);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::atomic<bool> done{false};
      while (Clock::now() < deadline) {
        done.store(false);
        const auto t0 = Clock::now();
        (*wal)->Append(1, record, [&](Status s, WalPosition) {
          if (!s.ok()) failures.fetch_add(1);
          done.store(true);
          done.notify_one();
        });
        done.wait(false);
        latencies[t].push_back(
            std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count());
      }
    });
  }
  for (auto& w : workers) w.join();
  result->seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result->syncs = (*wal)->Stats().syncs;
  (void)(*wal)->Close();
  for (auto& l : latencies) {
    result->latencies_ns.insert(result->latencies_ns.end(), l.begin(), l.end());
  }
  result->appends = result->latencies_ns.size();
  result->failures = failures.load();
  std::sort(result->latencies_ns.begin(), result->latencies_ns.end());
  (void)FileSystem::Default()->RemoveDirRecursive(dir);
  return true;
}

double Percentile(const std::vector<uint64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  return static_cast<double>(
      sorted[static_cast<size_t>(p * static_cast<double>(sorted.size() - 1))]);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!ParseArgs(argc, argv, &args)) {
    std::fprintf(stderr,
                 "usage: wal_bench [--dir DIR] [--threads 1,4,16] [--seconds 3] "
                 "[--record-bytes 65536] [--sync always|interval|never] [--window-us 200]\n");
    return 2;
  }
  std::printf("record %zu bytes, %.1f s per case, dir %s\n", args.record_bytes, args.seconds,
              args.dir.c_str());
  std::printf("%8s %12s %10s %10s %12s %12s %12s %9s\n", "threads", "appends/s", "MB/s", "syncs/s",
              "appends/sync", "p50 lat µs", "p99 lat µs", "failures");
  for (const int threads : args.threads) {
    Result r;
    if (threads <= 0 || !RunCase(args, threads, &r)) return 1;
    const double per_s = static_cast<double>(r.appends) / r.seconds;
    std::printf("%8d %12.0f %10.1f %10.0f %12.2f %12.0f %12.0f %9llu\n", threads, per_s,
                per_s * static_cast<double>(args.record_bytes) / 1e6,
                static_cast<double>(r.syncs) / r.seconds,
                r.syncs == 0 ? 0.0 : static_cast<double>(r.appends) / static_cast<double>(r.syncs),
                Percentile(r.latencies_ns, 0.5) / 1e3, Percentile(r.latencies_ns, 0.99) / 1e3,
                static_cast<unsigned long long>(r.failures));
  }
  return 0;
}
