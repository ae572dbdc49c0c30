// Store::Open, recovery and shutdown of StoreImpl.
#include <algorithm>
#include <chrono>

#include "store/block/block_format.h"
#include "store/block/block_writer.h"
#include "store/format/row_format.h"
#include "store/format/wal_payload.h"
#include "store/store_impl.h"

namespace tracewire::store {

StatusOr<std::unique_ptr<Store>> Store::Open(StoreOptions options) {
  return OpenStoreOn(std::move(options), FileSystem::Default());
}

StatusOr<std::unique_ptr<Store>> OpenStoreOn(StoreOptions options, FileSystem* fs) {
  if (options.data_dir.empty()) return InvalidArgumentError("store: data_dir is empty");
  if (options.head_max_bytes == 0) return InvalidArgumentError("store: head_max_bytes is 0");
  if (options.wal_segment_bytes == 0) return InvalidArgumentError("store: wal_segment_bytes is 0");
  if (options.indexed_attributes.size() > 64) {
    return InvalidArgumentError("store: more than 64 indexed_attributes");
  }
  if (!options.now_ns) {
    options.now_ns = [] {
      return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    };
  }
  auto store = std::make_unique<StoreImpl>(std::move(options), fs);
  TW_RETURN_IF_ERROR(store->Recover());
  return std::unique_ptr<Store>(std::move(store));
}

StoreImpl::StoreImpl(StoreOptions options, FileSystem* fs)
    : options_(std::move(options)),
      fs_(fs),
      indexed_(options_.indexed_attributes),
      blocks_dir_(options_.data_dir + "/blocks") {}

StoreImpl::~StoreImpl() { (void)Close(); }

Status StoreImpl::Recover() {
  auto unavailable = [](const Status& s) {
    return UnavailableError("store: cannot use data dir: " + s.message());
  };
  if (Status s = fs_->CreateDirs(blocks_dir_); !s.ok()) return unavailable(s);
  auto names = fs_->ListDir(blocks_dir_);
  if (!names.ok()) return unavailable(names.status());
  uint64_t max_id = 0;
  uint64_t last_seq = 0;
  for (const std::string& name : *names) {
    const std::string dir = blocks_dir_ + "/" + name;
    if (name.starts_with(block::kTmpPrefix)) {
      (void)fs_->RemoveDirRecursive(dir);  // an interrupted write
      continue;
    }
    auto b = block::Block::Open(fs_, dir);
    if (!b.ok() || block::BlockDirName((*b)->meta().id) != name) {
      ++blocks_ignored_;
      continue;
    }
    blocks_.push_back(std::move(*b));
  }
  // A compaction interrupted after writing its result leaves the blocks it merged behind.
  std::erase_if(blocks_, [&](const std::shared_ptr<const block::Block>& b) {
    for (const auto& o : blocks_) {
      if (o != b && o->meta().cover_lo <= b->meta().cover_lo &&
          b->meta().cover_hi <= o->meta().cover_hi && o->meta().id > b->meta().id) {
        RemoveBlockDir(b->dir());
        return true;
      }
    }
    return false;
  });
  std::sort(blocks_.begin(), blocks_.end(),
            [](const auto& a, const auto& b) { return a->meta().cover_lo < b->meta().cover_lo; });
  for (const auto& b : blocks_) {
    max_id = std::max({max_id, b->meta().id, b->meta().cover_hi});
    last_seq = std::max(last_seq, b->meta().last_seq);
  }
  // Ids are also taken from ignored directories' names so a new block never reuses one.
  for (const std::string& name : *names) {
    if (name.size() == 16) {
      char* end = nullptr;
      const uint64_t id = std::strtoull(name.c_str(), &end, 16);
      if (end == name.c_str() + 16) max_id = std::max(max_id, id);
    }
  }
  next_block_id_ = max_id + 1;

  WalOptions wo;
  wo.dir = options_.data_dir + "/wal";
  wo.fs = fs_;
  wo.sync = options_.sync;
  wo.sync_interval = options_.sync_interval;
  wo.group_commit_window = options_.group_commit_window;
  wo.segment_bytes = options_.wal_segment_bytes;
  auto wal = Wal::Open(wo);
  if (!wal.ok()) return wal.status();
  wal_ = std::move(*wal);
  // Segments whose records are all in blocks go at the next head cut (its Rotate boundary);
  // until then their records are recognized by seq and skipped.
  next_seq_ = last_seq;

  head_ = std::make_shared<head::Head>(&indexed_, next_block_id_++);
  Status replay = wal_->Replay([&](uint8_t type, std::string_view payload, WalPosition) {
    uint64_t seq = 0;
    std::string_view record;
    if (!format::SplitWalPayload(payload, &seq, &record)) {
      ++records_dropped_;
      return OkStatus();
    }
    if (seq <= last_seq) return OkStatus();  // already in a block
    next_seq_ = std::max(next_seq_, seq);
    if (type == kWalSpans) {
      auto batch = format::DecodeSpans(std::string(record));
      if (!batch.ok()) {
        ++records_dropped_;
        return OkStatus();
      }
      spans_appended_ += (*batch)->spans.size();
      head_->AddSpans(std::shared_ptr<const model::SpanBatch>(std::move(*batch)));
    } else if (type == kWalLogs) {
      auto batch = format::DecodeLogs(std::string(record));
      if (!batch.ok()) {
        ++records_dropped_;
        return OkStatus();
      }
      logs_appended_ += (*batch)->records.size();
      head_->AddLogs(std::shared_ptr<const model::LogBatch>(std::move(*batch)));
    } else {
      ++records_dropped_;
    }
    return OkStatus();
  });
  if (!replay.ok()) return replay;
  if (!head_->empty()) head_first_ns_ = Now();
  bg_ = std::thread([this] { BackgroundLoop(); });
  return OkStatus();
}

Status StoreImpl::Close() {
  {
    std::lock_guard<std::mutex> lock(append_mu_);
    if (closed_.exchange(true)) return OkStatus();
  }
  {
    std::lock_guard<std::mutex> lock(bg_mu_);
    bg_stop_ = true;
  }
  bg_cv_.notify_all();
  if (bg_.joinable()) bg_.join();
  WaitForAppends();
  Status s;
  {
    std::lock_guard<std::mutex> lock(maint_mu_);
    s = CutHead(/*force=*/true);
  }
  Status w = wal_ != nullptr ? wal_->Close() : OkStatus();
  return s.ok() ? w : s;
}

void StoreImpl::BackgroundLoop() {
  std::unique_lock<std::mutex> lock(bg_mu_);
  while (!bg_stop_) {
    bg_cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return bg_stop_ || bg_wake_; });
    if (bg_stop_) break;
    bg_wake_ = false;
    lock.unlock();
    (void)Maintain(/*force_cut=*/false);
    lock.lock();
  }
}

void StoreImpl::RemoveBlockDir(const std::string& dir) { (void)fs_->RemoveDirRecursive(dir); }

}  // namespace tracewire::store
