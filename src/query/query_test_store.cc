#include "query/query_test_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <utility>

namespace tracewire::query::testing {

TestStore::TestStore() {
  static std::atomic<int> counter{0};
  dir_ = (std::filesystem::temp_directory_path() /
          ("tw_query_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++)))
             .string();
  store::StoreOptions options;
  options.data_dir = dir_;
  StatusOr<std::unique_ptr<store::Store>> opened = store::Store::Open(std::move(options));
  if (!opened.ok()) {
    ADD_FAILURE() << "Store::Open(" << dir_ << "): " << opened.status().ToString();
    return;
  }
  store_ = std::move(*opened);
}

TestStore::~TestStore() {
  if (store_) {
    const Status closed = store_->Close();
    EXPECT_TRUE(closed.ok()) << closed.ToString();
  }
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace tracewire::query::testing
