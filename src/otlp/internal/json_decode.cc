#include "otlp/internal/json_decode.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "base/hex.h"
#include "otlp/internal/base64.h"

namespace tracewire::otlp::internal {

namespace {

using Token = JsonReader::Token;

constexpr const char* kNotInteger = "not an integer in range";
constexpr const char* kNullElement = "null in a list";

// Numeric text, from a JSON number or a JSON string (proto3 JSON accepts both for integers).
bool ReadNumberText(JsonDecodeContext& c, std::string_view* text, const char* name) {
  switch (c.r.Peek()) {
    case Token::kNumber: return c.r.ReadNumber(text);
    case Token::kString: return c.r.ReadString(text);
    default: return c.Fail(name, "expected a number");
  }
}

// A finite double from text in JSON number syntax (from_chars alone would take "inf", "nan").
bool ParseDoubleText(std::string_view t, double* out) {
  if (t.empty() || t.find_first_not_of("0123456789+-.eE") != std::string_view::npos) return false;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), *out);
  return r.ec == std::errc() && r.ptr == t.data() + t.size() && std::isfinite(*out);
}

// An integral value written with a fraction or exponent ("1e3", "5.0"), as proto3 JSON allows.
bool ParseIntegralDouble(std::string_view t, double lo, double hi, double* out) {
  return ParseDoubleText(t, out) && *out == std::floor(*out) && *out >= lo && *out < hi;
}

bool ParseUnsigned(std::string_view t, uint64_t* out) {
  const auto r = std::from_chars(t.data(), t.data() + t.size(), *out);
  if (r.ec == std::errc() && r.ptr == t.data() + t.size()) return true;
  if (r.ec == std::errc::result_out_of_range) return false;
  double d;
  if (!ParseIntegralDouble(t, 0, 18446744073709551616.0, &d)) return false;
  *out = static_cast<uint64_t>(d);
  return true;
}

bool ParseSigned(std::string_view t, int64_t* out) {
  const auto r = std::from_chars(t.data(), t.data() + t.size(), *out);
  if (r.ec == std::errc() && r.ptr == t.data() + t.size()) return true;
  if (r.ec == std::errc::result_out_of_range) return false;
  double d;
  if (!ParseIntegralDouble(t, -9223372036854775808.0, 9223372036854775808.0, &d)) return false;
  *out = static_cast<int64_t>(d);
  return true;
}

bool ReadInt64(JsonDecodeContext& c, int64_t* out, const char* name) {
  std::string_view t;
  if (!ReadNumberText(c, &t, name)) return false;
  return ParseSigned(t, out) || c.Fail(name, kNotInteger);
}

// A double: a number, or "NaN", "Infinity", "-Infinity", or a number in a string.
bool ReadDouble(JsonDecodeContext& c, double* out, const char* name) {
  std::string_view t;
  const bool quoted = c.r.Peek() == Token::kString;
  if (!ReadNumberText(c, &t, name)) return false;
  if (quoted) {
    if (t == "NaN") {
      *out = std::numeric_limits<double>::quiet_NaN();
      return true;
    }
    if (t == "Infinity" || t == "-Infinity") {
      *out = t[0] == '-' ? -std::numeric_limits<double>::infinity()
                         : std::numeric_limits<double>::infinity();
      return true;
    }
  }
  return ParseDoubleText(t, out) || c.Fail(name, "not a finite double");
}

bool ReadBytes(JsonDecodeContext& c, std::string_view* out, const char* name) {
  std::string_view text;
  if (!ReadText(c, &text, name)) return false;
  char* buf = static_cast<char*>(c.arena.Allocate(Base64DecodedBound(text.size()), 1));
  const ptrdiff_t n = DecodeBase64(text, buf);
  if (n < 0) return c.Fail(name, "not base64");
  *out = std::string_view(buf, static_cast<size_t>(n));
  return true;
}

bool ReadKeyValue(JsonDecodeContext& c, model::KeyValue* out, size_t depth);

// ArrayValue / KeyValueList objects: {"values": [...]}; elements at `depth`.
bool ReadArrayValue(JsonDecodeContext& c, model::AnyValue* out, size_t depth) {
  *out = model::AnyValue::Array({});
  if (!c.r.BeginObject()) return false;
  std::string_view key;
  while (c.r.NextMember(&key)) {
    if (key != "values") {
      if (!c.r.SkipValue()) return false;
      continue;
    }
    if (TakeNull(c)) continue;
    const size_t from = c.value_stack.size();
    if (!c.r.BeginArray()) return false;
    while (c.r.NextElement()) {
      if (c.r.Peek() == Token::kNull) return c.Fail("ArrayValue.values", kNullElement);
      model::AnyValue v;
      if (!ReadAnyValue(c, &v, depth)) return false;
      c.value_stack.push_back(v);
    }
    if (!c.r.ok()) return false;
    *out = model::AnyValue::Array(c.Pop(c.value_stack, from));
  }
  return c.r.ok();
}

