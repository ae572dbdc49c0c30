// Baggage: W3C Baggage name/value entries with optional properties (metadata).
// Immutable and cheap to copy (shared storage), like TraceState; an empty Baggage never
// allocates. Thread-safe for concurrent reads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tracewire::trace {

class Baggage {
 public:
  // Limits of W3C Baggage §3.3 (the spec's minimums, which we also use as our maximums).
  static constexpr size_t kMaxEntries = 64;
  static constexpr size_t kMaxHeaderSize = 8192;  // bytes of the serialized header

  struct Entry {
    std::string key;       // an RFC 7230 token, as on the wire
    std::string value;     // percent-decoded (invalid UTF-8 replaced by U+FFFD)
    std::string metadata;  // properties after the first ';': "p1;p2=v2", OWS removed

    friend bool operator==(const Entry&, const Entry&) = default;
  };

  Baggage() = default;

  // Parses a (combined) baggage header value. Never fails as a whole: list-members that do not
  // follow the grammar (and empty ones) are dropped one by one, as §4 allows; OWS around keys,
  // values and properties is trimmed; values are percent-decoded. A later member with the key
  // of an earlier one replaces its value in place. At most kMaxEntries entries are kept (the
  // first ones); the rest are dropped.
  static Baggage FromHeader(std::string_view header);

  // The header value: "key=value[;metadata]" joined by ',' in order. Values are
  // percent-encoded (every byte outside baggage-octet, and '%'). Entries whose key is not a
  // token are skipped; metadata that is not valid property grammar is omitted. Whole entries
  // that would take the header past kMaxHeaderSize bytes are skipped (never a partial entry);
  // at most kMaxEntries are written.
  std::string ToHeader() const;

  // RFC 7230 token (1*tchar).
  static bool IsValidKey(std::string_view key);

  // Returns the value of `key`, or nullopt.
  std::optional<std::string_view> Get(std::string_view key) const;
  // Returns a copy with `key` set: an existing entry keeps its position, a new one is appended.
  Baggage Set(std::string_view key, std::string_view value, std::string_view metadata = {}) const;
  Baggage Delete(std::string_view key) const;

  bool empty() const { return entries_ == nullptr || entries_->empty(); }
  size_t size() const { return entries_ ? entries_->size() : 0; }
  const std::vector<Entry>& entries() const;

  friend bool operator==(const Baggage& a, const Baggage& b) { return a.entries() == b.entries(); }

 private:
  explicit Baggage(std::shared_ptr<const std::vector<Entry>> e) : entries_(std::move(e)) {}
  std::shared_ptr<const std::vector<Entry>> entries_;
};

// Percent coding of baggage values (W3C Baggage §3.2.1.2), exposed for tests and fuzzers.
// Encode: every byte outside baggage-octet, and '%', becomes %XX (upper-case hex).
std::string PercentEncodeBaggageValue(std::string_view raw);
// Decode: %XX sequences become bytes ('%' not followed by two hex digits stays literal); then
// byte sequences that are not valid UTF-8 are replaced by U+FFFD.
std::string PercentDecodeBaggageValue(std::string_view encoded);

}  // namespace tracewire::trace
