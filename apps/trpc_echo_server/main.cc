// trpc_echo_server: serves /trpc.test.echo.Echo (see echo_service.h) over tRPC, traced, with
// spans exported as the OTEL_* environment variables say. Prints "listening on HOST:PORT" once
// ready; SIGINT/SIGTERM drain the calls in flight, flush the spans and exit 0.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "apps/trpc_echo_server/echo_service.h"
#include "otlp/sdk_setup.h"
#include "trace/logging/trace_log_formatter.h"
#include "trpc/server.h"
#include "trpc/tracing/tracing_filters.h"

namespace tw = tracewire;

int main(int argc, char** argv) {
  CLI::App app{"trpc_echo_server: the tRPC echo service of tracewire's tests and benchmarks"};
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  int threads = 1;
  std::string downstream;
  std::string inject = "text";
  bool no_tracing = false;
  std::string log_format = "text";
  app.add_option("--host", host, "address to listen on");
  app.add_option("--port", port, "port to listen on (0: any free port)");
  app.add_option("--threads", threads, "event-loop threads")->check(CLI::Range(1, 64));
  app.add_option("--downstream", downstream,
                 "HOST:PORT: Echo and Meta first call the same method there");
  app.add_option("--inject", inject, "trace context written downstream: text, binary or both");
  app.add_flag("--no-tracing", no_tracing, "run without the tracing filters");
  app.add_option("--log-format", log_format, "stderr log lines: text or json (with trace ids)");
  CLI11_PARSE(app, argc, argv);

  auto inject_format = tw::trpc::ParseTraceInjectFormat(inject);
  if (!inject_format.ok()) {
    std::cerr << "trpc_echo_server: --inject: " << inject_format.status().message() << "\n";
    return 2;
  }
  auto format = tw::trace::logging::ParseLogFormat(log_format);
  if (!format.ok()) {
    std::cerr << "trpc_echo_server: --log-format: " << format.status().message() << "\n";
    return 2;
  }
  auto logger = spdlog::stderr_logger_mt("trpc_echo_server");
  tw::trace::logging::InstallTraceFormatter(*logger, *format);

  auto sdk = tw::otlp::SetUpTracingFromEnv();
  if (!sdk.ok()) {
    std::cerr << "trpc_echo_server: " << sdk.status().ToString() << "\n";
    return 2;
  }
  for (const std::string& w : sdk->warnings) logger->warn("{}", w);
  // With the SDK disabled the filters would only make non-recording spans: leave them out.
  const bool tracing = !no_tracing && !sdk->disabled;
  tw::trpc::TracingFilterOptions tracing_options{.provider = sdk->provider.get(),
                                                 .inject = *inject_format};

  // Block the stop signals in every thread; main waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<tw::trpc::Client> client;
  if (!downstream.empty()) {
    tw::trpc::ClientOptions copts;
    copts.address = downstream;
    copts.callee = tw::apps::kEchoService;
    copts.caller = tw::apps::kEchoService;
    if (tracing) copts.filters.push_back(tw::trpc::MakeClientTracingFilter(tracing_options));
    auto created = tw::trpc::Client::Create(std::move(copts));
    if (!created.ok()) {
      std::cerr << "trpc_echo_server: --downstream: " << created.status().ToString() << "\n";
      return 2;
    }
    client = std::move(*created);
  }
  tw::apps::EchoService service(client.get(), logger);

  tw::trpc::ServerOptions options;
  options.host = host;
  options.port = port;
  options.threads = threads;
  options.service_name = tw::apps::kEchoService;
  if (tracing) options.filters.push_back(tw::trpc::MakeServerTracingFilter(tracing_options));
  auto server = tw::trpc::Server::Start(std::move(options), service.Handlers());
  if (!server.ok()) {
    std::cerr << "trpc_echo_server: " << server.status().ToString() << "\n";
    return 1;
  }
  std::cout << "listening on " << host << ":" << (*server)->port() << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  (*server)->Shutdown(std::chrono::seconds(5));
  client.reset();
  (void)sdk->provider->Shutdown(std::chrono::seconds(5));
  return 0;
}
