#include "trace/sdk/span.h"

#include <algorithm>
#include <utility>

#include "trace/sdk/span_pipeline.h"

namespace tracewire::trace {
namespace {

// Cuts `s` to at most `limit` bytes without splitting a UTF-8 sequence.
void TruncateUtf8(std::string& s, uint32_t limit) {
  if (s.size() <= limit) return;
  size_t n = limit;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
}

void ApplyLengthLimit(AttributeValue& v, uint32_t limit) {
  if (limit == SpanLimits::kUnlimited) return;
  if (auto* s = std::get_if<std::string>(&v)) {
    TruncateUtf8(*s, limit);
  } else if (auto* a = std::get_if<std::vector<std::string>>(&v)) {
    for (std::string& e : *a) TruncateUtf8(e, limit);
  }
}

template <typename T, typename Src>
void AssignVector(AttributeValue& v, const Src& src) {
  if (auto* dst = std::get_if<std::vector<T>>(&v)) {
    dst->assign(src.begin(), src.end());
  } else {
    v.emplace<std::vector<T>>(src.begin(), src.end());
  }
}

// Copies at most `limit` attributes of `src` into `dst` (reusing its elements' capacity),
// truncating values; returns how many were dropped.
uint32_t CopyAttributes(Attributes& dst, std::span<const Attribute> src, uint32_t limit,
                        uint32_t length_limit) {
  const size_t n = std::min<size_t>(src.size(), limit);
  dst.assign(src.begin(), src.begin() + static_cast<ptrdiff_t>(n));
  for (Attribute& a : dst) ApplyLengthLimit(a.value, length_limit);
  return static_cast<uint32_t>(src.size() - n);
}

}  // namespace

Span::Span(Span&& other) noexcept
    : context_(std::move(other.context_)),
      data_(std::move(other.data_)),
      pipeline_(other.pipeline_),
      attributes_used_(other.attributes_used_),
      events_used_(other.events_used_),
      links_used_(other.links_used_) {}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    End();
    context_ = std::move(other.context_);
    data_ = std::move(other.data_);
    pipeline_ = other.pipeline_;
    attributes_used_ = other.attributes_used_;
    events_used_ = other.events_used_;
    links_used_ = other.links_used_;
  }
  return *this;
}

Attribute* Span::AttributeSlot(std::string_view key) {
  if (!data_) return nullptr;
  Attributes& attrs = data_->attributes;
  for (uint32_t i = 0; i < attributes_used_; ++i) {
    if (attrs[i].key == key) return &attrs[i];
  }
  if (attributes_used_ >= pipeline_->limits.attribute_count) {
    ++data_->dropped_attributes_count;
    return nullptr;
  }
  if (attributes_used_ == attrs.size()) attrs.emplace_back();
  Attribute& slot = attrs[attributes_used_++];
  slot.key.assign(key);
  return &slot;
}

void Span::SetAttribute(std::string_view key, std::string_view value) {
  Attribute* a = AttributeSlot(key);
  if (a == nullptr) return;
  if (auto* s = std::get_if<std::string>(&a->value)) {
    s->assign(value);
  } else {
    a->value.emplace<std::string>(value);
  }
  ApplyLengthLimit(a->value, pipeline_->limits.attribute_value_length);
}

void Span::SetAttribute(std::string_view key, bool value) {
  if (Attribute* a = AttributeSlot(key)) a->value = value;
}

void Span::SetInt(std::string_view key, int64_t value) {
  if (Attribute* a = AttributeSlot(key)) a->value = value;
}

void Span::SetDouble(std::string_view key, double value) {
  if (Attribute* a = AttributeSlot(key)) a->value = value;
}

void Span::SetAttribute(std::string_view key, std::span<const std::string_view> values) {
  Attribute* a = AttributeSlot(key);
  if (a == nullptr) return;
  AssignVector<std::string>(a->value, values);
  ApplyLengthLimit(a->value, pipeline_->limits.attribute_value_length);
}

