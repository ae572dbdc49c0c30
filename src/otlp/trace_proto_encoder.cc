#include "otlp/trace_proto_encoder.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstring>
#include <string_view>
#include <variant>

#include "otlp/internal/proto_wire.h"
#include "otlp/internal/utf8.h"

namespace tracewire::otlp {

namespace {

using internal::MakeTag;
using internal::VarintSize;
using internal::WireType;

// The encoding walks the data twice with the same code: SizePass measures every nested
// message (recording the sizes in pre-order), WritePass then emits bytes with known lengths.

class SizePass {
 public:
  explicit SizePass(std::vector<size_t>& sizes) : sizes_(sizes) { sizes_.clear(); }

  void Varint(uint32_t field, uint64_t v) {
    total_ += VarintSize(MakeTag(field, WireType::kVarint)) + VarintSize(v);
  }
  void Fixed32(uint32_t field, uint32_t) {
    total_ += VarintSize(MakeTag(field, WireType::kFixed32)) + 4;
  }
  void Fixed64(uint32_t field, uint64_t) {
    total_ += VarintSize(MakeTag(field, WireType::kFixed64)) + 8;
  }
  void Bytes(uint32_t field, const uint8_t*, size_t n) { AddLen(field, n); }
  void String(uint32_t field, std::string_view s) { AddLen(field, internal::SanitizedUtf8Size(s)); }
  // `n` bytes of known-valid ASCII written by `fill` (used for trace_state).
  template <typename Fill>
  void Ascii(uint32_t field, size_t n, Fill&&) {
    AddLen(field, n);
  }

  // Returns the slot of this message's size; it holds the start offset until EndMessage.
  size_t BeginMessage(uint32_t) {
    sizes_.push_back(total_);
    return sizes_.size() - 1;
  }
  void EndMessage(uint32_t field, size_t slot) {
    const size_t body = total_ - sizes_[slot];
    sizes_[slot] = body;
    total_ += VarintSize(MakeTag(field, WireType::kLen)) + VarintSize(body);
  }

  size_t total() const { return total_; }

 private:
  void AddLen(uint32_t field, size_t n) {
    total_ += VarintSize(MakeTag(field, WireType::kLen)) + VarintSize(n) + n;
  }

  std::vector<size_t>& sizes_;
  size_t total_ = 0;
};

class WritePass {
 public:
  WritePass(const std::vector<size_t>& sizes, char* out) : sizes_(sizes), p_(out) {}

  void Varint(uint32_t field, uint64_t v) {
    p_ = internal::WriteVarint(p_, MakeTag(field, WireType::kVarint));
    p_ = internal::WriteVarint(p_, v);
  }
  void Fixed32(uint32_t field, uint32_t v) {
    p_ = internal::WriteVarint(p_, MakeTag(field, WireType::kFixed32));
    p_ = internal::WriteFixed32(p_, v);
  }
  void Fixed64(uint32_t field, uint64_t v) {
    p_ = internal::WriteVarint(p_, MakeTag(field, WireType::kFixed64));
    p_ = internal::WriteFixed64(p_, v);
  }
  void Bytes(uint32_t field, const uint8_t* data, size_t n) {
    Len(field, n);
    std::memcpy(p_, data, n);
    p_ += n;
  }
  void String(uint32_t field, std::string_view s) {
    const size_t n = internal::SanitizedUtf8Size(s);
    Len(field, n);
    if (n == s.size()) {  // valid: replacements always grow the text
      if (n != 0) std::memcpy(p_, s.data(), n);
      p_ += n;
    } else {
      p_ = internal::WriteSanitizedUtf8(s, p_);
    }
  }
  template <typename Fill>
  void Ascii(uint32_t field, size_t n, Fill&& fill) {
    Len(field, n);
    p_ = fill(p_);
  }

  size_t BeginMessage(uint32_t field) {
    Len(field, sizes_[next_++]);
    return 0;
  }
  void EndMessage(uint32_t, size_t) {}

  char* position() const { return p_; }

 private:
  void Len(uint32_t field, size_t n) {
    p_ = internal::WriteVarint(p_, MakeTag(field, WireType::kLen));
    p_ = internal::WriteVarint(p_, n);
  }

