// Span: a move-only handle on one span being recorded (OTel API Span).
//
// A recording span owns its SpanData until End hands it to the processor. A non-recording
// span (sampler dropped it, SDK disabled, default-constructed) records nothing, but keeps
// a SpanContext (sampled flag off) so the trace still propagates. The destructor ends a span
// that was not ended. Not thread-safe: use one Span from one thread at a time.
// Lifetime: the TracerProvider that made the span must outlive it.
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "trace/attribute.h"
#include "trace/span_context.h"
#include "trace/span_data.h"

namespace tracewire::trace {

struct SpanPipeline;
class Tracer;

class Span {
 public:
  Span() = default;  // non-recording, invalid context
  ~Span() { End(); }
  Span(Span&& other) noexcept;
  Span& operator=(Span&& other) noexcept;  // ends this span first
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;

  // True until End. False for non-recording spans.
  bool IsRecording() const { return data_ != nullptr; }
  // Valid for every span a Tracer started, recording or not.
  const SpanContext& context() const { return context_; }

  // Sets an attribute, replacing the value of an existing key. Past the attribute count limit
  // new keys are dropped and counted; strings longer than the value length limit are
  // truncated (at a UTF-8 character boundary). No-ops on a non-recording span. Hot path.
  void SetAttribute(std::string_view key, std::string_view value);
  void SetAttribute(std::string_view key, const char* value) {
    SetAttribute(key, std::string_view{value});
  }
  void SetAttribute(std::string_view key, const std::string& value) {
    SetAttribute(key, std::string_view{value});
  }
  void SetAttribute(std::string_view key, bool value);
  // Every integer type is stored as int64 (values above INT64_MAX wrap).
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  void SetAttribute(std::string_view key, T value) {
    SetInt(key, static_cast<int64_t>(value));
  }
  template <std::floating_point T>
  void SetAttribute(std::string_view key, T value) {
    SetDouble(key, static_cast<double>(value));
  }
  void SetAttribute(std::string_view key, std::span<const std::string_view> values);
  void SetAttribute(std::string_view key, std::span<const std::string> values);
  void SetAttribute(std::string_view key, const std::vector<bool>& values);
  void SetAttribute(std::string_view key, std::span<const int64_t> values);
  void SetAttribute(std::string_view key, std::span<const double> values);
  // Any AttributeValue (limits applied as above).
  void SetAttributeValue(std::string_view key, const AttributeValue& value);

  // Adds an event; `time_unix_nano` 0 means now. Past the event limit it is dropped and
  // counted; its attributes are capped by the per-event limit.
  void AddEvent(std::string_view name, std::span<const Attribute> attributes = {},
                uint64_t time_unix_nano = 0);
  // Adds a link. A link to an invalid context is kept only if it has attributes or a
  // tracestate.
  void AddLink(const SpanContext& context, std::span<const Attribute> attributes = {});

  // OTel status rules: kUnset is ignored; kOk is final (later calls are ignored); kError
  // keeps `message` (ignored for kOk) and may be overridden by kOk.
  void SetStatus(SpanStatusCode code, std::string_view message = {});
  void UpdateName(std::string_view name);
  // Adds an "exception" event with exception.type, exception.message and
  // exception.stacktrace (empty arguments are left out).
  void RecordException(std::string_view type, std::string_view message,
                       std::string_view stacktrace = {});

  // Ends the span at `end_unix_nano` (0: now; never before the start) and hands it to the
  // processor. Later calls, and every call on a non-recording span, do nothing.
  void End(uint64_t end_unix_nano = 0);

 private:
  friend class Tracer;
  Span(SpanContext context, std::unique_ptr<SpanData> data, const SpanPipeline* pipeline)
      : context_(std::move(context)), data_(std::move(data)), pipeline_(pipeline) {}

  Attribute* AttributeSlot(std::string_view key);
  void SetInt(std::string_view key, int64_t value);
  void SetDouble(std::string_view key, double value);

  SpanContext context_;
  std::unique_ptr<SpanData> data_;  // null when not recording or ended
  const SpanPipeline* pipeline_ = nullptr;
  // Entries in use in data_'s vectors. Entries past these are leftovers of a recycled
  // SpanData, kept for their capacity and trimmed at End.
  uint32_t attributes_used_ = 0;
  uint32_t events_used_ = 0;
  uint32_t links_used_ = 0;
  // Bit KeyBit(k) is set for every key k in use: a clear bit proves a key is new, so most
  // SetAttribute calls skip the duplicate scan.
  uint64_t key_bits_ = 0;
};

}  // namespace tracewire::trace
