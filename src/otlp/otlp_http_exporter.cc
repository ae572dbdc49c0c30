#include "otlp/otlp_http_exporter.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

#include "otlp/export_response.h"
#include "otlp/gzip.h"
#include "otlp/retry_after.h"

namespace tracewire::otlp {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::string_view kUserAgent = "tracewire-otlp-exporter/0.1";
constexpr size_t kMaxErrorMessageBytes = 256;

bool IsRetryableHttpStatus(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

StatusCode CodeForHttpStatus(int status) {
  switch (status) {
    case 400: return StatusCode::kInvalidArgument;
    case 401: return StatusCode::kUnauthenticated;
    case 403: return StatusCode::kPermissionDenied;
    case 404: return StatusCode::kNotFound;
    case 413: return StatusCode::kOutOfRange;
    case 429: return StatusCode::kResourceExhausted;
    case 502:
    case 503:
    case 504: return StatusCode::kUnavailable;
    default: return status >= 500 ? StatusCode::kInternal : StatusCode::kUnknown;
  }
}

// Messages quote server text: keep them short and on one line.
std::string Clip(std::string s) {
  if (s.size() > kMaxErrorMessageBytes) s.resize(kMaxErrorMessageBytes);
  std::replace_if(
      s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return s;
}

bool IsJson(OtlpProtocol p) { return p == OtlpProtocol::kHttpJson; }

}  // namespace

StatusOr<std::unique_ptr<OtlpHttpExporter>> OtlpHttpExporter::Create(
    OtlpHttpExporterOptions options) {
  StatusOr<net::HttpUrl> url = net::HttpUrl::Parse(options.endpoint);
  if (!url.ok()) {
    return Status(url.status().code(), "otlp exporter: endpoint: " + url.status().message());
  }
  if (options.timeout <= milliseconds(0)) {
    return InvalidArgumentError("otlp exporter: timeout must be positive");
  }
  const OtlpRetryPolicy& r = options.retry;
  if (r.max_attempts < 1 || r.initial_backoff < milliseconds(0) ||
      r.max_backoff < r.initial_backoff || !(r.multiplier >= 1.0)) {
    return InvalidArgumentError(
        "otlp exporter: retry: need max_attempts >= 1, 0 <= initial_backoff <= max_backoff, "
        "multiplier >= 1");
  }
  for (const auto& [name, value] : options.headers) {
    if (name.empty() || name.find_first_of(":\r\n") != std::string::npos ||
        value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return InvalidArgumentError("otlp exporter: headers: invalid header '" + Clip(name) +
                                  "' (value not shown)");
    }
  }
  return std::unique_ptr<OtlpHttpExporter>(
      new OtlpHttpExporter(std::move(options), std::move(*url)));
}

OtlpHttpExporter::OtlpHttpExporter(OtlpHttpExporterOptions options, net::HttpUrl url)
    : options_(std::move(options)),
      url_(std::move(url)),
      authority_(url_.host + ":" + std::to_string(url_.port)),
      client_(net::HttpClient::Create(url_.host, url_.port)),
      jitter_rng_(std::random_device{}()) {
  request_.method = "POST";
  request_.target = url_.target;
  for (const auto& [name, value] : options_.headers) request_.headers.Add(name, value);
  request_.headers.Set("User-Agent", kUserAgent);
  request_.headers.Set("Content-Type",
                       IsJson(options_.protocol) ? "application/json" : "application/x-protobuf");
  if (options_.compression == OtlpCompression::kGzip) {
    request_.headers.Set("Content-Encoding", "gzip");
  }
}

OtlpHttpExporter::~OtlpHttpExporter() { (void)Shutdown(milliseconds(0)); }

Status OtlpHttpExporter::EncodeBody(std::span<const trace::SpanData* const> batch) {
  if (IsJson(options_.protocol)) {
    json_encoder_.Encode(batch, encoded_);
  } else {
    TW_RETURN_IF_ERROR(proto_encoder_.Encode(batch, encoded_));
  }
  if (options_.compression == OtlpCompression::kGzip) {
    TW_RETURN_IF_ERROR(GzipCompress(encoded_, compressed_));
    request_.body.swap(compressed_);
  } else {
    request_.body.swap(encoded_);
  }
  return OkStatus();
}

Status OtlpHttpExporter::Export(std::span<const trace::SpanData* const> batch) {
  if (shutdown_.load(std::memory_order_acquire)) {
    return FailedPreconditionError("otlp exporter: Export after Shutdown");
  }
  std::lock_guard lock(export_mutex_);
  const size_t span_count =
      static_cast<size_t>(std::count_if(batch.begin(), batch.end(), [](auto* s) { return s; }));
  if (span_count == 0) return OkStatus();

  const Clock::time_point deadline = Clock::now() + options_.timeout;
  Status status = EncodeBody(batch);
  if (!status.ok()) {
    failed_batches_.fetch_add(1, std::memory_order_relaxed);
    return status;
  }
  for (int attempt = 1;; ++attempt) {
    const auto remaining = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (remaining <= milliseconds(0)) {
      status = DeadlineExceededError("otlp exporter: timeout of " +
                                     std::to_string(options_.timeout.count()) +
                                     " ms passed exporting to " + authority_);
      break;
    }
    StatusOr<net::HttpResponse> response = client_->Send(request_, remaining);
    std::optional<milliseconds> retry_after;
    if (response.ok() && response->status >= 200 && response->status < 300) {
      OnSuccess(*response, span_count);
      return OkStatus();
    }
    if (response.ok()) {
      status = ErrorFromResponse(*response);
      if (!IsRetryableHttpStatus(response->status)) break;
      if (auto v = response->headers.Get("Retry-After")) {
        retry_after = ParseRetryAfter(*v, std::chrono::system_clock::now());
      }
    } else {
      status = Status(response.status().code(),
                      "otlp exporter: " + authority_ + ": " + response.status().message());
      if (status.code() != StatusCode::kUnavailable) break;  // timeouts and bad responses
    }
    if (attempt >= options_.retry.max_attempts) break;
    const milliseconds delay = retry_after.value_or(Backoff(attempt));
    if (Clock::now() + delay >= deadline) {
      status = Status(status.code(), status.message() + " (no time left to retry within " +
                                         std::to_string(options_.timeout.count()) + " ms)");
      break;
    }
    if (!WaitForRetry(delay)) {
      status = Status(status.code(), status.message() + " (shut down while retrying)");
      break;
    }
    retries_.fetch_add(1, std::memory_order_relaxed);
  }
  failed_batches_.fetch_add(1, std::memory_order_relaxed);
  return status;
}

void OtlpHttpExporter::OnSuccess(const net::HttpResponse& response, size_t span_count) {
  StatusOr<PartialSuccess> partial = IsJson(options_.protocol)
                                         ? ParseExportTraceResponseJson(response.body)
                                         : ParseExportTraceResponseProto(response.body);
  if (!partial.ok()) {
    // The server took the batch; a body we cannot read does not undo that.
    Log("otlp exporter: " + authority_ +
        ": unreadable success response: " + partial.status().message());
    exported_spans_.fetch_add(span_count, std::memory_order_relaxed);
    return;
  }
  const uint64_t rejected = std::min<uint64_t>(
      static_cast<uint64_t>(std::max<int64_t>(partial->rejected_spans, 0)), span_count);
  exported_spans_.fetch_add(span_count - rejected, std::memory_order_relaxed);
  rejected_spans_.fetch_add(rejected, std::memory_order_relaxed);
  if (rejected != 0 || !partial->error_message.empty()) {
    Log("otlp exporter: " + authority_ + ": partial success, " + std::to_string(rejected) + " of " +
        std::to_string(span_count) + " spans rejected: " + Clip(partial->error_message));
  }
}

Status OtlpHttpExporter::ErrorFromResponse(const net::HttpResponse& response) const {
  std::string detail = IsJson(options_.protocol) ? StatusMessageFromJson(response.body)
                                                 : StatusMessageFromProto(response.body);
  std::string message =
      "otlp exporter: " + authority_ + " answered HTTP " + std::to_string(response.status);
  if (!detail.empty()) message += ": " + Clip(std::move(detail));
  return Status(CodeForHttpStatus(response.status), std::move(message));
}

milliseconds OtlpHttpExporter::Backoff(int retry) {
  const OtlpRetryPolicy& p = options_.retry;
  const double base = static_cast<double>(p.initial_backoff.count()) *
                      std::pow(p.multiplier, static_cast<double>(retry - 1));
  const double capped = std::min(base, static_cast<double>(p.max_backoff.count()));
  // Jitter: uniformly in [capped/2, capped], so concurrent exporters spread out.
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return milliseconds(static_cast<int64_t>(capped * jitter(jitter_rng_)));
}

bool OtlpHttpExporter::WaitForRetry(milliseconds delay) {
  std::unique_lock lock(wait_mutex_);
  return !wait_cv_.wait_for(lock, delay,
                            [this] { return shutdown_.load(std::memory_order_acquire); });
}

Status OtlpHttpExporter::ForceFlush(milliseconds) { return OkStatus(); }

Status OtlpHttpExporter::Shutdown(milliseconds) {
  {
    std::lock_guard lock(wait_mutex_);
    shutdown_.store(true, std::memory_order_release);
  }
  wait_cv_.notify_all();
  return OkStatus();
}

OtlpHttpExporter::Stats OtlpHttpExporter::stats() const {
  Stats s;
  s.exported_spans = exported_spans_.load(std::memory_order_relaxed);
  s.rejected_spans = rejected_spans_.load(std::memory_order_relaxed);
  s.failed_batches = failed_batches_.load(std::memory_order_relaxed);
  s.retries = retries_.load(std::memory_order_relaxed);
  return s;
}

void OtlpHttpExporter::Log(std::string_view message) const {
  if (options_.log) {
    options_.log(message);
  } else {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
  }
}

}  // namespace tracewire::otlp
