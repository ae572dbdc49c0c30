#include "apps/tracewire/call.h"

#include <cstdio>
#include <utility>

#include "otlp/sdk_setup.h"
#include "trpc/client.h"
#include "trpc/ret_code.h"
#include "trpc/tracing/rpc_attributes.h"
#include "trpc/tracing/tracing_filters.h"

namespace tracewire::apps {
namespace {

// Sets *out to the content type the command asks for.
Status ContentTypeOf(const CallCommand& c, uint32_t* out) {
  std::string name = c.content_type;
  if (name.empty()) name = c.json.empty() ? "proto" : "json";
  if (name == "proto") *out = trpc::kContentTypeProto;
  if (name == "json") *out = trpc::kContentTypeJson;
  if (name == "noop") *out = trpc::kContentTypeNoop;
  if (name == "proto" || name == "json" || name == "noop") return OkStatus();
  return InvalidArgumentError("--content-type must be proto, json or noop, not \"" + name + "\"");
}

// Adds the --meta entries to *info.
Status MetaOf(const CallCommand& c, trpc::TransInfo* info) {
  for (const std::string& kv : c.meta) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return InvalidArgumentError("--meta wants key=value, got \"" + kv + "\"");
    }
    (*info)[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return OkStatus();
}

// Spans go nowhere unless the user pointed them somewhere: a one-shot command should not spend
// its exit waiting on a collector that is not there.
GetEnvFn QuietByDefault(const GetEnvFn& getenv) {
  bool configured = getenv("OTEL_TRACES_EXPORTER") || getenv("OTEL_EXPORTER_OTLP_ENDPOINT") ||
                    getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  if (configured) return getenv;
  return [getenv](std::string_view name) -> std::optional<std::string> {
    if (name == "OTEL_TRACES_EXPORTER") return "none";
    return getenv(name);
  };
}

int BadCommand(const Status& status, std::ostream& err) {
  err << "tracewire call: " << status.message() << "\n";
  return 2;
}

}  // namespace

std::string Printable(std::string_view bytes) {
  bool text = true;
  for (unsigned char ch : bytes) {
    if ((ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') || ch == 0x7f) text = false;
  }
  if (text) return std::string(bytes);
  std::string out;
  for (unsigned char ch : bytes) {
    if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
      out += static_cast<char>(ch);
    } else {
      char buf[5];
      std::snprintf(buf, sizeof(buf), "\\x%02x", ch);
      out += buf;
    }
  }
  return out;
}

int RunCall(const CallCommand& command, std::ostream& out, std::ostream& err,
            const GetEnvFn& getenv) {
  uint32_t content_type = trpc::kContentTypeProto;
  Status content_status = ContentTypeOf(command, &content_type);
  trpc::TransInfo meta;
  Status meta_status = MetaOf(command, &meta);
  auto inject = trpc::ParseTraceInjectFormat(command.inject);
  if (!content_status.ok()) return BadCommand(content_status, err);
  if (!meta_status.ok()) return BadCommand(meta_status, err);
  if (!inject.ok()) return BadCommand(inject.status(), err);
  if (!command.data.empty() && !command.json.empty()) {
    err << "tracewire call: give --data or --json, not both\n";
    return 2;
  }
  auto sdk = otlp::SetUpTracingFromEnv(QuietByDefault(getenv));
  if (!sdk.ok()) {
    err << "tracewire call: " << sdk.status().ToString() << "\n";
    return 2;
  }
  for (const std::string& w : sdk->warnings) err << "tracewire call: " << w << "\n";

  trpc::ClientOptions options;
  options.address = command.address;
  options.caller = command.caller;
  options.callee = command.callee.empty()
                       ? std::string(trpc::internal::SplitFunc(command.func).service)
                       : command.callee;
  options.timeout = command.timeout;
  options.filters.push_back(
      trpc::MakeClientTracingFilter({.provider = sdk->provider.get(), .inject = *inject}));
  auto client = trpc::Client::Create(std::move(options));
  if (!client.ok()) {
    err << "tracewire call: " << client.status().message() << "\n";
    return 2;
  }

  trpc::CallRequest request;
  request.func = command.func;
  request.body = command.json.empty() ? command.data : command.json;
  request.content_type = content_type;
  request.trans_info = std::move(meta);
  trpc::CallResult result = (*client)->Call(std::move(request));
  client->reset();
  (void)sdk->provider->Shutdown(std::chrono::seconds(5));

  out << "ret: " << result.ret;
  if (std::string_view d = trpc::RetCodeDescription(result.ret); !d.empty()) {
    out << " (" << d << ")";
  }
  out << "\nfunc_ret: " << result.func_ret << "\n";
  if (!result.error_msg.empty()) out << "error_msg: " << Printable(result.error_msg) << "\n";
  if (result.client_span.IsValid()) {
    out << "trace_id: " << result.client_span.trace_id().ToHex() << "\n";
  }
  if (!result.trans_info.empty()) {
    out << "trans_info:\n";
    for (const auto& [key, value] : result.trans_info) {
      out << "  " << Printable(key) << ": " << Printable(value) << "\n";
    }
  }
  out << "body (" << result.body.size() << " bytes):\n" << Printable(result.body) << "\n";
  return result.ok() ? 0 : 1;
}

}  // namespace tracewire::apps
