#include "trace/baggage.h"

#include <algorithm>
#include <array>

#include "base/text.h"

namespace tracewire::trace {
namespace {

bool IsTchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

// %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
bool IsBaggageOctet(unsigned char c) {
  return c >= 0x21 && c <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

bool AllBaggageOctets(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsBaggageOctet(static_cast<unsigned char>(c)); });
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid; *prefix gets
// the length of its longest valid prefix (the maximal subpart to replace, at least 1).
size_t Utf8SequenceLength(std::string_view s, size_t i, size_t* prefix) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  *prefix = 1;
  if (b0 < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    len = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    if (b0 == 0xe0) lo = 0xa0;  // no overlongs
    if (b0 == 0xed) hi = 0x9f;  // no surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    if (b0 == 0xf0) lo = 0x90;  // no overlongs
    if (b0 == 0xf4) hi = 0x8f;  // <= U+10FFFF
  } else {
    return 0;
  }
  for (size_t k = 1; k < len; ++k) {
    if (i + k >= s.size()) return 0;
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf)) return 0;
    *prefix = k + 1;
  }
  return len;
}

std::string ReplaceInvalidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t prefix = 1;
    const size_t len = Utf8SequenceLength(s, i, &prefix);
    if (len != 0) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      i += prefix;
    }
  }
  return out;
}

// Parses `;`-separated properties (the text after the value's first ';') into the normalized
// form "k1;k2=v2". Returns false when a property breaks the grammar.
bool NormalizeProperties(std::string_view props, std::string* out) {
  out->clear();
  while (true) {
    const size_t semi = props.find(';');
    std::string_view prop = TrimOws(props.substr(0, semi));
    const size_t eq = prop.find('=');
    std::string_view key = TrimOws(prop.substr(0, eq));
    if (key.empty() || !Baggage::IsValidKey(key)) return false;
    if (!out->empty()) out->push_back(';');
    out->append(key);
    if (eq != std::string_view::npos) {
      std::string_view value = TrimOws(prop.substr(eq + 1));
      if (!AllBaggageOctets(value)) return false;
      out->push_back('=');
      out->append(value);
    }
    if (semi == std::string_view::npos) return true;
    props.remove_prefix(semi + 1);
  }
}

// Parses one list-member; returns false when it breaks the grammar.
bool ParseMember(std::string_view member, Baggage::Entry* entry) {
  const size_t eq = member.find('=');
  if (eq == std::string_view::npos) return false;
  std::string_view key = TrimOws(member.substr(0, eq));
  std::string_view rest = member.substr(eq + 1);
  const size_t semi = rest.find(';');
  std::string_view value = TrimOws(rest.substr(0, semi));
  if (!Baggage::IsValidKey(key) || !AllBaggageOctets(value)) return false;
  entry->metadata.clear();
  if (semi != std::string_view::npos &&
      !NormalizeProperties(rest.substr(semi + 1), &entry->metadata)) {
    return false;
  }
  entry->key.assign(key);
  entry->value = PercentDecodeBaggageValue(value);
  return true;
}

}  // namespace

std::string PercentEncodeBaggageValue(std::string_view raw) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(raw.size());
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsBaggageOctet(c) && c != '%') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0f]);
    }
  }
  return out;
}

std::string PercentDecodeBaggageValue(std::string_view encoded) {
  if (std::all_of(encoded.begin(), encoded.end(),
                  [](char c) { return c != '%' && static_cast<unsigned char>(c) < 0x80; })) {
    return std::string(encoded);
  }
  std::string bytes;
  bytes.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size() && HexValue(encoded[i + 1]) >= 0 &&
        HexValue(encoded[i + 2]) >= 0) {
      bytes.push_back(static_cast<char>(HexValue(encoded[i + 1]) * 16 + HexValue(encoded[i + 2])));
      i += 2;
    } else {
      bytes.push_back(encoded[i]);
    }
  }
  return ReplaceInvalidUtf8(bytes);
}

bool Baggage::IsValidKey(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(),
                                     [](char c) { return IsTchar(static_cast<unsigned char>(c)); });
}

Baggage Baggage::FromHeader(std::string_view header) {
  std::vector<Entry> entries;
  Entry entry;
  while (true) {
    const size_t comma = header.find(',');
    std::string_view member = TrimOws(header.substr(0, comma));
    if (!member.empty() && ParseMember(member, &entry)) {
      auto same = std::find_if(entries.begin(), entries.end(),
                               [&](const Entry& e) { return e.key == entry.key; });
      if (same != entries.end()) {
        *same = std::move(entry);
      } else if (entries.size() < kMaxEntries) {
        entries.push_back(std::move(entry));
      }
      entry = Entry();
    }
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  if (entries.empty()) return Baggage();
  return Baggage(std::make_shared<const std::vector<Entry>>(std::move(entries)));
}

std::string Baggage::ToHeader() const {
  std::string out;
  std::string member;
  std::string props;
  size_t written = 0;
  for (const Entry& e : entries()) {
    if (written == kMaxEntries) break;
    if (!IsValidKey(e.key)) continue;
    member.assign(e.key).append("=").append(PercentEncodeBaggageValue(e.value));
    if (!e.metadata.empty() && NormalizeProperties(e.metadata, &props)) {
      member.append(";").append(props);
    }
    const size_t needed = member.size() + (out.empty() ? 0 : 1);
    if (out.size() + needed > kMaxHeaderSize) continue;  // whole entries only
    if (!out.empty()) out.push_back(',');
    out.append(member);
    ++written;
  }
  return out;
}

std::optional<std::string_view> Baggage::Get(std::string_view key) const {
  for (const Entry& e : entries()) {
    if (e.key == key) return std::optional<std::string_view>(std::in_place, e.value);
  }
  return std::nullopt;
}

Baggage Baggage::Set(std::string_view key, std::string_view value,
                     std::string_view metadata) const {
  auto out = std::make_shared<std::vector<Entry>>(entries());
  Entry fresh{std::string(key), std::string(value), std::string(metadata)};
  auto same = std::find_if(out->begin(), out->end(), [&](const Entry& e) { return e.key == key; });
  if (same != out->end()) {
    *same = std::move(fresh);
  } else {
    out->push_back(std::move(fresh));
  }
  return Baggage(std::move(out));
}

Baggage Baggage::Delete(std::string_view key) const {
  if (!Get(key)) return *this;
  auto out = std::make_shared<std::vector<Entry>>();
  for (const Entry& e : entries()) {
    if (e.key != key) out->push_back(e);
  }
  if (out->empty()) return Baggage();
  return Baggage(std::move(out));
}

const std::vector<Baggage::Entry>& Baggage::entries() const {
  static const std::vector<Entry> kEmpty;
  return entries_ ? *entries_ : kEmpty;
}

}  // namespace tracewire::trace
