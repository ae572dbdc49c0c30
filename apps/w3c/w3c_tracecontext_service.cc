// The service that the official W3C trace-context test suite (w3c/trace-context, test/test.py)
// drives: POST /test with a JSON array of {"url": ..., "arguments": [...]}; for each entry it
// POSTs `arguments` as JSON to `url`, carrying the context extracted from the incoming request
// with a new child span id. Usage: w3c_tracecontext_service PORT
#include <charconv>
#include <csignal>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "net/http_client.h"
#include "net/http_router.h"
#include "net/http_server.h"
#include "trace/propagation/carriers.h"
#include "trace/propagation/trace_context_propagator.h"
#include "trace/sdk/tracer.h"

namespace {

using tracewire::net::HttpRequest;
using tracewire::net::HttpResponse;
namespace trace = tracewire::trace;

HttpResponse TextResponse(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.Add("Content-Type", "text/plain");
  r.body = std::move(body);
  return r;
}

// POSTs `arguments` to `url` with `headers`; returns an error message or "".
std::string Forward(const std::string& url, const nlohmann::json& arguments,
                    const tracewire::trace::propagation::HttpHeaders& headers) {
  auto parsed = tracewire::net::HttpUrl::Parse(url);
  if (!parsed.ok()) return parsed.status().ToString();
  auto client = tracewire::net::HttpClient::Create(parsed->host, parsed->port);
  HttpRequest request;
  request.method = "POST";
  request.target = parsed->target;
  request.headers.Add("Content-Type", "application/json");
  for (const auto& [name, value] : headers) request.headers.Add(name, value);
  request.body = arguments.dump();
  auto response = client->Send(request, std::chrono::milliseconds(5000));
  if (!response.ok()) return response.status().ToString();
  return "";
}

class TestService {
 public:
  TestService() : provider_(trace::TracerProviderOptions{}) {
    tracer_ = &provider_.GetTracer("w3c_tracecontext_service");
  }

  HttpResponse Handle(const HttpRequest& request) {
    nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_array()) {
      return TextResponse(400, "body must be a JSON array of {url, arguments}\n");
    }
    trace::propagation::HttpHeaderCarrier in(request.headers.fields());
    trace::Context parent = propagator_.Extract(in, trace::Context());
    for (const auto& entry : body) {
      if (!entry.is_object() || !entry.contains("url") || !entry["url"].is_string()) {
        return TextResponse(400, "each entry needs a string \"url\"\n");
      }
      trace::StartSpanOptions options;
      options.kind = trace::SpanKind::kServer;
      options.parent = &parent;
      trace::Span span = tracer_->StartSpan("w3c.test", options);
      trace::propagation::HttpHeaders out_headers;
      trace::propagation::HttpHeaderCarrier out(out_headers);
      propagator_.Inject(trace::ContextWithSpan(span, parent), out);
      nlohmann::json arguments = entry.value("arguments", nlohmann::json::array());
      std::string error = Forward(entry["url"].get<std::string>(), arguments, out_headers);
      if (!error.empty())
        std::cerr << "w3c_tracecontext_service: callback failed: " << error << '\n';
    }
    return TextResponse(200, "ok\n");
  }

 private:
  trace::TracerProvider provider_;
  trace::Tracer* tracer_;
  trace::propagation::TraceContextPropagator propagator_;
};

volatile std::sig_atomic_t g_stop = 0;

void OnSignal(int) { g_stop = 1; }

}  // namespace

int main(int argc, char** argv) {
  uint16_t port = 0;
  if (argc != 2 ||
      std::from_chars(argv[1], argv[1] + std::char_traits<char>::length(argv[1]), port).ec !=
          std::errc()) {
    std::cerr << "usage: w3c_tracecontext_service PORT\n";
    return 2;
  }
  TestService service;
  tracewire::net::HttpRouter router;
  router.Handle("POST", "/test", [&service](const HttpRequest& r) { return service.Handle(r); });
  tracewire::net::HttpServerOptions options;
  options.port = port;
  options.threads = 2;
  auto server = tracewire::net::HttpServer::Start(options, router);
  if (!server.ok()) {
    std::cerr << "w3c_tracecontext_service: " << server.status().ToString() << '\n';
    return 1;
  }
  std::cout << "w3c_tracecontext_service listening on http://127.0.0.1:" << (*server)->port()
            << "/test" << std::endl;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  while (g_stop == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  (*server)->Stop();
  return 0;
}
