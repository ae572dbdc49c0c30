// The writer thread of WalImpl: group commit, segment roll, recovery from failed writes.
#include "store/wal/wal_format.h"
#include "store/wal/wal_impl.h"

namespace tracewire::store::wal {
namespace {

// Under kAlways a batch smaller than this waits up to group_commit_window for more appends.
constexpr size_t kGroupRecords = 64;
constexpr uint64_t kGroupBytes = 1 << 20;

Status AsUnavailable(const Status& s) {
  return s.code() == StatusCode::kUnavailable ? s : UnavailableError(s.ToString());
}

}  // namespace

void WalImpl::WriterLoop() {
  std::vector<Pending> batch;
  const bool interval = options_.sync == SyncPolicy::kInterval;
  const bool group =
      options_.sync == SyncPolicy::kAlways && options_.group_commit_window.count() > 0;
  std::unique_lock lock(mu_);
  for (;;) {
    while (queue_.empty() && !closing_) {
      if (interval && dirty_) {
        const auto due = last_sync_ + options_.sync_interval;
        if (cv_.wait_until(lock, due) == std::cv_status::timeout && queue_.empty()) {
          lock.unlock();
          SyncNow();
          lock.lock();
        }
      } else {
        cv_.wait(lock);
      }
    }
    if (queue_.empty()) break;  // closing, and everything is written
    if (group && !closing_ && queue_.size() < kGroupRecords && queued_bytes_ < kGroupBytes) {
      cv_.wait_for(lock, options_.group_commit_window, [&] {
        return closing_ || queue_.size() >= kGroupRecords || queued_bytes_ >= kGroupBytes;
      });
    }
    batch.swap(queue_);
    queued_bytes_ = 0;
    lock.unlock();
    ProcessBatch(batch);
    batch.clear();
    lock.lock();
  }
  lock.unlock();
  // Close: whatever the policy, what was written is synced once.
  Status status;
  if (pending_cut_) CutBack();
  if (file_ != nullptr) {
    if (dirty_) {
      status = file_->Sync();
      if (status.ok()) syncs_.fetch_add(1, std::memory_order_relaxed);
    }
    Status closed = file_->Close();
    if (status.ok()) status = closed;
    file_.reset();
    std::lock_guard seg_lock(seg_mu_);
    active_segment_ = 0;
  }
  close_status_ = status;
}

void WalImpl::ProcessBatch(std::vector<Pending>& batch) {
  size_t begin = 0;
  for (size_t i = 0; i <= batch.size(); ++i) {
    if (i < batch.size() && batch[i].rotate == nullptr) continue;
    if (begin < i) WriteRun(batch, begin, i);
    begin = i + 1;
    if (i == batch.size()) break;
    // A rotate request: end the segment; the next record starts the new one.
    if (pending_cut_ && !CutBack()) {
      // Give the segment up: later records must go into the new one. Replay cuts its tail.
      pending_cut_ = false;
      file_segment_ = 0;
      dirty_ = false;
      std::lock_guard seg_lock(seg_mu_);
      active_segment_ = 0;
    }
    if (file_ != nullptr) CloseSegment(options_.sync != SyncPolicy::kNever);
    uint64_t number = 0;
    {
      std::lock_guard seg_lock(seg_mu_);
      number = next_segment_;
    }
    batch[i].rotate->set_value(number);
  }
}

void WalImpl::WriteRun(std::vector<Pending>& batch, size_t begin, size_t end) {
  if (pending_cut_ && !CutBack()) {
    FailRun(batch, begin, end, UnavailableError("wal: cannot cut off a failed write"));
    return;
  }
  if (file_ == nullptr) {
    Status opened = OpenSegment();
    if (!opened.ok()) {
      write_errors_.fetch_add(1, std::memory_order_relaxed);
      FailRun(batch, begin, end, AsUnavailable(opened));
      return;
    }
  }
  // HOT PATH (per record): encode headers into one buffer, gather header+payload pieces.
  const size_t n = end - begin;
  headers_.resize(n * kRecordHeaderSize);
  pieces_.clear();
  uint64_t bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    const Pending& p = batch[begin + i];
    char* header = headers_.data() + i * kRecordHeaderSize;
    EncodeRecordHeader(p.type, p.payload, header);
    pieces_.emplace_back(header, kRecordHeaderSize);
    pieces_.emplace_back(p.payload);
    bytes += kRecordHeaderSize + p.payload.size();
  }
  Status s = file_->AppendV(pieces_.data(), pieces_.size());
  if (s.ok() && options_.sync == SyncPolicy::kAlways) {
    s = file_->Sync();
    if (s.ok()) syncs_.fetch_add(1, std::memory_order_relaxed);
  }
  if (!s.ok()) {
    write_errors_.fetch_add(1, std::memory_order_relaxed);
    pending_cut_ = true;
    CutBack();  // before anything else is written; retried before the next write if it fails
    FailRun(batch, begin, end, AsUnavailable(s));
    return;
  }
  const uint64_t start = good_end_;
  good_end_ += bytes;
  dirty_ = options_.sync != SyncPolicy::kAlways;
  SetSegmentSize(file_segment_, good_end_);
  records_appended_.fetch_add(n, std::memory_order_relaxed);
  bytes_appended_.fetch_add(bytes, std::memory_order_relaxed);

