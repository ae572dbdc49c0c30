#include "otlp/trace_proto_encoder.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "otlp/internal/proto_wire.h"
#include "otlp/internal/trace_proto_size.h"
#include "otlp/internal/utf8.h"

namespace tracewire::otlp {

namespace {

using internal::AnyValueSize;
using internal::ArraySize;
using internal::EventSize;
using internal::HasStatus;
using internal::KeyValueSize;
using internal::kMaxShortKeyValue;
using internal::LinkSize;
using internal::Sanitizing;
using internal::ScalarSize;
using internal::ScopeSize;
using internal::StatusSize;
using internal::VarintSize;
using internal::WireType;

// Writing policy for spans whose text is ASCII, or assumed to be: sizes are byte lengths, text
// is copied as is, and its bytes are ORed into `bits` so the assumption can be checked after.
struct AsciiWriter {
  static constexpr bool kPlain = true;
  uint64_t bits = 0;
  size_t operator()(std::string_view s) const { return s.size(); }
  char* Copy(char* p, std::string_view s, size_t) { return internal::CopyAndOrBytes(p, s, bits); }
};

// Writing policy for other spans: invalid UTF-8 bytes become U+FFFD. `n` is the sanitized size.
struct SanitizingWriter : Sanitizing {
  char* Copy(char* p, std::string_view s, size_t n) const {
    if (n == s.size()) return internal::WriteBytes(p, s.data(), n);  // replacements grow text
    return internal::WriteSanitizedUtf8(s, p);
  }
};

// One-byte tags: every field we write below number 16 (Span.flags is the one exception).
constexpr char Tag(uint32_t field, WireType type) {
  return static_cast<char>(internal::MakeTag(field, type));
}
constexpr char kLen1 = Tag(1, WireType::kLen);
constexpr char kLen2 = Tag(2, WireType::kLen);
constexpr char kLen3 = Tag(3, WireType::kLen);

// --- Writers: each returns the position after what it wrote. The caller has made room. ---

char* PutLen(char* p, char tag, size_t n) {
  *p++ = tag;
  return internal::WriteVarint(p, n);
}

template <typename Text>
char* PutString(char* p, Text& text, char tag, std::string_view s) {
  const size_t n = text(s);
  return text.Copy(PutLen(p, tag, n), s, n);
}

char* PutFixed64(char* p, char tag, uint64_t v) {
  *p++ = tag;
  return internal::WriteFixed64(p, v);
}

char* PutUint32IfSet(char* p, char tag, uint32_t v) {
  if (v == 0) return p;
  *p++ = tag;
  return internal::WriteVarint(p, v);
}

template <typename Text, typename T>
char* PutScalar(char* p, Text& text, const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    return PutString(p, text, kLen1, v);
  } else if constexpr (std::is_same_v<T, bool>) {
    p[0] = Tag(2, WireType::kVarint);
    p[1] = v ? 1 : 0;
    return p + 2;
  } else if constexpr (std::is_same_v<T, int64_t>) {
    *p++ = Tag(3, WireType::kVarint);
    return internal::WriteVarint(p, static_cast<uint64_t>(v));
  } else {
    return PutFixed64(p, Tag(4, WireType::kFixed64), std::bit_cast<uint64_t>(v));
  }
}

template <typename Text, typename T>
char* PutArray(char* p, Text& text, const std::vector<T>& array) {
  p = PutLen(p, Tag(5, WireType::kLen), ArraySize(text, array));
  for (const T& e : array) {
    p = PutLen(p, kLen1, ScalarSize(text, e));
    p = PutScalar(p, text, e);
  }
  return p;
}

template <typename Text>
[[gnu::noinline]] char* PutArrayValue(char* p, Text& text, const trace::AttributeValue& v) {
  switch (v.index()) {
    case 4: return PutArray(p, text, *std::get_if<4>(&v));
    case 5: return PutArray(p, text, *std::get_if<5>(&v));
    case 6: return PutArray(p, text, *std::get_if<6>(&v));
    default: return PutArray(p, text, *std::get_if<7>(&v));
  }
}

// AnyValue body.
template <typename Text>
[[gnu::always_inline]] inline char* PutAnyValue(char* p, Text& text,
                                                const trace::AttributeValue& v) {
  switch (v.index()) {
    case 0: return PutScalar(p, text, *std::get_if<0>(&v));
    case 1: return PutScalar(p, text, *std::get_if<1>(&v));
    case 2: return PutScalar(p, text, *std::get_if<2>(&v));
    case 3: return PutScalar(p, text, *std::get_if<3>(&v));
    default: return PutArrayValue(p, text, v);
  }
}

// Fast path for the common attribute: a non-empty ASCII key with a short ASCII string or an
// int64 value, so that every length prefix is one byte. Returns the position after the
// KeyValue field, or null (nothing written) when the attribute is not of that shape.
char* PutShortAttribute(char* p, AsciiWriter& writer, char tag, const trace::Attribute& a) {
  const size_t k = a.key.size();
  if (const auto* value = std::get_if<std::string>(&a.value)) {
    const size_t n = value->size();
    if (k == 0 || k + n > kMaxShortKeyValue) return nullptr;
    p[0] = tag;                           // KeyValue field
    p[1] = static_cast<char>(k + n + 6);  // KeyValue body: key field + value field
    p[2] = kLen1;                         // KeyValue.key
    p[3] = static_cast<char>(k);
    p = writer.Copy(p + 4, a.key, k);
    p[0] = kLen2;                     // KeyValue.value
    p[1] = static_cast<char>(n + 2);  // AnyValue body
    p[2] = kLen1;                     // AnyValue.string_value
    p[3] = static_cast<char>(n);
    return writer.Copy(p + 4, *value, n);
  }
  if (const auto* number = std::get_if<int64_t>(&a.value)) {
    if (k == 0 || k > kMaxShortKeyValue - 11) return nullptr;
    const auto v = static_cast<uint64_t>(*number);
    const size_t any = 1 + VarintSize(v);
    p[0] = tag;
    p[1] = static_cast<char>(k + 4 + any);
    p[2] = kLen1;
    p[3] = static_cast<char>(k);
    p = writer.Copy(p + 4, a.key, k);
    p[0] = kLen2;
    p[1] = static_cast<char>(any);
    p[2] = Tag(3, WireType::kVarint);  // AnyValue.int_value
    return internal::WriteVarint(p + 3, v);
  }
  return nullptr;
}

template <typename Text>
char* PutAttributes(char* p, Text& text, char tag, const trace::Attributes& attributes) {
  Text local = text;  // may live in registers: stores through `p` could alias `text`
  for (const trace::Attribute& a : attributes) {
    if constexpr (std::is_same_v<Text, AsciiWriter>) {
      if (char* end = PutShortAttribute(p, local, tag, a)) {
        p = end;
        continue;
      }
    }
    const size_t any = AnyValueSize(local, a.value);
    p = PutLen(p, tag, KeyValueSize(local, a, any));
    if (!a.key.empty()) p = PutString(p, local, kLen1, a.key);
    p = PutLen(p, kLen2, any);
    p = PutAnyValue(p, local, a.value);
  }
  text = local;
  return p;
}

char* PutNonEmptyTraceState(char* p, char tag, const trace::TraceState& state) {
  p = PutLen(p, tag, internal::NonEmptyTraceStateSize(state));
  bool first = true;
  for (const auto& [k, v] : state.members()) {
    if (!first) *p++ = ',';
    first = false;
    p = internal::WriteBytes(p, k.data(), k.size());
    *p++ = '=';
    p = internal::WriteBytes(p, v.data(), v.size());
  }
  return p;
}

char* PutFlags(char* p, uint32_t flags) {
  constexpr uint32_t kTag = internal::MakeTag(16, WireType::kFixed32);  // two varint bytes
  p = internal::WriteVarint(p, kTag);
  return internal::WriteFixed32(p, flags);
}

uint32_t FlagsWithRemote(trace::TraceFlags flags, bool remote) {
  return flags.bits() | kSpanFlagsHasIsRemote | (remote ? kSpanFlagsIsRemote : 0);
}

template <typename Text>
char* PutSpan(char* p, Text& text, const trace::SpanData& s) {
  p = PutLen(p, kLen1, trace::TraceId::kSize);
  p = internal::WriteBytes(p, s.trace_id.data(), trace::TraceId::kSize);
  p = PutLen(p, kLen2, trace::SpanId::kSize);
  p = internal::WriteBytes(p, s.span_id.data(), trace::SpanId::kSize);
  if (!s.trace_state.empty()) p = PutNonEmptyTraceState(p, kLen3, s.trace_state);
  if (s.parent_span_id.IsValid()) {
    p = PutLen(p, Tag(4, WireType::kLen), trace::SpanId::kSize);
    p = internal::WriteBytes(p, s.parent_span_id.data(), trace::SpanId::kSize);
  }
  if (!s.name.empty()) p = PutString(p, text, Tag(5, WireType::kLen), s.name);
  if (s.kind != trace::SpanKind::kUnspecified) {
    *p++ = Tag(6, WireType::kVarint);
    p = internal::WriteVarint(p, static_cast<uint64_t>(s.kind));
  }
  if (s.start_unix_nano != 0) p = PutFixed64(p, Tag(7, WireType::kFixed64), s.start_unix_nano);
  if (s.end_unix_nano != 0) p = PutFixed64(p, Tag(8, WireType::kFixed64), s.end_unix_nano);
  p = PutAttributes(p, text, Tag(9, WireType::kLen), s.attributes);
  p = PutUint32IfSet(p, Tag(10, WireType::kVarint), s.dropped_attributes_count);
  for (const trace::SpanEvent& e : s.events) {  // Span.Event
    p = PutLen(p, Tag(11, WireType::kLen), EventSize(text, e));
    if (e.time_unix_nano != 0) p = PutFixed64(p, Tag(1, WireType::kFixed64), e.time_unix_nano);
    if (!e.name.empty()) p = PutString(p, text, kLen2, e.name);
    p = PutAttributes(p, text, kLen3, e.attributes);
    p = PutUint32IfSet(p, Tag(4, WireType::kVarint), e.dropped_attributes_count);
  }
  p = PutUint32IfSet(p, Tag(12, WireType::kVarint), s.dropped_events_count);
  for (const trace::SpanLink& l : s.links) {  // Span.Link
    p = PutLen(p, Tag(13, WireType::kLen), LinkSize(text, l));
    p = PutLen(p, kLen1, trace::TraceId::kSize);
    p = internal::WriteBytes(p, l.context.trace_id().data(), trace::TraceId::kSize);
    p = PutLen(p, kLen2, trace::SpanId::kSize);
    p = internal::WriteBytes(p, l.context.span_id().data(), trace::SpanId::kSize);
    const trace::TraceState& state = l.context.trace_state();
    if (!state.empty()) p = PutNonEmptyTraceState(p, kLen3, state);
    p = PutAttributes(p, text, Tag(4, WireType::kLen), l.attributes);
    p = PutUint32IfSet(p, Tag(5, WireType::kVarint), l.dropped_attributes_count);
    *p++ = Tag(6, WireType::kFixed32);
    p = internal::WriteFixed32(p, FlagsWithRemote(l.context.trace_flags(), l.context.IsRemote()));
  }
  p = PutUint32IfSet(p, Tag(14, WireType::kVarint), s.dropped_links_count);
  if (HasStatus(s.status)) {
    p = PutLen(p, Tag(15, WireType::kLen), StatusSize(text, s.status));
    if (!s.status.message.empty()) p = PutString(p, text, kLen2, s.status.message);
    if (s.status.code != trace::SpanStatusCode::kUnset) {
      *p++ = Tag(3, WireType::kVarint);
      p = internal::WriteVarint(p, static_cast<uint64_t>(s.status.code));
    }
  }
  return PutFlags(p, FlagsWithRemote(s.flags, s.parent_is_remote));
}

// The output string used as a growable buffer: bytes [0, used) are written, the rest is room.
// Growing (rare once the string has reached the batch size) keeps what was written.
class OutBuffer {
 public:
  explicit OutBuffer(std::string& out) : out_(out) {}