bool ReadKvListValue(JsonDecodeContext& c, model::AnyValue* out, size_t depth) {
  *out = model::AnyValue::KvList({});
  if (!c.r.BeginObject()) return false;
  std::string_view key;
  while (c.r.NextMember(&key)) {
    if (key != "values") {
      if (!c.r.SkipValue()) return false;
      continue;
    }
    if (TakeNull(c)) continue;
    const size_t from = c.kv_stack.size();
    if (!c.r.BeginArray()) return false;
    while (c.r.NextElement()) {
      if (c.r.Peek() == Token::kNull) return c.Fail("KeyValueList.values", kNullElement);
      model::KeyValue kv;
      if (!ReadKeyValue(c, &kv, depth)) return false;
      c.kv_stack.push_back(kv);
    }
    if (!c.r.ok()) return false;
    *out = model::AnyValue::KvList(c.Pop(c.kv_stack, from));
  }
  return c.r.ok();
}

bool ReadKeyValue(JsonDecodeContext& c, model::KeyValue* out, size_t depth) {
  if (!c.r.BeginObject()) return false;
  std::string_view key;
  while (c.r.NextMember(&key)) {
    bool ok;
    if (key == "key") {
      ok = ReadText(c, &out->key, "KeyValue.key");
    } else if (key == "value") {
      ok = ReadAnyValue(c, &out->value, depth);
    } else {
      ok = c.r.SkipValue();
    }
    if (!ok) return false;
  }
  return c.r.ok();
}

}  // namespace

JsonDecodeContext::JsonDecodeContext(std::string_view text, model::Arena& a, size_t max_value_depth)
    // Each value level takes at most 4 JSON levels (kvlistValue, values, KeyValue, value) on
    // top of the ~13 of the envelope (events, links).
    : r(text, a, 16 + 4 * (max_value_depth + 1)), arena(a), max_value_depth(max_value_depth) {
  kv_stack.reserve(64);
  value_stack.reserve(16);
}

bool ReadText(JsonDecodeContext& c, std::string_view* out, const char* name) {
  if (TakeNull(c)) return true;
  if (c.r.Peek() != Token::kString) return c.Fail(name, "expected a string");
  return c.r.ReadString(out);
}

bool ReadUint64(JsonDecodeContext& c, uint64_t* out, const char* name) {
  if (TakeNull(c)) return true;
  std::string_view t;
  if (!ReadNumberText(c, &t, name)) return false;
  return ParseUnsigned(t, out) || c.Fail(name, kNotInteger);
}

bool ReadUint32(JsonDecodeContext& c, uint32_t* out, const char* name) {
  uint64_t v = 0;
  if (!ReadUint64(c, &v, name)) return false;
  if (v > std::numeric_limits<uint32_t>::max()) return c.Fail(name, kNotInteger);
  *out = static_cast<uint32_t>(v);
  return true;
}

bool ReadEnum(JsonDecodeContext& c, std::span<const std::string_view> names, int32_t* out,
              const char* name) {
  if (TakeNull(c)) return true;
  if (c.r.Peek() == Token::kString) {
    std::string_view t;
    if (!c.r.ReadString(&t)) return false;
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == t) {
        *out = static_cast<int32_t>(i);
        return true;
      }
    }
    return c.Fail(name, "unknown enum name");
  }
  int64_t v;
  if (!ReadInt64(c, &v, name)) return false;
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return c.Fail(name, kNotInteger);
  }
  *out = static_cast<int32_t>(v);
  return true;
}

bool ReadHexId(JsonDecodeContext& c, uint8_t* out, size_t want, size_t* size, const char* name) {
  *size = 0;
  std::string_view hex;
  if (!ReadText(c, &hex, name)) return false;
  if (hex.size() % 2 != 0) return c.Fail(name, "not a hex string");
  *size = hex.size() / 2;
  if (*size == want) {
    return DecodeHexTo(hex, out, want, /*allow_upper=*/true) || c.Fail(name, "not a hex string");
  }
  std::memset(out, 0, want);  // a later value replaces an earlier one, even a wrong-sized one
  for (char ch : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(ch))) return c.Fail(name, "not a hex string");
  }
  return true;
}

