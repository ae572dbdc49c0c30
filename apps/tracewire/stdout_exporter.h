// A SpanExporter that prints each batch as one line of OTLP/JSON (ExportTraceServiceRequest)
// to a stream: what `tracewire demo` shows when no OTLP endpoint is configured.
#pragma once

#include <mutex>
#include <ostream>
#include <string>

#include "otlp/trace_json_encoder.h"
#include "trace/span_exporter.h"

namespace tracewire::apps {

class StdoutJsonExporter final : public trace::SpanExporter {
 public:
  // `out` must outlive the exporter.
  explicit StdoutJsonExporter(std::ostream& out) : out_(out) {}

  Status Export(std::span<const trace::SpanData* const> batch) override {
    std::lock_guard<std::mutex> lock(mu_);
    encoder_.Encode(batch, buffer_);
    out_ << buffer_ << '\n';
    out_.flush();
    return out_ ? OkStatus() : UnavailableError("cannot write the OTLP/JSON output");
  }

 private:
  std::ostream& out_;
  std::mutex mu_;
  otlp::TraceJsonEncoder encoder_;  // guarded by mu_
  std::string buffer_;              // guarded by mu_
};

}  // namespace tracewire::apps
