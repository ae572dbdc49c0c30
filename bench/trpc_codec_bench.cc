// tRPC codec cost for a typical unary request: func "/trpc.test.echo.Echo/Echo", caller and
// callee, two trans_info entries (traceparent, tracestate), a 64 B body. The hand-written codec
// (src/trpc) against libprotobuf's generated RequestProtocol on an Arena. Reported per frame.
#include <benchmark/benchmark.h>
#include <google/protobuf/arena.h>

#include <array>
#include <string>

#include "trpc.pb.h"
#include "trpc/frame_codec.h"

namespace {

using namespace tracewire::trpc;  // NOLINT(google-build-using-namespace): benchmark

constexpr std::string_view kTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr std::string_view kTracestate = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";
constexpr std::string_view kBody =
    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";  // 64 B
static_assert(kBody.size() == 64);

RequestHead TypicalHead() {
  RequestHead h;
  h.request_id = 123456;
  h.timeout_ms = 1000;
  h.caller = "trpc.app.gateway.Gateway";
  h.callee = "trpc.test.echo.Echo";
  h.func = "/trpc.test.echo.Echo/Echo";
  h.trans_info = {{"traceparent", kTraceparent}, {"tracestate", kTracestate}};
  return h;
}

void FillProto(const RequestHead& h, ::trpc::RequestProtocol* p) {
  p->set_request_id(h.request_id);
  p->set_timeout(h.timeout_ms);
  p->set_caller(h.caller.data(), h.caller.size());
  p->set_callee(h.callee.data(), h.callee.size());
  p->set_func(h.func.data(), h.func.size());
  auto& map = *p->mutable_trans_info();
  for (const TransInfoEntry& e : h.trans_info) {
    map[std::string(e.key)].assign(e.value.data(), e.value.size());
  }
}

std::string TypicalFrame() {
  std::string out;
  (void)AppendRequestFrame(TypicalHead(), kBody, "", kDefaultMaxFrameSize, &out);
  return out;
}

void BM_Hand_EncodeRequestFrame(benchmark::State& state) {
  const RequestHead head = TypicalHead();
  std::string out;
  for (auto _ : state) {
    out.clear();
    benchmark::DoNotOptimize(AppendRequestFrame(head, kBody, "", kDefaultMaxFrameSize, &out));
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["frame_bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_Hand_EncodeRequestFrame);

void BM_Hand_DecodeRequestFrame(benchmark::State& state) {
  const std::string frame = TypicalFrame();
  RequestFrame f;
  for (auto _ : state) {
    FrameHeader header;
    size_t size = 0;
    benchmark::DoNotOptimize(PeekFrame(frame, kDefaultMaxFrameSize, &header, &size));
    benchmark::DoNotOptimize(DecodeRequestFrame(frame, kDefaultMaxFrameSize, &f));
    benchmark::DoNotOptimize(f.body.data());
  }
}
BENCHMARK(BM_Hand_DecodeRequestFrame);

void BM_Hand_EncodeRequestHead(benchmark::State& state) {
  const RequestHead head = TypicalHead();
  std::string out;
  for (auto _ : state) {
    out.clear();
    EncodeRequestHead(head, &out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_Hand_EncodeRequestHead);

void BM_Hand_DecodeRequestHead(benchmark::State& state) {
  std::string bytes;
  EncodeRequestHead(TypicalHead(), &bytes);
  RequestHead head;
  for (auto _ : state) {
    benchmark::DoNotOptimize(DecodeRequestHead(bytes, &head));
    benchmark::DoNotOptimize(head.func.data());
  }
}
BENCHMARK(BM_Hand_DecodeRequestHead);

// libprotobuf: build the message on an Arena from the same fields, then serialize it.
void BM_Protobuf_SerializeRequestHead(benchmark::State& state) {
  const RequestHead head = TypicalHead();
  std::array<char, 4096> block{};
  google::protobuf::ArenaOptions options;
  options.initial_block = block.data();
  options.initial_block_size = block.size();
  std::string out;
  for (auto _ : state) {
    google::protobuf::Arena arena(options);
    auto* p = google::protobuf::Arena::CreateMessage<::trpc::RequestProtocol>(&arena);
    FillProto(head, p);
    out.clear();
    p->SerializeToString(&out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_Protobuf_SerializeRequestHead);

// libprotobuf: parse the same proto header into an Arena message.
void BM_Protobuf_ParseRequestHead(benchmark::State& state) {
  std::string bytes;
  EncodeRequestHead(TypicalHead(), &bytes);
  std::array<char, 4096> block{};
  google::protobuf::ArenaOptions options;
  options.initial_block = block.data();
  options.initial_block_size = block.size();
  for (auto _ : state) {
    google::protobuf::Arena arena(options);
    auto* p = google::protobuf::Arena::CreateMessage<::trpc::RequestProtocol>(&arena);
    benchmark::DoNotOptimize(p->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
    benchmark::DoNotOptimize(p->func().data());
  }
}
BENCHMARK(BM_Protobuf_ParseRequestHead);

}  // namespace
BENCHMARK_MAIN();