bool ReadAnyValue(JsonDecodeContext& c, model::AnyValue* out, size_t depth) {
  *out = model::AnyValue();
  if (depth > c.max_value_depth) return c.Fail("AnyValue", "nesting deeper than max_value_depth");
  if (TakeNull(c)) return true;
  if (!c.r.BeginObject()) return false;
  std::string_view key;
  while (c.r.NextMember(&key)) {
    if (TakeNull(c)) continue;  // a null member is an absent one
    bool ok = true;
    if (key == "stringValue") {
      std::string_view s;
      ok = ReadText(c, &s, "AnyValue.stringValue");
      *out = model::AnyValue::String(s);
    } else if (key == "intValue") {
      int64_t v = 0;
      ok = ReadInt64(c, &v, "AnyValue.intValue");
      *out = model::AnyValue::Int(v);
    } else if (key == "boolValue") {
      bool v = false;
      const Token t = c.r.Peek();
      ok = (t == Token::kTrue || t == Token::kFalse ||
            c.Fail("AnyValue.boolValue", "expected a bool")) &&
           c.r.ReadBool(&v);
      *out = model::AnyValue::Bool(v);
    } else if (key == "doubleValue") {
      double v = 0;
      ok = ReadDouble(c, &v, "AnyValue.doubleValue");
      *out = model::AnyValue::Double(v);
    } else if (key == "bytesValue") {
      std::string_view b;
      ok = ReadBytes(c, &b, "AnyValue.bytesValue");
      *out = model::AnyValue::Bytes(b);
    } else if (key == "arrayValue") {
      ok = ReadArrayValue(c, out, depth + 1);
    } else if (key == "kvlistValue") {
      ok = ReadKvListValue(c, out, depth + 1);
    } else {
      ok = c.r.SkipValue();
    }
    if (!ok) return false;
  }
  return c.r.ok();
}

bool ReadAttributes(JsonDecodeContext& c, std::span<const model::KeyValue>* out, const char* name) {
  *out = {};
  if (TakeNull(c)) return true;
  const size_t from = c.kv_stack.size();
  if (!c.r.BeginArray()) return false;
  while (c.r.NextElement()) {
    if (c.r.Peek() == Token::kNull) return c.Fail(name, kNullElement);
    model::KeyValue kv;
    if (!ReadKeyValue(c, &kv, 1)) return false;
    c.kv_stack.push_back(kv);
  }
  if (!c.r.ok()) return false;
  *out = c.Pop(c.kv_stack, from);
  return true;
}

bool ReadResource(JsonDecodeContext& c, model::Resource* out) {
  if (TakeNull(c)) return true;
  if (!c.r.BeginObject()) return false;
  std::string_view key;
  while (c.r.NextMember(&key)) {
    bool ok;
    if (key == "attributes") {
      ok = ReadAttributes(c, &out->attributes, "Resource.attributes");
    } else if (key == "droppedAttributesCount") {
      ok = ReadUint32(c, &out->dropped_attributes_count, "Resource.droppedAttributesCount");
    } else {
      ok = c.r.SkipValue();
    }
    if (!ok) return false;
  }
  if (!c.r.ok()) return false;
  const model::AnyValue* name = model::FindAttribute(out->attributes, "service.name");
  if (name != nullptr && name->type() == model::ValueType::kString) {
    out->service_name = name->string_value();
  }
  return true;
}

bool ReadScope(JsonDecodeContext& c, model::Scope* out) {
  if (TakeNull(c)) return true;
  if (!c.r.BeginObject()) return false;
  std::string_view key;
  while (c.r.NextMember(&key)) {
    bool ok;
    if (key == "name") {
      ok = ReadText(c, &out->name, "InstrumentationScope.name");
    } else if (key == "version") {
      ok = ReadText(c, &out->version, "InstrumentationScope.version");
    } else if (key == "attributes") {
      ok = ReadAttributes(c, &out->attributes, "InstrumentationScope.attributes");
    } else if (key == "droppedAttributesCount") {
      ok = ReadUint32(c, &out->dropped_attributes_count,
                      "InstrumentationScope.droppedAttributesCount");
    } else {
      ok = c.r.SkipValue();
    }
    if (!ok) return false;
  }
  return c.r.ok();
}

Status JsonFailureStatus(const JsonReader& r, std::string_view request) {
  std::string message = "invalid ";
  message.append(request).append(" (OTLP/JSON) at byte ");
  message.append(std::to_string(r.error_offset())).append(": ");
  if (r.error_field() != nullptr) message.append(r.error_field()).append(": ");
  message.append(r.error_problem() != nullptr ? r.error_problem() : "malformed");
  return InvalidArgumentError(std::move(message));
}

}  // namespace tracewire::otlp::internal
