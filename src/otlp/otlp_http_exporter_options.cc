#include "otlp/otlp_http_exporter_options.h"

#include <charconv>
#include <cstdlib>
#include <string>

namespace tracewire::otlp {

namespace {

constexpr std::string_view kTracesPath = "v1/traces";

// The traces-specific variable if set and non-empty, else the generic one. Sets `*name` to
// the variable used, for error messages.
std::optional<std::string> Lookup(const GetEnvFn& getenv, const char* traces_name,
                                  const char* generic_name, const char** name) {
  for (const char* candidate : {traces_name, generic_name}) {
    std::optional<std::string> v = getenv(candidate);
    if (v.has_value() && !v->empty()) {
      *name = candidate;
      return v;
    }
  }
  return std::nullopt;
}

std::string AppendTracesPath(std::string base) {
  if (base.empty() || base.back() != '/') base.push_back('/');
  base.append(kTracesPath);
  return base;
}

Status BadValue(const char* name, std::string_view why) {
  return InvalidArgumentError(std::string(name) + ": " + std::string(why));
}

}  // namespace

StatusOr<OtlpHttpExporterOptions> OtlpHttpExporterOptionsFromEnv(const GetEnvFn& getenv) {
  OtlpHttpExporterOptions options;
  const char* name = nullptr;

  if (auto v = getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); v.has_value() && !v->empty()) {
    options.endpoint = *v;
  } else if (auto base = getenv("OTEL_EXPORTER_OTLP_ENDPOINT");
             base.has_value() && !base->empty()) {
    options.endpoint = AppendTracesPath(*base);
  }

  if (auto v = Lookup(getenv, "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS",
                      &name)) {
    StatusOr<HeaderList> headers = ParseOtlpHeaders(*v);
    if (!headers.ok()) return BadValue(name, headers.status().message());
    options.headers = std::move(*headers);
  }

  if (auto v = Lookup(getenv, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL",
                      &name)) {
    if (*v == "http/protobuf") {
      options.protocol = OtlpProtocol::kHttpProtobuf;
    } else if (*v == "http/json") {
      options.protocol = OtlpProtocol::kHttpJson;
    } else if (*v == "grpc") {
      return UnimplementedError(std::string(name) +
                                ": OTLP/gRPC is not supported yet; use http/protobuf or http/json");
    } else {
      return BadValue(name,
                      "unknown protocol '" + *v + "' (expected http/protobuf, http/json or grpc)");
    }
  }

  if (auto v = Lookup(getenv, "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
                      "OTEL_EXPORTER_OTLP_COMPRESSION", &name)) {
    if (*v == "gzip") {
      options.compression = OtlpCompression::kGzip;
    } else if (*v == "none") {
      options.compression = OtlpCompression::kNone;
    } else {
      return BadValue(name, "unknown compression '" + *v + "' (expected gzip or none)");
    }
  }

  if (auto v = Lookup(getenv, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT",
                      &name)) {
    int64_t ms = 0;
    const char* end = v->data() + v->size();
    const auto r = std::from_chars(v->data(), end, ms);
    if (r.ec != std::errc() || r.ptr != end || ms <= 0) {
      return BadValue(name, "timeout '" + *v + "' is not a positive integer of milliseconds");
    }
    options.timeout = std::chrono::milliseconds(ms);
  }
  return options;
}

}  // namespace tracewire::otlp
