#include "apps/tracewire/serve.h"

#include <pthread.h>
#include <signal.h>

#include <ostream>

#include "collector/config.h"
#include "collector/exporter/tracewire_exporter.h"
#include "collector/pipeline.h"
#include "collector/query_extension_config.h"
#include "collector/receiver/receiver.h"
#include "collector/receiver/receiver_config.h"
#include "collector/registry.h"
#include "net/http_server.h"
#include "query/query_handler.h"
#include "query/static_ui.h"
#include "store/store.h"

namespace tracewire::apps {

struct ServeApp::Parts {
  collector::Registry registry = collector::DefaultRegistry();
  collector::CollectorConfig config;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<collector::Service> service;
  std::vector<std::unique_ptr<net::HttpServer>> query_servers;
  std::vector<Listener> listeners;
  bool stopped = false;
};

namespace {

// Hosts as the HTTP server binds them.
std::string BindHost(const std::string& host) {
  if (host.empty()) return "0.0.0.0";
  if (host == "localhost") return "127.0.0.1";
  return host;
}

// The host a receiver was configured to bind for `protocol`.
std::string ReceiverHost(const collector::CollectorConfig& config, const std::string& id,
                         std::string_view protocol) {
  const collector::ComponentEntry* e = config.FindReceiver(id);
  if (e == nullptr) return "?";
  if (const auto* otlp = dynamic_cast<const collector::OtlpReceiverConfig*>(e->config.get())) {
    if (protocol == "grpc" && otlp->grpc) return otlp->grpc->endpoint.host;
    if (protocol == "http" && otlp->http) return otlp->http->endpoint.host;
  }
  if (const auto* zipkin = dynamic_cast<const collector::ZipkinReceiverConfig*>(e->config.get())) {
    return zipkin->endpoint.host;
  }
  return "?";
}

Status Prefixed(const std::string& prefix, const Status& s) {
  return Status(s.code(), prefix + ": " + s.message());
}

}  // namespace

StatusOr<std::unique_ptr<ServeApp>> ServeApp::Start(const ServeFlags& flags, std::ostream& log) {
  auto parts = std::make_unique<Parts>();
  StatusOr<YAML::Node> root = LoadServeConfig(flags);
  if (!root.ok()) return root.status();
  StatusOr<collector::CollectorConfig> config =
      collector::ParseCollectorConfig(*root, parts->registry);
  if (!config.ok()) return config.status();
  parts->config = std::move(*config);
  const bool info = parts->config.log_level == "debug" || parts->config.log_level == "info";
  const bool warn = info || parts->config.log_level == "warn";
  if (warn) {
    for (const std::string& w : parts->config.warnings)
      log << "tracewire serve: warning: " << w << "\n";
  }

  StatusOr<const collector::TracewireExporterConfig*> store_config =
      collector::FindStoreConfig(parts->config);
  if (!store_config.ok()) return store_config.status();
  const std::vector<const collector::QueryExtensionConfig*> queries =
      collector::EnabledQueryExtensions(parts->config);
  if (*store_config != nullptr) {
    StatusOr<std::unique_ptr<store::Store>> s = store::Store::Open((*store_config)->store);
    if (!s.ok()) return Prefixed("exporters.tracewire: opening the store", s.status());
    parts->store = std::move(*s);
    if (info) log << "tracewire serve: store open in " << (*store_config)->store.data_dir << "\n";
  } else if (!queries.empty()) {
    return InvalidArgumentError(
        "extensions.tracewire_query: needs a tracewire exporter in a pipeline (the store it "
        "reads)");
  }

  collector::BuildContext context;
  context.store = parts->store.get();
  StatusOr<std::unique_ptr<collector::Service>> service =
      collector::Service::Build(parts->config, parts->registry, context);
  if (!service.ok()) return service.status();
  parts->service = std::move(*service);
  TW_RETURN_IF_ERROR(parts->service->Start());

  for (const collector::Component* c : parts->service->receivers()) {
    const auto* r = dynamic_cast<const collector::Receiver*>(c);
    if (r == nullptr) continue;
    for (std::string_view protocol : {"grpc", "http"}) {
      const uint16_t port = r->port(protocol);
      if (port == 0) continue;
      parts->listeners.push_back(Listener{"receivers." + c->id() + " " + std::string(protocol),
                                          ReceiverHost(parts->config, c->id(), protocol), port});
    }
  }

  for (const collector::QueryExtensionConfig* q : queries) {
    net::HttpServerOptions options;
    options.host = BindHost(q->endpoint.host);
    options.port = q->endpoint.port;
    options.threads = 2;
    query::QueryOptions query_options;
    query_options.auth_token = q->bearer_token;
    query_options.max_limit = q->max_search_limit;
    query::StaticUiOptions ui_options;
    ui_options.ui_dir = q->ui_dir.empty() ? query::FindDefaultUiDir("/proc/self/exe") : q->ui_dir;
    if (info) {
      log << "tracewire serve: web UI from "
          << (ui_options.ui_dir.empty() ? "(not built)" : ui_options.ui_dir) << "\n";
    }
    StatusOr<std::unique_ptr<net::HttpServer>> server = net::HttpServer::Start(
        options,
        query::RouteApiAndUi(query::MakeQueryHandler(*parts->store, std::move(query_options)),
                             query::MakeStaticUiHandler(std::move(ui_options))));
    if (!server.ok()) {
      (void)parts->service->Shutdown();
      return Prefixed("extensions.tracewire_query: " + q->endpoint.host + ":" +
                          std::to_string(q->endpoint.port),
                      server.status());
    }
    parts->listeners.push_back(
        Listener{"extensions.tracewire_query (query API)", options.host, (*server)->port()});
    parts->query_servers.push_back(std::move(*server));
  }
  if (info) {
    for (const Listener& l : parts->listeners) {
      log << "tracewire serve: " << l.what << " listening on " << l.host << ":" << l.port << "\n";
    }
    log.flush();
  }
  return std::unique_ptr<ServeApp>(new ServeApp(std::move(parts)));
}

ServeApp::ServeApp(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

ServeApp::~ServeApp() { (void)Stop(); }

const std::vector<ServeApp::Listener>& ServeApp::listeners() const { return parts_->listeners; }

Status ServeApp::Stop() {
  if (parts_->stopped) return OkStatus();
  parts_->stopped = true;
  // Receivers stop first and the pipelines flush into the store; then the readers go; then the
  // store closes (every pending append answered).
  Status first = parts_->service->Shutdown();
  for (auto& s : parts_->query_servers) s->Stop();
  if (parts_->store) {
    Status closed = parts_->store->Close();
    if (first.ok() && !closed.ok()) first = Prefixed("closing the store", closed);
  }
  return first;
}

int RunServe(const ServeFlags& flags, std::ostream& out, std::ostream& err) {
  if (flags.print_config) {
    StatusOr<std::string> text = PrintableServeConfig(flags);
    if (!text.ok()) {
      err << "tracewire serve: " << text.status().message() << "\n";
      return 2;
    }
    out << *text;
    return 0;
  }
  // Block the stop signals in every thread the app starts; this thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  StatusOr<std::unique_ptr<ServeApp>> app = ServeApp::Start(flags, out);
  if (!app.ok()) {
    err << "tracewire serve: " << app.status().message() << "\n";
    return 2;
  }
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  out << "tracewire serve: " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM") << ": stopping\n";
  out.flush();
  Status stopped = (*app)->Stop();
  if (!stopped.ok()) {
    err << "tracewire serve: " << stopped.message() << "\n";
    return 1;
  }
  out << "tracewire serve: stopped\n";
  return 0;
}

}  // namespace tracewire::apps
