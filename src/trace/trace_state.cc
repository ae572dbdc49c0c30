#include "trace/trace_state.h"

#include <algorithm>

#include "base/text.h"

namespace tracewire::trace {
namespace {

constexpr size_t kMaxTenantSize = 241;
constexpr size_t kMaxSystemSize = 14;

bool IsLcAlpha(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsKeyChar(char c) {
  return IsLcAlpha(c) || IsDigit(c) || c == '_' || c == '-' || c == '*' || c == '/';
}
bool AllKeyChars(std::string_view s) { return std::all_of(s.begin(), s.end(), IsKeyChar); }

size_t MemberSize(const TraceState::Member& m) { return m.first.size() + 1 + m.second.size(); }

}  // namespace

bool TraceState::IsValidKey(std::string_view key) {
  const size_t at = key.find('@');
  if (at == std::string_view::npos) {
    return !key.empty() && key.size() <= kMaxKeySize && IsLcAlpha(key[0]) && AllKeyChars(key);
  }
  std::string_view tenant = key.substr(0, at);
  std::string_view system = key.substr(at + 1);
  return !tenant.empty() && tenant.size() <= kMaxTenantSize &&
         (IsLcAlpha(tenant[0]) || IsDigit(tenant[0])) && AllKeyChars(tenant) && !system.empty() &&
         system.size() <= kMaxSystemSize && IsLcAlpha(system[0]) && AllKeyChars(system);
}

bool TraceState::IsValidValue(std::string_view value) {
  if (value.empty() || value.size() > kMaxValueSize || value.back() == ' ') return false;
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return c >= 0x20 && c <= 0x7e && c != ',' && c != '='; });
}

std::optional<TraceState> TraceState::FromHeader(std::string_view header) {
  std::vector<Member> members;
  while (true) {
    const size_t comma = header.find(',');
    std::string_view member = TrimOws(header.substr(0, comma));
    if (!member.empty()) {
      const size_t eq = member.find('=');
      if (eq == std::string_view::npos) return std::nullopt;
      std::string_view key = member.substr(0, eq);
      std::string_view value = member.substr(eq + 1);
      if (!IsValidKey(key) || !IsValidValue(value)) return std::nullopt;
      if (members.size() == kMaxMembers) return std::nullopt;
      for (const Member& m : members) {
        if (m.first == key) return std::nullopt;  // duplicate keys: invalid as a whole
      }
      if (members.empty()) members.reserve(4);
      members.emplace_back(key, value);
    }
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  if (members.empty()) return TraceState();
  return TraceState(std::make_shared<const std::vector<Member>>(std::move(members)));
}

std::string TraceState::ToHeader() const {
  if (empty()) return {};
  const std::vector<Member>& all = *members_;
  std::vector<bool> keep(all.size(), true);
  size_t total = all.size() - 1;  // commas
  for (const Member& m : all) total += MemberSize(m);
  // Drop long members from the end first, then any member from the end (§3.3.1.5).
  for (int pass = 0; pass < 2 && total > kMaxHeaderSize; ++pass) {
    for (size_t i = all.size(); i-- > 0 && total > kMaxHeaderSize;) {
      if (!keep[i] || (pass == 0 && MemberSize(all[i]) <= kLongMemberSize)) continue;
      keep[i] = false;
      total -= MemberSize(all[i]) + 1;
    }
  }
  std::string out;
  out.reserve(total);
  for (size_t i = 0; i < all.size(); ++i) {
    if (!keep[i]) continue;
    if (!out.empty()) out.push_back(',');
    out.append(all[i].first).append("=").append(all[i].second);
  }
  return out;
}

std::optional<std::string_view> TraceState::Get(std::string_view key) const {
  for (const Member& m : members()) {
    if (m.first == key) return std::optional<std::string_view>(std::in_place, m.second);
  }
  return std::nullopt;
}

TraceState TraceState::Set(std::string_view key, std::string_view value) const {
  if (!IsValidKey(key) || !IsValidValue(value)) return *this;
  auto out = std::make_shared<std::vector<Member>>();
  out->reserve(std::min(size() + 1, kMaxMembers));
  out->emplace_back(key, value);
  for (const Member& m : members()) {
    if (out->size() == kMaxMembers) break;
    if (m.first != key) out->push_back(m);
  }
  return TraceState(std::move(out));
}

TraceState TraceState::Delete(std::string_view key) const {
  if (!Get(key)) return *this;
  auto out = std::make_shared<std::vector<Member>>();
  for (const Member& m : members()) {
    if (m.first != key) out->push_back(m);
  }
  if (out->empty()) return TraceState();
  return TraceState(std::move(out));
}

const std::vector<TraceState::Member>& TraceState::members() const {
  static const std::vector<Member> kEmpty;
  return members_ ? *members_ : kEmpty;
}

}  // namespace tracewire::trace
