#include "trpc/internal/input_buffer.h"

#include <algorithm>
#include <cstring>

namespace tracewire::trpc::internal {

void InputBuffer::Consume(size_t n) {
  begin_ += n;
  if (begin_ == end_) {
    begin_ = end_ = 0;
    if (capacity_ > kShrinkAbove) {  // do not keep a huge frame's buffer forever
      data_.reset();
      capacity_ = 0;
    }
  }
}

char* InputBuffer::PrepareWrite(size_t want, size_t* writable) {
  const size_t size = end_ - begin_;
  const size_t need = std::max(kMinRead, want > size ? want - size : 0);
  if (capacity_ - end_ < need) {
    if (capacity_ - size >= need && begin_ > 0) {
      std::memmove(data_.get(), data_.get() + begin_, size);
    } else {
      size_t capacity = std::max({kInitialCapacity, capacity_ * 2, size + need});
      auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
      if (size > 0) std::memcpy(bigger.get(), data_.get() + begin_, size);
      data_ = std::move(bigger);
      capacity_ = capacity;
    }
    begin_ = 0;
    end_ = size;
  }
  *writable = capacity_ - end_;
  return data_.get() + end_;
}

}  // namespace tracewire::trpc::internal
