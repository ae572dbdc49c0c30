// The `tracewire` command.
#include <CLI/CLI.hpp>
#include <iostream>

#include "apps/tracewire/call.h"
#include "apps/tracewire/demo.h"
#include "apps/tracewire/serve.h"
#include "apps/tracewire/sidecar.h"

int main(int argc, char** argv) {
  CLI::App app{"tracewire: one trace id across every tRPC and HTTP hop"};
  app.require_subcommand(1);
  auto* demo = app.add_subcommand(
      "demo", "make a trace through three simulated services and export it over OTLP");
  auto* version = app.add_subcommand("version", "print the version");

  tracewire::apps::CallCommand call_command;
  int64_t timeout_ms = 5000;
  auto* call = app.add_subcommand("call", "make one tRPC call and print the answer and trace id");
  call->add_option("address", call_command.address, "HOST:PORT")->required();
  call->add_option("func", call_command.func, "/pkg.Service/Method")->required();
  call->add_option("--data", call_command.data, "request body, as is");
  call->add_option("--json", call_command.json, "request body as JSON text (content type json)");
  call->add_option("--meta", call_command.meta, "trans_info entry key=value (repeatable)");
  call->add_option("--timeout", timeout_ms, "call timeout in ms")->check(CLI::Range(1, 3600000));
  call->add_option("--content-type", call_command.content_type, "proto, json or noop");
  call->add_option("--callee", call_command.callee, "callee service (default: from the func)");
  call->add_option("--caller", call_command.caller, "caller service name");
  call->add_option("--inject", call_command.inject, "trace context format: text, binary, both");
  tracewire::apps::ServeFlags serve_flags;
  auto* serve = app.add_subcommand(
      "serve", "run the collector, the embedded store and the query API (all-in-one by default)");
  serve->add_option("--config", serve_flags.config_file, "YAML config (OTel Collector shape)");
  serve->add_option("--data-dir", serve_flags.data_dir, "store directory (./tracewire-data)");
  serve->add_option("--otlp-grpc", serve_flags.otlp_grpc, "OTLP/gRPC HOST:PORT (localhost:4317)");
  serve->add_option("--otlp-http", serve_flags.otlp_http, "OTLP/HTTP HOST:PORT (localhost:4318)");
  serve->add_option("--zipkin", serve_flags.zipkin, "Zipkin HOST:PORT (localhost:9411)");
  serve->add_option("--http", serve_flags.http, "query API HOST:PORT (localhost:16686)");
  serve->add_flag("--print-config", serve_flags.print_config, "print the config and exit");
  tracewire::apps::SidecarFlags sidecar_flags;
  auto* sidecar = app.add_subcommand(
      "sidecar", "run the transparent tracing proxy for tRPC and HTTP (src/sidecar/README.md)");
  sidecar->add_option("--config", sidecar_flags.config_file, "YAML config");
  sidecar->add_flag("--print-config", sidecar_flags.print_config, "print the config and exit");
  CLI11_PARSE(app, argc, argv);

  if (*version) {
    std::cout << "tracewire 0.1.0\n";
    return 0;
  }
  if (*demo) return tracewire::apps::RunDemo(std::cout);
  if (*sidecar) return tracewire::apps::RunSidecar(sidecar_flags, std::cout, std::cerr);
  if (*serve) return tracewire::apps::RunServe(serve_flags, std::cout, std::cerr);
  if (*call) {
    call_command.timeout = std::chrono::milliseconds(timeout_ms);
    return tracewire::apps::RunCall(call_command, std::cout, std::cerr);
  }
  return 0;
}