  const std::vector<size_t>& sizes_;
  size_t next_ = 0;
  char* p_;
};

// --- The OTLP schema, once, for both passes. Field numbers from src/otlp/proto/. ---

template <typename Pass>
void PutAttributes(Pass& pass, uint32_t field, const trace::Attributes& attributes);

template <typename Pass, typename T>
void PutScalarValue(Pass& pass, const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    pass.String(1, v);  // AnyValue.string_value (a oneof member: written even when empty)
  } else if constexpr (std::is_same_v<T, bool>) {
    pass.Varint(2, v ? 1 : 0);  // bool_value
  } else if constexpr (std::is_same_v<T, int64_t>) {
    pass.Varint(3, static_cast<uint64_t>(v));  // int_value (int64: two's complement varint)
  } else {
    static_assert(std::is_same_v<T, double>);
    pass.Fixed64(4, std::bit_cast<uint64_t>(v));  // double_value
  }
}

// AnyValue body (the caller opens the message).
template <typename Pass>
void PutAnyValueBody(Pass& pass, const trace::AttributeValue& value) {
  std::visit(
      [&pass](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<bool>>) {
          const size_t array = pass.BeginMessage(5);  // array_value: ArrayValue
          for (bool b : v) {
            const size_t element = pass.BeginMessage(1);  // ArrayValue.values
            PutScalarValue(pass, b);
            pass.EndMessage(1, element);
          }
          pass.EndMessage(5, array);
        } else if constexpr (requires { typename T::value_type; } &&
                             !std::is_same_v<T, std::string>) {
          const size_t array = pass.BeginMessage(5);
          for (const auto& item : v) {
            const size_t element = pass.BeginMessage(1);
            PutScalarValue(pass, item);
            pass.EndMessage(1, element);
          }
          pass.EndMessage(5, array);
        } else {
          PutScalarValue(pass, v);
        }
      },
      value);
}

template <typename Pass>
void PutAttributes(Pass& pass, uint32_t field, const trace::Attributes& attributes) {
  for (const trace::Attribute& a : attributes) {
    const size_t kv = pass.BeginMessage(field);  // KeyValue
    if (!a.key.empty()) pass.String(1, a.key);
    const size_t any = pass.BeginMessage(2);  // KeyValue.value: AnyValue
    PutAnyValueBody(pass, a.value);
    pass.EndMessage(2, any);
    pass.EndMessage(field, kv);
  }
}

template <typename Pass>
void PutUint32IfSet(Pass& pass, uint32_t field, uint32_t v) {
  if (v != 0) pass.Varint(field, v);
}

// Writes a TraceState as its header value "k1=v1,k2=v2" without building the string.
template <typename Pass>
void PutTraceState(Pass& pass, uint32_t field, const trace::TraceState& state) {
  if (state.empty()) return;
  size_t n = state.size() - 1;  // commas
  for (const auto& [k, v] : state.members()) n += k.size() + 1 + v.size();
  pass.Ascii(field, n, [&state](char* p) {
    bool first = true;
    for (const auto& [k, v] : state.members()) {
      if (!first) *p++ = ',';
      first = false;
      p = std::copy(k.begin(), k.end(), p);
      *p++ = '=';
      p = std::copy(v.begin(), v.end(), p);
    }
    return p;
  });
}

