// Wal::Open and the caller-side methods of WalImpl (the writer thread is in wal_writer.cc).
#include <utility>

#include "store/wal/segment_reader.h"
#include "store/wal/wal_format.h"
#include "store/wal/wal_impl.h"

namespace tracewire::store {

StatusOr<std::unique_ptr<Wal>> Wal::Open(WalOptions options) {
  if (options.dir.empty()) return InvalidArgumentError("wal: dir is empty");
  if (options.segment_bytes == 0) return InvalidArgumentError("wal: segment_bytes is 0");
  if (options.max_record_bytes == 0 || options.max_record_bytes > UINT32_MAX) {
    return InvalidArgumentError("wal: max_record_bytes must be in [1, 2^32 - 1]");
  }
  if (options.sync == SyncPolicy::kInterval && options.sync_interval.count() <= 0) {
    return InvalidArgumentError("wal: sync_interval must be > 0 under the interval policy");
  }
  if (options.group_commit_window.count() < 0) {
    return InvalidArgumentError("wal: group_commit_window is negative");
  }
  if (options.fs == nullptr) options.fs = FileSystem::Default();
  FileSystem& fs = *options.fs;
  TW_RETURN_IF_ERROR(fs.CreateDirs(options.dir));
  StatusOr<std::vector<std::string>> names = fs.ListDir(options.dir);
  if (!names.ok()) return names.status();
  std::map<uint64_t, uint64_t> segments;
  for (const std::string& name : *names) {
    const std::optional<uint64_t> number = wal::ParseSegmentFileName(name);
    if (!number) continue;  // not ours
    if (*number == 0 || *number == UINT64_MAX) {
      return InternalError("wal: segment number out of range: " + options.dir + "/" + name);
    }
    StatusOr<uint64_t> size = fs.FileSize(options.dir + "/" + name);
    if (!size.ok()) return size.status();
    segments[*number] = *size;
  }
  auto wal = std::make_unique<wal::WalImpl>(std::move(options), std::move(segments));
  wal->StartWriter();
  return std::unique_ptr<Wal>(std::move(wal));
}

namespace wal {

WalImpl::WalImpl(WalOptions options, std::map<uint64_t, uint64_t> segments)
    : options_(std::move(options)), fs_(options_.fs), segments_(std::move(segments)) {
  for (const auto& [number, size] : segments_) segment_bytes_total_ += size;
  next_segment_ = segments_.empty() ? 1 : segments_.rbegin()->first + 1;
  first_new_segment_ = next_segment_;
}

WalImpl::~WalImpl() { (void)Close(); }

void WalImpl::StartWriter() {
  writer_ = std::thread([this] { WriterLoop(); });
  writer_id_ = writer_.get_id();
}

std::string WalImpl::SegmentPath(uint64_t number) const {
  return options_.dir + "/" + SegmentFileName(number);
}

void WalImpl::SetSegmentSize(uint64_t number, uint64_t size) {
  std::lock_guard lock(seg_mu_);
  auto it = segments_.find(number);
  if (it == segments_.end()) return;  // removed meanwhile
  segment_bytes_total_ = segment_bytes_total_ - it->second + size;
  it->second = size;
}

Status WalImpl::Replay(const std::function<Status(uint8_t, std::string_view, WalPosition)>& fn) {
  std::vector<uint64_t> numbers;
  {
    std::lock_guard lock(seg_mu_);
    for (const auto& [number, size] : segments_) {
      if (number < first_new_segment_) numbers.push_back(number);
    }
  }
  for (const uint64_t number : numbers) {
    const std::string path = SegmentPath(number);
    StatusOr<std::unique_ptr<RandomAccessFile>> file = fs_->NewRandomAccessFile(path);
    if (!file.ok()) {
      if (file.status().code() == StatusCode::kNotFound) continue;  // removed meanwhile
      return file.status();
    }
    SegmentReader reader(**file, options_.max_record_bytes);
    DecodedRecord record;
    uint64_t offset = 0;
    for (bool more = true; more;) {
      switch (reader.Next(&record, &offset)) {
        case SegmentReader::Result::kRecord:
          TW_RETURN_IF_ERROR(fn(record.type, record.payload, WalPosition{number, offset}));
          break;
        case SegmentReader::Result::kEnd: more = false; break;
        case SegmentReader::Result::kBadHeader:
          records_dropped_.fetch_add(1, std::memory_order_relaxed);
          more = false;
          break;
        case SegmentReader::Result::kTorn:
        case SegmentReader::Result::kCorrupt:
          // Cut the rest off, so the next append (and the next replay) starts from intact data.
          records_dropped_.fetch_add(1, std::memory_order_relaxed);
          if (fs_->Truncate(path, reader.good_end()).ok())
            SetSegmentSize(number, reader.good_end());
          more = false;
          break;
        case SegmentReader::Result::kError: return reader.status();
      }
    }
  }
  return OkStatus();
}

void WalImpl::Append(uint8_t type, std::string payload, WalDone done) {
  if (type == 0) {
    done(InvalidArgumentError("wal: record type 0 is reserved"), WalPosition{});
    return;
  }
  if (payload.size() > options_.max_record_bytes) {
    done(InvalidArgumentError("wal: record of " + std::to_string(payload.size()) +
                              " bytes over max_record_bytes " +
                              std::to_string(options_.max_record_bytes)),
         WalPosition{});
    return;
  }
  {
    std::unique_lock lock(mu_);
    if (!closing_) {
      queued_bytes_ += payload.size();
      queue_.push_back(Pending{type, std::move(payload), std::move(done), nullptr});
      lock.unlock();
      cv_.notify_one();
      return;
    }
  }
  done(FailedPreconditionError("wal: closed"), WalPosition{});
}

StatusOr<uint64_t> WalImpl::Rotate() {
  if (std::this_thread::get_id() == writer_id_) {
    return FailedPreconditionError("wal: Rotate called from a done callback");
  }
  auto promise = std::make_shared<std::promise<StatusOr<uint64_t>>>();
  std::future<StatusOr<uint64_t>> future = promise->get_future();
  {
    std::lock_guard lock(mu_);
    if (closing_) return FailedPreconditionError("wal: closed");
    queue_.push_back(Pending{0, {}, nullptr, std::move(promise)});
  }
  cv_.notify_one();
  return future.get();
}

Status WalImpl::RemoveSegmentsBefore(uint64_t segment) {
  std::vector<std::pair<uint64_t, uint64_t>> doomed;
  {
    std::lock_guard lock(seg_mu_);
    // Never the segment being written, nor one not yet created.
    const uint64_t open = active_segment_ != 0 ? active_segment_ : next_segment_;
    const uint64_t limit = segment < open ? segment : open;
    for (auto it = segments_.begin(); it != segments_.end() && it->first < limit;) {
      doomed.emplace_back(*it);
      segment_bytes_total_ -= it->second;
      it = segments_.erase(it);
    }
  }
  Status first_error;
  for (const auto& [number, size] : doomed) {
    Status s = fs_->RemoveFile(SegmentPath(number));
    if (s.ok() || s.code() == StatusCode::kNotFound) continue;
    {
      std::lock_guard lock(seg_mu_);  // still there: keep counting it
      segments_[number] = size;
      segment_bytes_total_ += size;
    }
    if (first_error.ok()) first_error = s;
  }
  return first_error;
}

WalStats WalImpl::Stats() const {
  WalStats stats;
  stats.records_appended = records_appended_.load(std::memory_order_relaxed);
  stats.bytes_appended = bytes_appended_.load(std::memory_order_relaxed);
  stats.syncs = syncs_.load(std::memory_order_relaxed);
  stats.write_errors = write_errors_.load(std::memory_order_relaxed);
  stats.records_dropped_on_replay = records_dropped_.load(std::memory_order_relaxed);
  std::lock_guard lock(seg_mu_);
  stats.segments = segments_.size();
  stats.bytes_on_disk = segment_bytes_total_;
  return stats;
}

Status WalImpl::Close() {
  if (std::this_thread::get_id() == writer_id_) {
    return FailedPreconditionError("wal: Close called from a done callback");
  }
  std::lock_guard close_lock(close_mu_);
  if (closed_) return OkStatus();
  closed_ = true;
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  return close_status_;
}

}  // namespace wal
}  // namespace tracewire::store
