// OtlpHttpExporter: trace::SpanExporter sending ExportTraceServiceRequest over OTLP/HTTP
// (POST to the configured traces URL, http/protobuf or http/json, optional gzip).
// Retries only on 429, 502, 503, 504 and connection failures, with exponential backoff and
// jitter, honouring Retry-After, all within options.timeout. Header values are never logged.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <span>
#include <string>

#include "net/http_client.h"
#include "otlp/otlp_http_exporter_options.h"
#include "otlp/trace_json_encoder.h"
#include "otlp/trace_proto_encoder.h"
#include "trace/span_exporter.h"

namespace tracewire::otlp {

class OtlpHttpExporter final : public trace::SpanExporter {
 public:
  // Counters since creation; read with stats().
  struct Stats {
    uint64_t exported_spans = 0;  // accepted by the server (rejected ones not included)
    uint64_t rejected_spans = 0;  // reported by the server as partial success
    uint64_t failed_batches = 0;  // Export returned an error
    uint64_t retries = 0;         // attempts after the first
  };

  // Validates `options` (endpoint URL, timeout, retry policy).
  // Errors: INVALID_ARGUMENT naming the bad option; UNIMPLEMENTED for https endpoints.
  static StatusOr<std::unique_ptr<OtlpHttpExporter>> Create(OtlpHttpExporterOptions options);

  ~OtlpHttpExporter() override;

  // Thread-safety as in span_exporter.h: Export from one thread at a time (a mutex serializes
  // concurrent callers); Shutdown from any thread, waking a pending retry wait.
  // Errors: the mapped HTTP status (INVALID_ARGUMENT for 400, UNAVAILABLE for 503, ...),
  // UNAVAILABLE for connection failures, DEADLINE_EXCEEDED when options.timeout passes,
  // FAILED_PRECONDITION after Shutdown. A partial success is OK and counted in stats().
  Status Export(std::span<const trace::SpanData* const> batch) override;
  Status ForceFlush(std::chrono::milliseconds timeout) override;  // nothing buffered: OK
  Status Shutdown(std::chrono::milliseconds timeout) override;

  Stats stats() const;

 private:
  OtlpHttpExporter(OtlpHttpExporterOptions options, net::HttpUrl url);

  Status EncodeBody(std::span<const trace::SpanData* const> batch);
  // Handles a 2xx response: parses partial success and updates the counters.
  void OnSuccess(const net::HttpResponse& response, size_t span_count);
  Status ErrorFromResponse(const net::HttpResponse& response) const;
  // The backoff before retry number `retry` (1-based), with jitter.
  std::chrono::milliseconds Backoff(int retry);
  // Waits `delay` unless shut down first; returns false on shutdown.
  bool WaitForRetry(std::chrono::milliseconds delay);
  void Log(std::string_view message) const;

  const OtlpHttpExporterOptions options_;
  const net::HttpUrl url_;
  const std::string authority_;  // "host:port" for messages

  std::mutex export_mutex_;  // serializes Export; guards the members below
  std::unique_ptr<net::HttpClient> client_;
  TraceProtoEncoder proto_encoder_;
  TraceJsonEncoder json_encoder_;
  std::string encoded_;
  std::string compressed_;
  net::HttpRequest request_;
  std::minstd_rand jitter_rng_;

  std::mutex wait_mutex_;
  std::condition_variable wait_cv_;
  std::atomic<bool> shutdown_{false};

  std::atomic<uint64_t> exported_spans_{0};
  std::atomic<uint64_t> rejected_spans_{0};
  std::atomic<uint64_t> failed_batches_{0};
  std::atomic<uint64_t> retries_{0};
};

}  // namespace tracewire::otlp
