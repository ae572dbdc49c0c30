// The store the query tests run against: the real store (store::Store::Open), opened in a fresh
// temporary directory.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace tracewire::query::testing {

// Opens a store in a new directory under the system temp dir (removed by the destructor).
class TestStore {
 public:
  TestStore();
  ~TestStore();
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  // REQUIRES: Open succeeded (the constructor records a test failure otherwise).
  store::Store& store() { return *store_; }

 private:
  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace tracewire::query::testing
