// The strings every span page of a block shares (span page format 3): names, attribute values,
// resource and scope strings that recur from page to page are stored once in the block index
// instead of once per page. In a format-3 page, string ids below size() refer to these; the
// page's own dictionary follows them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/format/coding.h"

namespace tracewire::store::block {

class SharedStrings {
 public:
  SharedStrings() = default;
  explicit SharedStrings(std::span<const std::string_view> strings);

  size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::string_view at(size_t i) const {
    const uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    const std::string_view all = bytes_;
    return all.substr(begin, ends_[i] - begin);
  }
  // Every string's bytes, back to back.
  const std::string& bytes() const { return bytes_; }
  // Appends a view of each string into `copy`, which must hold the same bytes as bytes() (a
  // copy the caller owns, so its views outlive this object).
  void AppendViews(std::string_view copy, std::vector<std::string_view>* out) const;

  // count, then each string length-prefixed (the block index's last section).
  void Encode(std::string* out) const;
  // False on malformed input (`in` is then failed).
  bool Decode(format::Reader* in);

 private:
  std::string bytes_;
  std::vector<uint32_t> ends_;  // end offset of each string in bytes_
};

// Limits of a block's shared strings.
inline constexpr size_t kMaxSharedStrings = 1 << 16;
inline constexpr size_t kMaxSharedStringBytes = 4 << 20;

}  // namespace tracewire::store::block
