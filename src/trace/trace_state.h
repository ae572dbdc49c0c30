// TraceState: the W3C `tracestate` list of vendor key/value members (Trace Context level 1 §3.3).
// Immutable: every mutation returns a new value. Copies share storage, so copying is cheap
// (one reference-count increment when non-empty, nothing when empty). An empty TraceState
// never allocates. Thread-safe for concurrent reads (it is immutable).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tracewire::trace {

class TraceState {
 public:
  static constexpr size_t kMaxMembers = 32;
  // ToHeader() keeps the header within this many bytes by dropping whole members (§3.3.1.5).
  static constexpr size_t kMaxHeaderSize = 512;
  // When truncating, members longer than this ("key=value" bytes) are dropped first.
  static constexpr size_t kLongMemberSize = 128;
  static constexpr size_t kMaxKeySize = 256;
  static constexpr size_t kMaxValueSize = 256;

  using Member = std::pair<std::string, std::string>;

  TraceState() = default;

  // Parses a (combined) tracestate header value. Returns nullopt when the value is invalid as
  // a whole (bad member grammar, duplicate key, more than kMaxMembers members), in which case a
  // propagator MUST discard the whole tracestate. Empty and whitespace-only list members are
  // allowed and skipped; OWS (space, tab) around members is ignored.
  // NOTE: an empty or all-whitespace header yields an empty TraceState without allocating.
  static std::optional<TraceState> FromHeader(std::string_view header);

  // The header value, members in order, joined by ',' without whitespace. Empty when empty.
  // When the result would exceed kMaxHeaderSize bytes, whole members are dropped: first those
  // longer than kLongMemberSize bytes (starting from the end), then any member from the end,
  // until it fits.
  std::string ToHeader() const;

  // Key and value grammar of §3.3.1.3.1 / §3.3.1.3.2 (level 1): a simple key
  // (lcalpha 0*255 keychar) or a multi-tenant key tenant@system (tenant: 1-241 chars starting
  // with lcalpha or DIGIT; system: 1-14 chars starting with lcalpha); a value of 1-256 chars in
  // 0x20-0x7e except ',' and '=', not ending with a space.
  static bool IsValidKey(std::string_view key);
  static bool IsValidValue(std::string_view value);

  // Returns the value of `key`, or nullopt.
  std::optional<std::string_view> Get(std::string_view key) const;

  // Returns a copy with `key` set to `value` and moved to the front (the spec's rule for an
  // updated or added member). Invalid key/value: returns *this unchanged. When the list is
  // full, the last member is dropped to make room.
  TraceState Set(std::string_view key, std::string_view value) const;

  // Returns a copy without `key`.
  TraceState Delete(std::string_view key) const;

  bool empty() const { return members_ == nullptr || members_->empty(); }
  size_t size() const { return members_ ? members_->size() : 0; }
  // In header order; an empty vector when empty().
  const std::vector<Member>& members() const;

  friend bool operator==(const TraceState& a, const TraceState& b) {
    return a.members() == b.members();
  }

 private:
  explicit TraceState(std::shared_ptr<const std::vector<Member>> m) : members_(std::move(m)) {}
  std::shared_ptr<const std::vector<Member>> members_;
};

}  // namespace tracewire::trace
