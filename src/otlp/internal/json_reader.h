// A pull parser over JSON text (RFC 8259) for the OTLP/JSON decoders: no DOM, no allocation of
// its own. Strings without escapes are views into the text; escaped strings are unescaped into
// the arena (\u surrogate pairs joined, lone surrogates rejected). Strings must be UTF-8.
// Nesting of objects and arrays is limited to max_depth. The first error is kept with the byte
// offset where it was found; after an error every call returns false.
//
// Reading an object:
//   if (!r.BeginObject()) return false;
//   std::string_view key;
//   while (r.NextMember(&key)) { ... read or r.SkipValue() the member's value ... }
//   if (!r.ok()) return false;
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/arena.h"

namespace tracewire::otlp::internal {

class JsonReader {
 public:
  enum class Token : uint8_t { kError, kObject, kArray, kString, kNumber, kTrue, kFalse, kNull };

  JsonReader(std::string_view text, model::Arena& arena, size_t max_depth)
      : begin_(text.data()),
        p_(text.data()),
        end_(text.data() + text.size()),
        arena_(arena),
        max_depth_(max_depth) {}

  // The kind of the next value (skipping whitespace), without consuming it; kError at the end
  // of the text or at a character no value starts with (no error is recorded).
  Token Peek();

  bool BeginObject();
  // Consumes the next member's key and ':'; false (and consumes '}') when the object ends, or
  // on error.
  bool NextMember(std::string_view* key);
  bool BeginArray();
  // True when another element follows (its value is next); false (consuming ']') at the end.
  bool NextElement();

  bool ReadString(std::string_view* out);
  // A JSON number; *text is its exact text.
  bool ReadNumber(std::string_view* text);
  bool ReadBool(bool* out);
  bool ReadNull();
  // Any value, checked but not kept.
  bool SkipValue();
  // True when only whitespace remains.
  bool AtEnd();

  // Records an error (the first one wins); returns false. `field` may be nullptr (syntax).
  // Both are string literals.
  bool Fail(const char* field, const char* problem);
  bool ok() const { return problem_ == nullptr; }
  const char* error_field() const { return field_; }
  const char* error_problem() const { return problem_; }
  size_t error_offset() const { return error_offset_; }

 private:
  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool Expect(char c, const char* problem);
  bool Open(char c, const char* problem);
  // Scans the body of a string from just after its opening quote. Returns the raw body (without
  // quotes) and whether it holds escapes; leaves p_ after the closing quote.
  bool ScanString(std::string_view* raw, bool* escaped);
  // Writes the unescaped `raw` to `out` (room for raw.size() bytes); returns the end.
  char* Unescape(std::string_view raw, char* out);
  bool ReadLiteral(std::string_view word);

  const char* begin_;
  const char* p_;
  const char* end_;
  model::Arena& arena_;
  size_t max_depth_;
  size_t depth_ = 0;
  bool fresh_ = false;  // just after '{' or '[': no comma expected before the next item
  const char* field_ = nullptr;
  const char* problem_ = nullptr;
  size_t error_offset_ = 0;
};

}  // namespace tracewire::otlp::internal