  uint64_t offset = start;
  for (size_t i = begin; i < end; ++i) {
    batch[i].done(OkStatus(), WalPosition{file_segment_, offset});
    offset += kRecordHeaderSize + batch[i].payload.size();
  }
  if (options_.sync == SyncPolicy::kInterval &&
      std::chrono::steady_clock::now() - last_sync_ >= options_.sync_interval) {
    SyncNow();
  }
  if (good_end_ >= options_.segment_bytes) CloseSegment(options_.sync != SyncPolicy::kNever);
}

void WalImpl::FailRun(std::vector<Pending>& batch, size_t begin, size_t end, const Status& why) {
  for (size_t i = begin; i < end; ++i) batch[i].done(why, WalPosition{});
}

Status WalImpl::OpenSegment() {
  uint64_t number = 0;
  {
    std::lock_guard seg_lock(seg_mu_);
    number = next_segment_;
  }
  const std::string path = SegmentPath(number);
  StatusOr<std::unique_ptr<WritableFile>> file = fs_->NewWritableFile(path, /*truncate=*/true);
  if (!file.ok()) return file.status();
  char header[kSegmentHeaderSize];
  EncodeSegmentHeader(header);
  Status s = (*file)->Append(std::string_view(header, sizeof(header)));
  if (s.ok()) s = fs_->SyncDir(options_.dir);  // the new name survives power loss
  if (!s.ok()) {
    (void)(*file)->Close();
    (void)fs_->RemoveFile(path);
    return s;
  }
  {
    std::lock_guard seg_lock(seg_mu_);
    next_segment_ = number + 1;
    active_segment_ = number;
    segment_bytes_total_ += kSegmentHeaderSize - segments_[number];  // 0 when new
    segments_[number] = kSegmentHeaderSize;
  }
  file_ = std::move(*file);
  file_segment_ = number;
  file_path_ = path;
  good_end_ = kSegmentHeaderSize;
  dirty_ = options_.sync != SyncPolicy::kAlways;
  if (dirty_ && last_sync_ == std::chrono::steady_clock::time_point{}) {
    last_sync_ = std::chrono::steady_clock::now();
  }
  return OkStatus();
}

void WalImpl::CloseSegment(bool sync) {
  if (sync && dirty_) {
    if (file_->Sync().ok()) {
      syncs_.fetch_add(1, std::memory_order_relaxed);
    } else {
      write_errors_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  (void)file_->Close();
  file_.reset();
  file_segment_ = 0;
  dirty_ = false;
  std::lock_guard seg_lock(seg_mu_);
  active_segment_ = 0;
}

bool WalImpl::CutBack() {
  if (file_ != nullptr) {
    (void)file_->Close();
    file_.reset();
  }
  if (!fs_->Truncate(file_path_, good_end_).ok()) return false;
  pending_cut_ = false;
  StatusOr<std::unique_ptr<WritableFile>> file = fs_->NewWritableFile(file_path_, false);
  if (file.ok() && (*file)->size() == good_end_) {
    file_ = std::move(*file);
    return true;
  }
  // The segment ends cleanly at good_end_; the next write starts a new one.
  file_segment_ = 0;
  dirty_ = false;
  std::lock_guard seg_lock(seg_mu_);
  active_segment_ = 0;
  return true;
}

void WalImpl::SyncNow() {
  last_sync_ = std::chrono::steady_clock::now();
  if (file_ == nullptr || !dirty_) return;
  if (file_->Sync().ok()) {
    syncs_.fetch_add(1, std::memory_order_relaxed);
    dirty_ = false;
  } else {
    write_errors_.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace tracewire::store::wal
