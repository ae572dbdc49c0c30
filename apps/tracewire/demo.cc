#include "apps/tracewire/demo.h"

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "apps/tracewire/stdout_exporter.h"
#include "otlp/sdk_setup.h"
#include "trace/propagation/carriers.h"
#include "trace/propagation/propagator_from_env.h"
#include "trace/sdk/context_scope.h"
#include "trace/sdk/simple_span_processor.h"

namespace tracewire::apps {
namespace {

using TransInfo = std::map<std::string, std::string, std::less<>>;

// One simulated service: its own TracerProvider (so its own service.name) and propagator.
struct Service {
  std::string name;
  otlp::TracingSdk sdk;
  trace::Tracer* tracer = nullptr;
};

bool EndpointConfigured(const trace::GetEnvFn& getenv) {
  for (const char* name : {"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"}) {
    auto v = getenv(name);
    if (v && !v->empty()) return true;
  }
  return false;
}

StatusOr<Service> MakeService(const std::string& name, const trace::GetEnvFn& getenv,
                              std::ostream& out, bool to_endpoint) {
  // Every variable as the user set it, except the service name, which is the simulated one.
  trace::GetEnvFn service_env = [&getenv,
                                 name](std::string_view var) -> std::optional<std::string> {
    if (var == "OTEL_SERVICE_NAME") return name;
    return getenv(var);
  };
  Service service;
  service.name = name;
  if (to_endpoint) {
    auto sdk = otlp::SetUpTracingFromEnv(service_env);
    if (!sdk.ok()) return sdk.status();
    service.sdk = std::move(*sdk);
  } else {
    trace::SdkConfig config = trace::SdkConfigFromEnv(service_env);
    trace::TracerProviderOptions options;
    options.resource = std::move(config.resource);
    options.use_default_resource = false;
    options.sampler = trace::MakeSampler(config.sampler);
    options.processor = trace::MakeSimpleSpanProcessor(std::make_unique<StdoutJsonExporter>(out));
    service.sdk.warnings = std::move(config.warnings);
    service.sdk.provider = std::make_unique<trace::TracerProvider>(std::move(options));
    auto propagator =
        trace::propagation::MakePropagatorFromEnvValue(trace::propagation::kDefaultOtelPropagators);
    if (!propagator.ok()) return propagator.status();
    service.sdk.propagator = std::move(*propagator);
  }
  service.tracer = &service.sdk.provider->GetTracer("tracewire.demo", "0.1.0");
  return service;
}

// The data processor's handler: three calls deep, the last one fails.
void HandleQuery(Service& svc, const TransInfo& trans_info) {
  trace::propagation::MapCarrier carrier(trans_info);
  trace::Context parent = svc.sdk.propagator->Extract(carrier, trace::Context());
  trace::StartSpanOptions server_options;
  server_options.kind = trace::SpanKind::kServer;
  server_options.parent = &parent;
  trace::Span server = svc.tracer->StartSpan("/trpc.demo.DataProcessor/Query", server_options);
  server.SetAttribute("rpc.system", "trpc");
  server.SetAttribute("rpc.service", "trpc.demo.DataProcessor");
  server.SetAttribute("rpc.method", "Query");
  trace::Scope in_server(trace::ContextWithSpan(server, parent));

  trace::Span load = svc.tracer->StartSpan("load_partition");
  load.SetAttribute("partition", int64_t{7});
  trace::Scope in_load(trace::ContextWithSpan(load, trace::CurrentContext()));
  trace::Span parse = svc.tracer->StartSpan("parse_rows");
  parse.RecordException("ValueError", "row 42: column 'price' is not a number",
                        "parse_rows (data_processor.cc:88)\nload_partition (data_processor.cc:51)");
  parse.SetStatus(trace::SpanStatusCode::kError, "row 42: column 'price' is not a number");
  parse.End();
  load.SetStatus(trace::SpanStatusCode::kError, "partition 7 failed");
  load.End();
  server.SetAttribute("trpc.status_code", int64_t{1});
  server.SetStatus(trace::SpanStatusCode::kError, "partition 7 failed");
}

}  // namespace

int RunDemo(std::ostream& out, const trace::GetEnvFn& getenv) {
  const bool to_endpoint = EndpointConfigured(getenv);
  auto edge = MakeService("edge-gateway", getenv, out, to_endpoint);
  auto gateway = MakeService("query-gateway", getenv, out, to_endpoint);
  auto processor = MakeService("data-processor", getenv, out, to_endpoint);
  for (auto* s : {&edge, &gateway, &processor}) {
    if (!s->ok()) {
      out << "demo: " << s->status().ToString() << '\n';
      return 1;
    }
    for (const auto& w : (*s)->sdk.warnings) out << "demo: warning: " << w << '\n';
  }

  trace::Context root_context;
  std::string trace_id;
  {
    trace::StartSpanOptions edge_options;
    edge_options.kind = trace::SpanKind::kServer;
    edge_options.parent = &root_context;
    trace::Span ingress = edge->tracer->StartSpan("GET /api/report", edge_options);
    ingress.SetAttribute("http.request.method", "GET");
    ingress.SetAttribute("url.path", "/api/report");
    trace_id = ingress.context().trace_id().ToHex();
    trace::Context in_edge = trace::ContextWithSpan(ingress, root_context);

    trace::StartSpanOptions gw_options;
    gw_options.kind = trace::SpanKind::kClient;
    gw_options.parent = &in_edge;
    trace::Span call = gateway->tracer->StartSpan("/trpc.demo.DataProcessor/Query", gw_options);
    call.SetAttribute("rpc.system", "trpc");
    call.SetAttribute("trpc.caller_service", "trpc.demo.QueryGateway");
    call.SetAttribute("trpc.callee_service", "trpc.demo.DataProcessor");

    TransInfo trans_info;  // what a tRPC request would carry
    trace::propagation::MapCarrier carrier(trans_info);
    gateway->sdk.propagator->Inject(trace::ContextWithSpan(call, in_edge), carrier);
    HandleQuery(*processor, trans_info);

    call.SetAttribute("trpc.status_code", int64_t{1});
    call.SetStatus(trace::SpanStatusCode::kError, "downstream returned 1");
    call.End();
    ingress.SetAttribute("http.response.status_code", int64_t{500});
    ingress.SetStatus(trace::SpanStatusCode::kError, "");
  }

  int code = 0;
  for (auto* s : {&processor, &gateway, &edge}) {
    Status st = (*s)->sdk.provider->Shutdown();
    if (!st.ok()) {
      out << "demo: exporting " << (*s)->name << "'s spans failed: " << st.ToString() << '\n';
      code = 1;
    }
  }
  out << "demo: one request through edge-gateway -> query-gateway -> data-processor, trace_id "
      << trace_id << (to_endpoint ? " (exported over OTLP/HTTP)" : " (OTLP/JSON above)") << '\n';
  return code;
}

}  // namespace tracewire::apps
