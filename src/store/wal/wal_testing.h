// Helpers shared by the WAL tests (test-only).
#pragma once

#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

#include "store/wal/wal.h"

namespace tracewire::store::testing {

struct ReplayedRecord {
  uint8_t type;
  std::string payload;
  WalPosition at;
};

struct AppendResult {
  Status status;
  WalPosition at;
};

// Appends and waits for the done.
inline AppendResult AppendAndWait(Wal& wal, uint8_t type, std::string payload) {
  std::promise<AppendResult> promise;
  wal.Append(type, std::move(payload), [&](Status s, WalPosition at) {
    promise.set_value(AppendResult{std::move(s), at});
  });
  return promise.get_future().get();
}

inline std::vector<ReplayedRecord> ReplayAll(Wal& wal) {
  std::vector<ReplayedRecord> out;
  Status s = wal.Replay([&](uint8_t type, std::string_view payload, WalPosition at) {
    out.push_back(ReplayedRecord{type, std::string(payload), at});
    return OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out;
}

inline std::unique_ptr<Wal> OpenOrDie(const WalOptions& options) {
  auto wal = Wal::Open(options);
  EXPECT_TRUE(wal.ok()) << wal.status().ToString();
  return wal.ok() ? std::move(*wal) : nullptr;
}

inline std::vector<std::string> Payloads(const std::vector<ReplayedRecord>& records) {
  std::vector<std::string> out;
  out.reserve(records.size());
  for (const auto& r : records) out.push_back(r.payload);
  return out;
}

}  // namespace tracewire::store::testing
