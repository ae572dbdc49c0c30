// Carriers: TextMapCarrier adapters over the containers a context actually travels in.
//  - MapCarrier<Map>: exact (case-sensitive) keys over any std::map/std::unordered_map-like
//    container of string-like keys and values, e.g. tRPC trans_info (map<string, bytes>).
//  - HttpHeaderCarrier<Headers>: a vector of (name, value) pairs with case-insensitive names;
//    repeated headers are returned joined with ','.
// Both are non-owning views: the container must outlive the carrier. With a const container
// the carrier is read-only (Set does nothing). Not thread-safe (like the container).
#pragma once

#include <algorithm>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/text.h"
#include "trace/propagation/text_map.h"

namespace tracewire::trace::propagation {

// Overwrites `dst` with `value`. Hot path: re-injecting a context of the same length (a proxy
// rewriting traceparent) copies the bytes in place without std::string's general assign.
template <typename String>
inline void AssignValue(String& dst, std::string_view value) {
  if constexpr (std::is_same_v<String, std::string>) {
    if (dst.size() == value.size()) {
      if (!value.empty()) std::memcpy(dst.data(), value.data(), value.size());
      return;
    }
  }
  dst.assign(value.data(), value.size());
}

template <typename Map>
class MapCarrier final : public TextMapCarrier {
 public:
  explicit MapCarrier(Map& map) : map_(map) {}

  // Hot path: with a transparent comparator/hash (std::less<>) the lookup does not build a
  // key string; otherwise the key is converted to Map::key_type first.
  std::optional<std::string_view> Get(std::string_view key) const override {
    auto it = Find(key);
    if (it == map_.end()) return std::nullopt;
    return std::string_view(it->second.data(), it->second.size());
  }

  void Set(std::string_view key, std::string_view value) override {
    if constexpr (!std::is_const_v<Map>) {
      auto it = Find(key);
      if (it != map_.end()) {
        AssignValue(it->second, value);
      } else {
        map_.emplace(typename Map::key_type(key), typename Map::mapped_type(value));
      }
    }
  }

 private:
  // At most this many entries are searched front to back instead of through the tree.
  static constexpr size_t kLinearScanMax = 8;

  // True when the map orders std::string keys with plain std::less, so that "equivalent" means
  // "equal bytes" and a linear scan finds what map.find would (in an ordered multimap, the
  // first of the equal keys, as find does).
  static constexpr bool kBytewiseOrderedKeys = requires {
    requires std::is_same_v<std::remove_cv_t<typename Map::key_type>, std::string>;
    requires std::is_same_v<typename Map::key_compare, std::less<>> ||
                 std::is_same_v<typename Map::key_compare, std::less<std::string>>;
  };

  auto Find(std::string_view key) const {
    if constexpr (kBytewiseOrderedKeys) {
      // Hot path: small carriers (a handful of trans_info entries) are cheaper to scan, with a
      // size check before any byte compare, than to walk with a memcmp per tree level.
      if (map_.size() <= kLinearScanMax) {
        auto it = map_.begin();
        for (; it != map_.end(); ++it) {
          const std::string& k = it->first;
          if (k.size() == key.size() && key == k) break;
        }
        return it;
      }
    }
    if constexpr (requires(Map& m, std::string_view k) { m.find(k); }) {
      return map_.find(key);
    } else {
      return map_.find(typename Map::key_type(key));
    }
  }

  Map& map_;
};

// Deduction guide: MapCarrier carrier(my_map);
template <typename Map>
MapCarrier(Map&) -> MapCarrier<Map>;

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

template <typename Headers = HttpHeaders>
class HttpHeaderCarrier final : public TextMapCarrier {
 public:
  explicit HttpHeaderCarrier(Headers& headers) : headers_(headers) {}

  // The value of the first header named `key` (any case), without leading and trailing OWS
  // (RFC 7230 §3.2: it is not part of the field value); several headers of that name are
  // joined with ',' (RFC 7230 §3.2.2) into storage owned by the carrier.
  std::optional<std::string_view> Get(std::string_view key) const override {
    auto first = std::find_if(headers_.begin(), headers_.end(),
                              [&](const auto& h) { return EqualsIgnoreCase(h.first, key); });
    if (first == headers_.end()) return std::nullopt;
    std::optional<std::string_view> result(std::in_place, TrimOws(first->second));
    for (auto it = std::next(first); it != headers_.end(); ++it) {
      if (!EqualsIgnoreCase(it->first, key)) continue;
      if (result->data() != joined_.data()) joined_.assign(*result);
      joined_.append(",").append(TrimOws(it->second));
      result = joined_;
    }
    return result;
  }

  // Replaces the value of the first header named `key` (any case) and removes the others;
  // appends (key, value) when there is none.
  void Set(std::string_view key, std::string_view value) override {
    if constexpr (!std::is_const_v<Headers>) {
      auto first = std::find_if(headers_.begin(), headers_.end(),
                                [&](const auto& h) { return EqualsIgnoreCase(h.first, key); });
      if (first == headers_.end()) {
        headers_.emplace_back(std::string(key), std::string(value));
        return;
      }
      AssignValue(first->second, value);
      headers_.erase(std::remove_if(std::next(first), headers_.end(),
                                    [&](const auto& h) { return EqualsIgnoreCase(h.first, key); }),
                     headers_.end());
    }
  }

 private:
  Headers& headers_;
  mutable std::string joined_;
};

template <typename Headers>
HttpHeaderCarrier(Headers&) -> HttpHeaderCarrier<Headers>;

}  // namespace tracewire::trace::propagation