void Span::SetAttribute(std::string_view key, std::span<const std::string> values) {
  Attribute* a = AttributeSlot(key);
  if (a == nullptr) return;
  AssignVector<std::string>(a->value, values);
  ApplyLengthLimit(a->value, pipeline_->limits.attribute_value_length);
}

void Span::SetAttribute(std::string_view key, const std::vector<bool>& values) {
  if (Attribute* a = AttributeSlot(key)) AssignVector<bool>(a->value, values);
}

void Span::SetAttribute(std::string_view key, std::span<const int64_t> values) {
  if (Attribute* a = AttributeSlot(key)) AssignVector<int64_t>(a->value, values);
}

void Span::SetAttribute(std::string_view key, std::span<const double> values) {
  if (Attribute* a = AttributeSlot(key)) AssignVector<double>(a->value, values);
}

void Span::SetAttributeValue(std::string_view key, const AttributeValue& value) {
  Attribute* a = AttributeSlot(key);
  if (a == nullptr) return;
  a->value = value;
  ApplyLengthLimit(a->value, pipeline_->limits.attribute_value_length);
}

void Span::AddEvent(std::string_view name, std::span<const Attribute> attributes,
                    uint64_t time_unix_nano) {
  if (!data_) return;
  if (events_used_ >= pipeline_->limits.event_count) {
    ++data_->dropped_events_count;
    return;
  }
  std::vector<SpanEvent>& events = data_->events;
  if (events_used_ == events.size()) events.emplace_back();
  SpanEvent& e = events[events_used_++];
  e.name.assign(name);
  e.time_unix_nano = time_unix_nano != 0 ? time_unix_nano : pipeline_->clock();
  e.dropped_attributes_count =
      CopyAttributes(e.attributes, attributes, pipeline_->limits.attributes_per_event,
                     pipeline_->limits.attribute_value_length);
}

void Span::AddLink(const SpanContext& context, std::span<const Attribute> attributes) {
  if (!data_) return;
  if (!context.IsValid() && attributes.empty() && context.trace_state().empty()) return;
  if (links_used_ >= pipeline_->limits.link_count) {
    ++data_->dropped_links_count;
    return;
  }
  std::vector<SpanLink>& links = data_->links;
  if (links_used_ == links.size()) links.emplace_back();
  SpanLink& l = links[links_used_++];
  l.context = context;
  l.dropped_attributes_count =
      CopyAttributes(l.attributes, attributes, pipeline_->limits.attributes_per_link,
                     pipeline_->limits.attribute_value_length);
}

void Span::SetStatus(SpanStatusCode code, std::string_view message) {
  if (!data_ || code == SpanStatusCode::kUnset) return;
  SpanStatus& s = data_->status;
  if (s.code == SpanStatusCode::kOk) return;  // final
  s.code = code;
  if (code == SpanStatusCode::kError) {
    s.message.assign(message);
  } else {
    s.message.clear();
  }
}

void Span::UpdateName(std::string_view name) {
  if (data_) data_->name.assign(name);
}

void Span::RecordException(std::string_view type, std::string_view message,
                           std::string_view stacktrace) {
  if (!data_) return;
  Attribute attrs[3];
  size_t n = 0;
  if (!type.empty()) attrs[n++] = {"exception.type", std::string(type)};
  if (!message.empty()) attrs[n++] = {"exception.message", std::string(message)};
  if (!stacktrace.empty()) attrs[n++] = {"exception.stacktrace", std::string(stacktrace)};
  AddEvent("exception", std::span<const Attribute>(attrs, n));
}

void Span::End(uint64_t end_unix_nano) {
  if (!data_) return;
  SpanData& d = *data_;
  uint64_t end = end_unix_nano != 0 ? end_unix_nano : pipeline_->clock();
  d.end_unix_nano = std::max(end, d.start_unix_nano);
  // Trim leftovers of a recycled SpanData (no-op in a steady workload).
  if (d.attributes.size() > attributes_used_) d.attributes.resize(attributes_used_);
  if (d.events.size() > events_used_) d.events.resize(events_used_);
  if (d.links.size() > links_used_) d.links.resize(links_used_);
  pipeline_->processor->OnEnd(std::move(data_));
}

}  // namespace tracewire::trace
