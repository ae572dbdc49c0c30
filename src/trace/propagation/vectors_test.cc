// Runs every case of testdata/propagation/*.json (schema in testdata/propagation/README.md):
// extract from the carrier, compare with "expect", inject into an empty carrier, compare with
// "reinject".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "trace/propagation/binary_propagator.h"
#include "trace/propagation/carriers.h"
#include "trace/propagation/propagator_from_env.h"

namespace tracewire::trace::propagation {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

fs::path VectorDir() { return fs::path(TW_SOURCE_DIR) / "testdata" / "propagation"; }

// "hex:..." denotes raw bytes; anything else is the literal string.
std::string DecodeValue(const std::string& v) {
  if (v.rfind("hex:", 0) != 0) return v;
  std::string bytes((v.size() - 4) / 2, '\0');
  EXPECT_TRUE(DecodeHexTo(std::string_view(v).substr(4), reinterpret_cast<uint8_t*>(bytes.data()),
                          bytes.size()))
      << v;
  return bytes;
}

HttpHeaders CarrierOf(const json& carrier) {
  HttpHeaders h;
  for (const auto& [name, value] : carrier.items()) {
    if (value.is_array()) {
      for (const auto& v : value) h.emplace_back(name, DecodeValue(v.get<std::string>()));
    } else {
      h.emplace_back(name, DecodeValue(value.get<std::string>()));
    }
  }
  return h;
}

std::unique_ptr<TextMapPropagator> PropagatorFor(const json& file, const json& c) {
  const std::string name = c.value("propagator", file.at("propagator").get<std::string>());
  if (c.value("binary_inject", "raw") == "base64") {
    return std::make_unique<BinaryPropagator>(BinaryValueEncoding::kBase64);
  }
  auto p = MakePropagatorFromEnvValue(name);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? std::move(*p) : nullptr;
}

std::string FlagsHex(TraceFlags f) {
  const uint8_t b = f.bits();
  return EncodeHex(&b, 1);
}

void CheckExpect(const json& expect, const Context& ctx) {
  const SpanContext& sc = ctx.span_context();
  ASSERT_EQ(sc.IsValid(), expect.at("valid").get<bool>());
  if (sc.IsValid()) {
    EXPECT_EQ(sc.trace_id().ToHex(), expect.at("trace_id").get<std::string>());
    EXPECT_EQ(sc.span_id().ToHex(), expect.at("span_id").get<std::string>());
    EXPECT_EQ(FlagsHex(sc.trace_flags()), expect.at("flags").get<std::string>());
    EXPECT_EQ(sc.IsSampled(), expect.at("sampled").get<bool>());
    EXPECT_TRUE(sc.IsRemote());
    std::vector<TraceState::Member> want;
    for (const auto& m : expect.value("trace_state", json::array())) {
      want.emplace_back(m.at(0).get<std::string>(), m.at(1).get<std::string>());
    }
    EXPECT_EQ(sc.trace_state().members(), want);
  }
  std::vector<Baggage::Entry> want_baggage;
  for (const auto& e : expect.value("baggage", json::array())) {
    want_baggage.push_back({e.at("key").get<std::string>(), e.at("value").get<std::string>(),
                            e.value("metadata", "")});
  }
  EXPECT_EQ(ctx.baggage().entries(), want_baggage);
}

void CheckReinject(const json& reinject, const TextMapPropagator& p, const Context& ctx) {
  HttpHeaders out;
  HttpHeaderCarrier carrier(out);
  p.Inject(ctx, carrier);
  std::map<std::string, std::string> got(out.begin(), out.end());
  std::map<std::string, std::string> want;
  for (const auto& [k, v] : reinject.items()) want[k] = DecodeValue(v.get<std::string>());
  EXPECT_EQ(got, want);
}

int RunFile(const fs::path& path) {
  std::ifstream in(path);
  const json file = json::parse(in);
  int n = 0;
  for (const json& c : file.at("cases")) {
    SCOPED_TRACE(path.filename().string() + ": " + c.at("name").get<std::string>());
    EXPECT_FALSE(c.at("spec_rule").get<std::string>().empty());
    auto p = PropagatorFor(file, c);
    if (!p) continue;
    HttpHeaders h = CarrierOf(c.at("carrier"));
    Context ctx = p->Extract(HttpHeaderCarrier(h), Context());
    CheckExpect(c.at("expect"), ctx);
    CheckReinject(c.at("reinject"), *p, ctx);
    ++n;
  }
  return n;
}

TEST(PropagationVectorsTest, EveryCaseOfEveryFileHolds) {
  int files = 0, cases = 0;
  for (const auto& entry : fs::directory_iterator(VectorDir())) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    cases += RunFile(entry.path());
  }
  EXPECT_GE(files, 6);
  EXPECT_GE(cases, 100);
}

}  // namespace
}  // namespace tracewire::trace::propagation
