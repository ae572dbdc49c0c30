#include "trace/sdk/span.h"

#include <algorithm>
#include <cstring>
#include <string>
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

// True when a[0..n) == b[0..n). Inline for the short keys and values typical of spans.
[[gnu::always_inline]] inline bool BytesEqual(const char* a, const char* b, size_t n) {
  if (n >= 8 && n <= 16) {
    uint64_t a0, a1, b0, b1;
    std::memcpy(&a0, a, 8);
    std::memcpy(&b0, b, 8);
    std::memcpy(&a1, a + n - 8, 8);
    std::memcpy(&b1, b + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1)) == 0;
  }
  if (n > 16 && n <= 32) {
    uint64_t a0, a1, a2, a3, b0, b1, b2, b3;
    std::memcpy(&a0, a, 8);
    std::memcpy(&b0, b, 8);
    std::memcpy(&a1, a + 8, 8);
    std::memcpy(&b1, b + 8, 8);
    std::memcpy(&a2, a + n - 16, 8);
    std::memcpy(&b2, b + n - 16, 8);
    std::memcpy(&a3, a + n - 8, 8);
    std::memcpy(&b3, b + n - 8, 8);
    return ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2) | (a3 ^ b3)) == 0;
  }
  if (n < 8) {
    for (size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  return std::memcmp(a, b, n) == 0;
}

// Assigns only when the contents differ: a recycled SpanData usually already holds the same
// name, keys and values, and comparing is cheaper than copying.
[[gnu::always_inline]] inline void AssignIfDifferent(std::string& s, std::string_view v) {
  if (s.size() == v.size() && BytesEqual(s.data(), v.data(), v.size())) return;
  s.assign(v);
}

// Attribute slots reserved at the first SetAttribute on a fresh SpanData.
constexpr uint32_t kInitialAttributeCapacity = 8;

inline uint64_t KeyBit(std::string_view key) {
  const size_t h = key.size() * 7 + static_cast<unsigned char>(key.empty() ? 0 : key.back());
  return uint64_t{1} << (h & 63);
}

void ApplyLengthLimitSlow(AttributeValue& v, uint32_t limit);

inline void ApplyLengthLimit(AttributeValue& v, uint32_t limit) {
  if (limit != SpanLimits::kUnlimited) [[unlikely]] {
    ApplyLengthLimitSlow(v, limit);
  }
}

void ApplyLengthLimitSlow(AttributeValue& v, uint32_t limit) {
  if (auto* s = std::get_if<std::string>(&v)) {
    TruncateUtf8(*s, limit);
  } else if (auto* a = std::get_if<std::vector<std::string>>(&v)) {
    for (std::string& e : *a) TruncateUtf8(e, limit);
  }
}

template <typename T>
inline void AssignScalar(AttributeValue& v, T value) {
  if (auto* p = std::get_if<T>(&v)) {
    *p = value;
  } else {
    v.emplace<T>(value);
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
      links_used_(other.links_used_),
      key_bits_(other.key_bits_) {}

Span& Span::operator=(Span&& other) noexcept {
  if (this != &other) {
    End();
    context_ = std::move(other.context_);
    data_ = std::move(other.data_);
    pipeline_ = other.pipeline_;
    attributes_used_ = other.attributes_used_;
    events_used_ = other.events_used_;
    links_used_ = other.links_used_;
    key_bits_ = other.key_bits_;
  }
  return *this;
}

[[gnu::always_inline]] inline Attribute* Span::AttributeSlot(std::string_view key) {
  if (!data_) return nullptr;
  Attributes& attrs = data_->attributes;
  const uint64_t bit = KeyBit(key);
  if ((key_bits_ & bit) != 0) {
    for (uint32_t i = 0; i < attributes_used_; ++i) {
      const std::string& k = attrs[i].key;
      if (k.size() == key.size() && BytesEqual(k.data(), key.data(), key.size())) {
        return &attrs[i];
      }
    }
  }
  if (attributes_used_ >= pipeline_->limits.attribute_count) {
    ++data_->dropped_attributes_count;
    return nullptr;
  }
  if (attributes_used_ == attrs.size()) {
    // A fresh SpanData: size the vector once instead of growing it 1, 2, 4, 8.
    if (attrs.capacity() == 0) {
      attrs.reserve(
          std::min<uint32_t>(kInitialAttributeCapacity, pipeline_->limits.attribute_count));
    }
    attrs.emplace_back();
  }
  Attribute& slot = attrs[attributes_used_++];
  AssignIfDifferent(slot.key, key);
  key_bits_ |= bit;
  return &slot;
}

void Span::SetAttribute(std::string_view key, std::string_view value) {
  Attribute* a = AttributeSlot(key);
  if (a == nullptr) return;
  if (auto* s = std::get_if<std::string>(&a->value)) {
    AssignIfDifferent(*s, value);
  } else {
    a->value.emplace<std::string>(value);
  }
  ApplyLengthLimit(a->value, pipeline_->limits.attribute_value_length);
}

void Span::SetAttribute(std::string_view key, bool value) {
  if (Attribute* a = AttributeSlot(key)) AssignScalar<bool>(a->value, value);
}

void Span::SetInt(std::string_view key, int64_t value) {
  if (Attribute* a = AttributeSlot(key)) AssignScalar<int64_t>(a->value, value);
}

void Span::SetDouble(std::string_view key, double value) {
  if (Attribute* a = AttributeSlot(key)) AssignScalar<double>(a->value, value);
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
  if (data_) AssignIfDifferent(data_->name, name);
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