  size_t used() const { return used_; }
  char* data() { return out_.data(); }
  // Returns the write position, with room for at least n bytes after it.
  char* Room(size_t n) {
    if (n > out_.size() - used_) Grow(used_ + n);
    return out_.data() + used_;
  }
  void Advance(char* end) { used_ = static_cast<size_t>(end - out_.data()); }
  void Truncate(size_t used) { used_ = used; }
  void Finish() { out_.resize(used_); }

 private:
  // resize() zero-fills the added bytes: within the capacity only the few needed are added;
  // past it the capacity doubles, so growth stays amortized.
  void Grow(size_t need) {
    out_.resize(need <= out_.capacity() ? need : std::max(need, 2 * out_.capacity()));
  }

  std::string& out_;
  size_t used_ = 0;
};

// A length-delimited field whose body is written before its size is known: Open() reserves the
// tag and a guessed number of length bytes, Close() writes the length and, when the guess was
// wrong, moves the body to close the gap (so the output stays canonical: minimal varints).
class PendingLen {
 public:
  PendingLen(OutBuffer& buf, char tag, size_t expected_body)
      : tag_(tag), start_(buf.used()), reserved_(1 + VarintSize(expected_body)) {
    buf.Advance(buf.Room(reserved_) + reserved_);
  }
  void Close(OutBuffer& buf) const {
    const size_t body_start = start_ + reserved_;
    const size_t body = buf.used() - body_start;
    const size_t need = 1 + VarintSize(body);
    if (need != reserved_) {
      if (need > reserved_) buf.Room(need - reserved_);
      std::memmove(buf.data() + start_ + need, buf.data() + body_start, body);
      buf.Truncate(start_ + need + body);
    }
    char* p = buf.data() + start_;
    *p++ = tag_;
    internal::WriteVarint(p, body);
  }