template <typename Pass>
void PutSpan(Pass& pass, const trace::SpanData& s) {
  pass.Bytes(1, s.trace_id.data(), trace::TraceId::kSize);
  pass.Bytes(2, s.span_id.data(), trace::SpanId::kSize);
  PutTraceState(pass, 3, s.trace_state);
  if (s.parent_span_id.IsValid()) pass.Bytes(4, s.parent_span_id.data(), trace::SpanId::kSize);
  if (!s.name.empty()) pass.String(5, s.name);
  if (s.kind != trace::SpanKind::kUnspecified) pass.Varint(6, static_cast<uint64_t>(s.kind));
  if (s.start_unix_nano != 0) pass.Fixed64(7, s.start_unix_nano);
  if (s.end_unix_nano != 0) pass.Fixed64(8, s.end_unix_nano);
  PutAttributes(pass, 9, s.attributes);
  PutUint32IfSet(pass, 10, s.dropped_attributes_count);
  for (const trace::SpanEvent& e : s.events) {
    const size_t event = pass.BeginMessage(11);  // Span.Event
    if (e.time_unix_nano != 0) pass.Fixed64(1, e.time_unix_nano);
    if (!e.name.empty()) pass.String(2, e.name);
    PutAttributes(pass, 3, e.attributes);
    PutUint32IfSet(pass, 4, e.dropped_attributes_count);
    pass.EndMessage(11, event);
  }
  PutUint32IfSet(pass, 12, s.dropped_events_count);
  for (const trace::SpanLink& l : s.links) {
    const size_t link = pass.BeginMessage(13);  // Span.Link
    pass.Bytes(1, l.context.trace_id().data(), trace::TraceId::kSize);
    pass.Bytes(2, l.context.span_id().data(), trace::SpanId::kSize);
    PutTraceState(pass, 3, l.context.trace_state());
    PutAttributes(pass, 4, l.attributes);
    PutUint32IfSet(pass, 5, l.dropped_attributes_count);
    pass.Fixed32(6, l.context.trace_flags().bits() | kSpanFlagsHasIsRemote |
                        (l.context.IsRemote() ? kSpanFlagsIsRemote : 0));
    pass.EndMessage(13, link);
  }
  PutUint32IfSet(pass, 14, s.dropped_links_count);
  if (s.status.code != trace::SpanStatusCode::kUnset || !s.status.message.empty()) {
    const size_t status = pass.BeginMessage(15);  // Status
    if (!s.status.message.empty()) pass.String(2, s.status.message);
    if (s.status.code != trace::SpanStatusCode::kUnset) {
      pass.Varint(3, static_cast<uint64_t>(s.status.code));
    }
    pass.EndMessage(15, status);
  }
  pass.Fixed32(
      16, s.flags.bits() | kSpanFlagsHasIsRemote | (s.parent_is_remote ? kSpanFlagsIsRemote : 0));
}

template <typename Pass>
void PutRequest(Pass& pass, const internal::SpanGrouping& g) {
  for (const auto& rg : g.resources()) {
    const size_t resource_spans = pass.BeginMessage(1);  // ExportTraceServiceRequest.resource_spans
    if (rg.resource != nullptr) {
      const size_t resource = pass.BeginMessage(1);  // ResourceSpans.resource
      PutAttributes(pass, 1, rg.resource->attributes);
      pass.EndMessage(1, resource);
    }
    for (uint32_t si = rg.first_scope; si < rg.first_scope + rg.scope_count; ++si) {
      const auto& sg = g.scopes()[si];
      const size_t scope_spans = pass.BeginMessage(2);  // ResourceSpans.scope_spans
      if (sg.scope != nullptr) {
        const size_t scope = pass.BeginMessage(1);  // ScopeSpans.scope
        if (!sg.scope->name.empty()) pass.String(1, sg.scope->name);
        if (!sg.scope->version.empty()) pass.String(2, sg.scope->version);
        PutAttributes(pass, 3, sg.scope->attributes);
        pass.EndMessage(1, scope);
      }
      for (uint32_t i = sg.first_span; i < sg.first_span + sg.span_count; ++i) {
        const size_t span = pass.BeginMessage(2);  // ScopeSpans.spans
        PutSpan(pass, *g.spans()[i]);
        pass.EndMessage(2, span);
      }
      if (sg.scope != nullptr && !sg.scope->schema_url.empty()) {
        pass.String(3, sg.scope->schema_url);
      }
      pass.EndMessage(2, scope_spans);
    }
    if (rg.resource != nullptr && !rg.resource->schema_url.empty()) {
      pass.String(3, rg.resource->schema_url);
    }
    pass.EndMessage(1, resource_spans);
  }
}

}  // namespace

Status TraceProtoEncoder::Encode(std::span<const trace::SpanData* const> batch, std::string& out) {
  grouping_.Group(batch);
  SizePass sizer(sizes_);
  PutRequest(sizer, grouping_);
  const size_t total = sizer.total();
  if (total > kMaxRequestBytes) {
    out.clear();
    return ResourceExhaustedError("OTLP request of " + std::to_string(total) +
                                  " bytes exceeds the 2 GiB protobuf limit");
  }
  out.resize(total);
  WritePass writer(sizes_, out.data());
  PutRequest(writer, grouping_);
  assert(writer.position() == out.data() + total);
  return OkStatus();
}

}  // namespace tracewire::otlp
