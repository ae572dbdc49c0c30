#include "store/block/shared_strings.h"

namespace tracewire::store::block {

SharedStrings::SharedStrings(std::span<const std::string_view> strings) {
  size_t total = 0;
  for (std::string_view s : strings) total += s.size();
  bytes_.reserve(total);
  ends_.reserve(strings.size());
  for (std::string_view s : strings) {
    bytes_.append(s);
    ends_.push_back(static_cast<uint32_t>(bytes_.size()));
  }
}

void SharedStrings::AppendViews(std::string_view copy, std::vector<std::string_view>* out) const {
  uint32_t begin = 0;
  for (uint32_t end : ends_) {
    out->push_back(copy.substr(begin, end - begin));
    begin = end;
  }
}

void SharedStrings::Encode(std::string* out) const {
  format::PutVarint(out, size());
  for (size_t i = 0; i < size(); ++i) format::PutLengthPrefixed(out, at(i));
}

bool SharedStrings::Decode(format::Reader* in) {
  bytes_.clear();
  ends_.clear();
  uint64_t n = 0;
  if (!in->Varint(&n) || n > kMaxSharedStrings || n > in->remaining()) return in->Fail();
  ends_.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view s;
    if (!in->LengthPrefixed(&s) || bytes_.size() + s.size() > kMaxSharedStringBytes) {
      return in->Fail();
    }
    bytes_.append(s);
    ends_.push_back(static_cast<uint32_t>(bytes_.size()));
  }
  return true;
}

}  // namespace tracewire::store::block
