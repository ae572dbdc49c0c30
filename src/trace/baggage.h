// Baggage: W3C Baggage name/value entries with optional properties (metadata).
// Immutable and cheap to copy (shared storage), like TraceState.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tracewire::trace {

class Baggage {
 public:
  static constexpr size_t kMaxEntries = 64;
  static constexpr size_t kMaxHeaderSize = 8192;  // bytes of the serialized header

  struct Entry {
    std::string key;       // decoded
    std::string value;     // percent-decoded
    std::string metadata;  // properties after the first ';', kept verbatim (trimmed)

    friend bool operator==(const Entry&, const Entry&) = default;
  };

  Baggage() = default;

  // Returns the value of `key`, or nullopt.
  std::optional<std::string_view> Get(std::string_view key) const;
  // Returns a copy with `key` set (replacing any earlier entry of that key).
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

}  // namespace tracewire::trace
