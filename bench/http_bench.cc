// HTTP/1.1 parser, writer and loopback round-trip costs (src/net).
#include <benchmark/benchmark.h>

#include <string>

#include "net/http_client.h"
#include "net/http_parser.h"
#include "net/http_server.h"
#include "net/http_writer.h"

namespace tracewire::net {
namespace {

// An OTLP/HTTP export as an SDK sends it: 8 fields and a 1 KiB protobuf body.
std::string ExportRequest() {
  HttpRequest r;
  r.method = "POST";
  r.target = "/v1/traces";
  r.headers.Add("User-Agent", "OTel-OTLP-Exporter-Cpp/1.12.0");
  r.headers.Add("Content-Type", "application/x-protobuf");
  r.headers.Add("Accept", "*/*");
  r.headers.Add("Accept-Encoding", "identity");
  r.headers.Add("Authentication", "token-abcdefghijklmnopqrstuvwxyz012345");
  r.headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  r.body.assign(1024, 'p');
  return SerializeRequest(r, "collector:4318");
}

void BM_ParseRequestWhole(benchmark::State& state) {
  std::string bytes = ExportRequest();
  HttpRequestParser parser;
  for (auto _ : state) {
    parser.Reset();
    parser.Feed(bytes);
    benchmark::DoNotOptimize(parser.request().body.data());
    if (!parser.done()) state.SkipWithError("parse failed");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_ParseRequestWhole);

void BM_ParseRequestInPieces(benchmark::State& state) {
  std::string bytes = ExportRequest();
  size_t piece = static_cast<size_t>(state.range(0));
  HttpRequestParser parser;
  for (auto _ : state) {
    parser.Reset();
    for (size_t at = 0; at < bytes.size(); at += piece) {
      parser.Feed(std::string_view(bytes).substr(at, piece));
    }
    if (!parser.done()) state.SkipWithError("parse failed");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_ParseRequestInPieces)->Arg(1)->Arg(64);

void BM_ParseChunkedResponse(benchmark::State& state) {
  std::string bytes =
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 16; ++i) bytes += "40\r\n" + std::string(64, 'j') + "\r\n";
  bytes += "0\r\n\r\n";
  HttpResponseParser parser;
  for (auto _ : state) {
    parser.Reset();
    parser.Feed(bytes);
    if (!parser.done()) state.SkipWithError("parse failed");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
}
BENCHMARK(BM_ParseChunkedResponse);

void BM_WriteResponse(benchmark::State& state) {
  HttpResponse r;
  r.headers.Add("Content-Type", "application/x-protobuf");
  r.body.assign(16, 'r');
  std::string out;
  for (auto _ : state) {
    out.clear();
    AppendResponse(r, false, &out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_WriteResponse);

// One keep-alive request/response over loopback: client, kernel and server together.
void BM_LoopbackRoundTrip(benchmark::State& state) {
  auto server = HttpServer::Start({}, [](const HttpRequest&) {
    HttpResponse r;
    r.body = "{}";
    return r;
  });
  if (!server.ok()) return state.SkipWithError("server did not start");
  auto client = HttpClient::Create("127.0.0.1", (*server)->port());
  HttpRequest request;
  request.method = "POST";
  request.target = "/v1/traces";
  request.body.assign(1024, 'p');
  for (auto _ : state) {
    auto response = client->Send(request, std::chrono::seconds(5));
    if (!response.ok()) return state.SkipWithError("request failed");
  }
}
BENCHMARK(BM_LoopbackRoundTrip)->UseRealTime();

}  // namespace
}  // namespace tracewire::net

BENCHMARK_MAIN();