 private:
  char tag_;
  size_t start_;
  size_t reserved_;
};

// Writes one ScopeSpans.spans field. Each span is sized, then written while its data is still
// in cache. Its text is first taken to be ASCII (sizes are lengths) and checked while copied;
// when it was not, the span is sized again and rewritten in place with U+FFFD replacements.
// Returns false, writing nothing, when the request would exceed `limit` bytes.
bool WriteSpan(OutBuffer& buf, const trace::SpanData& span, size_t limit) {
  internal::AssumeAscii assume;
  size_t size = SpanSize(assume, span);  // a lower bound: sanitizing only grows text
  if (buf.used() > limit || internal::LenFieldSize(size) > limit - buf.used()) return false;
  char* p = buf.Room(internal::LenFieldSize(size));
  AsciiWriter ascii;
  char* end = PutSpan(PutLen(p, kLen2, size), ascii, span);
  if ((ascii.bits & internal::kNonAsciiBits) != 0) {
    SanitizingWriter sanitizing;
    size = SpanSize(sanitizing, span);
    p = buf.Room(internal::LenFieldSize(size));
    end = PutSpan(PutLen(p, kLen2, size), sanitizing, span);
  }
  assert(end == p + internal::LenFieldSize(size));
  buf.Advance(end);
  return true;
}

// Output reserved before encoding at most (past it the buffer grows as needed).
constexpr size_t kMaxUpFrontBytes = size_t{64} << 20;

// Most bytes the two open prefixes (ResourceSpans, ScopeSpans) can hold beyond what they need:
// each reserves at most 11 bytes (tag + 10-byte varint) and needs at least 2.
constexpr size_t kMaxPrefixSlack = 18;

Status TooLarge(std::string& out, size_t bytes) {
  out.clear();
  return ResourceExhaustedError("OTLP request of at least " + std::to_string(bytes) +
                                " bytes exceeds the 2 GiB protobuf limit");
}

}  // namespace

