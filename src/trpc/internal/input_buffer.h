// InputBuffer: a connection's growable read buffer. Bytes are appended at the back by reads
// and consumed from the front by the frame decoder; the front is compacted lazily, so a read
// never moves bytes unless the free tail is too small. Not thread-safe (one loop owns it).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace tracewire::trpc::internal {

class InputBuffer {
 public:
  static constexpr size_t kMinRead = size_t{16} * 1024;          // bytes offered to each read
  static constexpr size_t kInitialCapacity = size_t{64} * 1024;  // bytes
  static constexpr size_t kShrinkAbove = size_t{1024} * 1024;    // bytes kept once drained

  // The unconsumed bytes.
  std::string_view Data() const { return {data_.get() + begin_, end_ - begin_}; }
  bool empty() const { return begin_ == end_; }
  void Consume(size_t n);

  // Makes room for at least max(kMinRead, want - size()) more bytes (`want`: the total size of
  // the frame being received, or 0) and returns the writable tail.
  char* PrepareWrite(size_t want, size_t* writable);
  void Commit(size_t n) { end_ += n; }

 private:
  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

}  // namespace tracewire::trpc::internal
