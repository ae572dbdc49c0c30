// Test data of the query tests: a small store's worth of traces and logs built in the batch
// form, with every attribute type, events, links, errors and calls across services.
//
//   trace A (base):          frontend "GET /checkout" SERVER (OK, every attribute type, event)
//                              └ frontend "call backend" CLIENT
//                                  └ backend "POST /charge" SERVER (ERROR, event, link → B)
//                                      └ backend "SELECT" CLIENT (link → A root, child_of)
//   trace B (base + 1 s):    backend "POST /charge" SERVER, 5 ms
//   trace C (base − 60 s):   frontend "GET /home" SERVER, 300 ms
//   trace D (base − 2 h):    batch-job "nightly" INTERNAL, 1 s; a short id (…abc123)
//   logs: two records of trace A (one on the root, one on "POST /charge"), one of trace C.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "model/span_batch.h"
#include "store/store.h"

namespace tracewire::query::testing {

inline constexpr uint64_t kMs = 1'000'000;

struct TestData {
  uint64_t base_ns = 0;
  model::TraceId trace_a, trace_b, trace_c, trace_d;
  model::SpanId a_root, a_client, a_charge, a_select, b_root, c_root, d_root;
  std::shared_ptr<model::SpanBatch> spans;  // every span of A-D, in three resources
  std::shared_ptr<model::LogBatch> logs;
};

// Builds the data with trace A starting at base_ns.
TestData MakeTestData(uint64_t base_ns);

// Appends the spans and logs to `store` and waits until both are durable (asserts OK).
void Fill(store::Store& store, const TestData& data);

// Hex ids as the APIs print them.
std::string Hex(const model::TraceId& id);
std::string Hex(const model::SpanId& id);

// The wall clock (ns since the epoch).
uint64_t NowNs();

}  // namespace tracewire::query::testing