Status TraceProtoEncoder::Encode(std::span<const trace::SpanData* const> batch, std::string& out) {
  grouping_.Group(batch);
  const auto& spans = grouping_.spans();
  const auto& scopes = grouping_.scopes();
  SanitizingWriter sanitizing;  // resources and scopes: once per group, always exact
  OutBuffer buf(out);
  buf.Room(std::min(spans.size() * span_bytes_estimate_ + 1024, kMaxUpFrontBytes));
  for (const auto& rg : grouping_.resources()) {
    size_t expected = 0;  // ResourceSpans body, estimated to guess its length prefix
    for (uint32_t si = rg.first_scope; si < rg.first_scope + rg.scope_count; ++si) {
      expected += scopes[si].span_count * span_bytes_estimate_;
    }
    const PendingLen resource_spans(buf, kLen1, expected);  // request.resource_spans
    if (rg.resource != nullptr) {
      const trace::Attributes& attributes = rg.resource->attributes;
      const size_t size = AttributesSize(sanitizing, attributes);
      char* p = PutLen(buf.Room(internal::LenFieldSize(size)), kLen1, size);  // .resource
      buf.Advance(PutAttributes(p, sanitizing, kLen1, attributes));
    }
    for (uint32_t si = rg.first_scope; si < rg.first_scope + rg.scope_count; ++si) {
      const auto& sg = scopes[si];
      const PendingLen scope_spans(buf, kLen2, sg.span_count * span_bytes_estimate_);
      if (sg.scope != nullptr) {
        const trace::InstrumentationScope& scope = *sg.scope;
        const size_t size = ScopeSize(sanitizing, scope);
        char* p = PutLen(buf.Room(internal::LenFieldSize(size)), kLen1, size);  // .scope
        if (!scope.name.empty()) p = PutString(p, sanitizing, kLen1, scope.name);
        if (!scope.version.empty()) p = PutString(p, sanitizing, kLen2, scope.version);
        buf.Advance(PutAttributes(p, sanitizing, kLen3, scope.attributes));
      }
      for (uint32_t i = sg.first_span; i < sg.first_span + sg.span_count; ++i) {
        if (!WriteSpan(buf, *spans[i], kMaxRequestBytes + kMaxPrefixSlack)) {
          return TooLarge(out, kMaxRequestBytes + 1);
        }
      }
      if (sg.scope != nullptr && !sg.scope->schema_url.empty()) {
        const std::string_view url = sg.scope->schema_url;
        buf.Advance(PutString(buf.Room(url.size() * 3 + 11), sanitizing, kLen3, url));
      }
      scope_spans.Close(buf);
    }
    if (rg.resource != nullptr && !rg.resource->schema_url.empty()) {
      const std::string_view url = rg.resource->schema_url;
      buf.Advance(PutString(buf.Room(url.size() * 3 + 11), sanitizing, kLen3, url));
    }
    resource_spans.Close(buf);
  }
  if (!spans.empty()) span_bytes_estimate_ = buf.used() / spans.size() + 1;
  if (buf.used() > kMaxRequestBytes) return TooLarge(out, buf.used());
  buf.Finish();
  return OkStatus();
}

}  // namespace tracewire::otlp
