#include "trace/propagation/b3.h"

namespace tracewire::trace::propagation {
namespace {

// 16 or 32 lower-case hex digits; a 64-bit id fills the low 8 bytes.
bool ParseB3TraceId(std::string_view hex, TraceId* out) {
  *out = TraceId();
  if (hex.size() == 32) return DecodeHexTo(hex, out->mutable_data(), 16);
  if (hex.size() == 16) return DecodeHexTo(hex, out->mutable_data() + 8, 8);
  return false;
}

bool ParseB3SpanId(std::string_view hex, SpanId* out) {
  return DecodeHexTo(hex, out->mutable_data(), SpanId::kSize);
}

bool ParseSamplingState(std::string_view s, B3Sampling* out) {
  if (s == "1") {
    *out = B3Sampling::kAccept;
  } else if (s == "0") {
    *out = B3Sampling::kDeny;
  } else if (s == "d") {
    *out = B3Sampling::kDebug;
  } else {
    return false;
  }
  return true;
}

Status CheckIds(const B3Context& b3) {
  if (!b3.trace_id.IsValid()) return InvalidArgumentError("b3: trace id is all zeros");
  if (!b3.span_id.IsValid()) return InvalidArgumentError("b3: span id is all zeros");
  return OkStatus();
}

}  // namespace

StatusOr<B3Context> ParseB3Single(std::string_view value) {
  B3Context b3;
  if (value.size() == 1) {
    if (!ParseSamplingState(value, &b3.sampling)) {
      return InvalidArgumentError("b3: bad sampling state");
    }
    return b3;
  }
  const size_t dash1 = value.find('-');
  if (dash1 == std::string_view::npos || !ParseB3TraceId(value.substr(0, dash1), &b3.trace_id)) {
    return InvalidArgumentError("b3: bad trace id");
  }
  std::string_view rest = value.substr(dash1 + 1);
  if (rest.size() < 16 || !ParseB3SpanId(rest.substr(0, 16), &b3.span_id)) {
    return InvalidArgumentError("b3: bad span id");
  }
  rest.remove_prefix(16);
  if (!rest.empty()) {
    if (rest.size() < 2 || rest[0] != '-' || !ParseSamplingState(rest.substr(1, 1), &b3.sampling)) {
      return InvalidArgumentError("b3: bad sampling state");
    }
    rest.remove_prefix(2);
  }
  if (!rest.empty()) {
    SpanId parent;
    if (rest.size() != 17 || rest[0] != '-' || !ParseB3SpanId(rest.substr(1), &parent)) {
      return InvalidArgumentError("b3: bad parent span id");
    }
  }
  TW_RETURN_IF_ERROR(CheckIds(b3));
  return b3;
}

StatusOr<B3Context> ParseB3Multi(const B3MultiValues& v) {
  B3Context b3;
  if (v.flags && *v.flags != "0") {
    if (*v.flags != "1") return InvalidArgumentError("b3: bad X-B3-Flags");
    b3.sampling = B3Sampling::kDebug;
  } else if (v.sampled) {
    if (*v.sampled == "1" || *v.sampled == "true") {
      b3.sampling = B3Sampling::kAccept;
    } else if (*v.sampled == "0" || *v.sampled == "false") {
      b3.sampling = B3Sampling::kDeny;
    } else {
      return InvalidArgumentError("b3: bad X-B3-Sampled");
    }
  }
  if (!v.trace_id && !v.span_id) {
    if (b3.sampling == B3Sampling::kUnset) return NotFoundError("b3: no X-B3 headers");
    return b3;
  }
  if (!v.trace_id || !ParseB3TraceId(*v.trace_id, &b3.trace_id)) {
    return InvalidArgumentError("b3: bad X-B3-TraceId");
  }
  if (!v.span_id || !ParseB3SpanId(*v.span_id, &b3.span_id)) {
    return InvalidArgumentError("b3: bad X-B3-SpanId");
  }
  SpanId parent;
  if (v.parent_span_id && !ParseB3SpanId(*v.parent_span_id, &parent)) {
    return InvalidArgumentError("b3: bad X-B3-ParentSpanId");
  }
  TW_RETURN_IF_ERROR(CheckIds(b3));
  return b3;
}

std::string FormatB3Single(const TraceId& trace_id, const SpanId& span_id, TraceFlags flags) {
  std::string out(32 + 1 + 16 + 2, '-');
  trace_id.ToHex(out.data());
  span_id.ToHex(out.data() + 33);
  out[50] = flags.sampled() ? '1' : '0';
  return out;
}

}  // namespace tracewire::trace::propagation
