// The write side of StoreImpl: appends through the WAL into the head, head cuts into blocks,
// compaction and retention.
#include <algorithm>

#include "store/block/block_writer.h"
#include "store/format/row_format.h"
#include "store/format/wal_payload.h"
#include "store/store_impl.h"

namespace tracewire::store {

void StoreImpl::AppendSpans(std::shared_ptr<const model::SpanBatch> batch, AppendDone done) {
  // HOT PATH (per batch): one allocation sized from the encodings seen so far (bytes per span,
  // a little over), so encoding never regrows and recopies the payload.
  std::string payload;
  const uint64_t per_span = encoded_bytes_per_span_.load(std::memory_order_relaxed);
  payload.reserve(format::kWalSeqBytes + 1024 + batch->spans.size() * per_span);
  payload.resize(format::kWalSeqBytes);
  format::EncodeSpans(*batch, &payload);
  if (!batch->spans.empty()) {
    const uint64_t seen = payload.size() / batch->spans.size() + 1;
    encoded_bytes_per_span_.store(seen + seen / 8, std::memory_order_relaxed);
  }
  const uint64_t n = batch->spans.size();
  Append(
      kWalSpans, std::move(payload),
      [batch = std::move(batch)](head::Head* h) mutable { h->AddSpans(std::move(batch)); }, n,
      std::move(done));
}

void StoreImpl::AppendLogs(std::shared_ptr<const model::LogBatch> batch, AppendDone done) {
  std::string payload(format::kWalSeqBytes, '\0');
  format::EncodeLogs(*batch, &payload);
  const uint64_t n = batch->records.size();
  Append(
      kWalLogs, std::move(payload),
      [batch = std::move(batch)](head::Head* h) mutable { h->AddLogs(std::move(batch)); }, n,
      std::move(done));
}

void StoreImpl::Append(uint8_t type, std::string payload, std::function<void(head::Head*)> add,
                       uint64_t items, AppendDone done) {
  std::unique_lock<std::mutex> lock(append_mu_);
  if (closed_) {
    lock.unlock();
    ++append_errors_;
    done(FailedPreconditionError("store: closed"));
    return;
  }
  ++issued_;
  format::SetWalSeq(++next_seq_, &payload);
  wal_->Append(type, std::move(payload),
               [this, type, items, add = std::move(add), done = std::move(done)](
                   Status s, WalPosition) mutable {
                 if (s.ok()) {
                   bool due = false;
                   {
                     std::unique_lock<std::shared_mutex> h(head_mu_);
                     if (head_->empty()) head_first_ns_ = Now();
                     add(head_.get());
                     due = head_->bytes() >= options_.head_max_bytes;
                   }
                   (type == kWalSpans ? spans_appended_ : logs_appended_) += items;
                   if (due) {
                     std::lock_guard<std::mutex> bg(bg_mu_);
                     bg_wake_ = true;
                     bg_cv_.notify_one();
                   }
                 } else {
                   ++append_errors_;
                 }
                 done(std::move(s));
                 std::lock_guard<std::mutex> d(done_mu_);
                 ++completed_;
                 done_cv_.notify_all();
               });
}

void StoreImpl::WaitForAppends() {
  uint64_t target = 0;
  {
    std::lock_guard<std::mutex> lock(append_mu_);
    target = issued_;
  }
  std::unique_lock<std::mutex> lock(done_mu_);
  done_cv_.wait(lock, [&] { return completed_ >= target; });
}

Status StoreImpl::CutHead(bool force) {
  bool cut = false;
  {
    std::shared_lock<std::shared_mutex> h(head_mu_);
    const bool due = !head_->empty() &&
                     (head_->bytes() >= options_.head_max_bytes ||
                      Now() - head_first_ns_ >=
                          static_cast<uint64_t>(options_.head_max_age.count()) * 1000000000ull);
    cut = force ? !head_->empty() : due;
  }
  if (!cut) return WriteFrozen();
  // Everything handed to the WAL before the rotation goes to the head being cut, everything
  // after it to the new head; so the cut head's records lie exactly in segments < boundary.
  uint64_t target = 0;
  uint64_t last_seq = 0;
  StatusOr<uint64_t> boundary = uint64_t{0};
  {
    std::lock_guard<std::mutex> lock(append_mu_);
    target = issued_;
    last_seq = next_seq_;
    boundary = wal_->Rotate();
  }
  if (!boundary.ok()) return boundary.status();
  {
    std::unique_lock<std::mutex> lock(done_mu_);
    done_cv_.wait(lock, [&] { return completed_ >= target; });
  }
  {
    std::unique_lock<std::shared_mutex> h(head_mu_);
    frozen_.push_back(head_);
    frozen_wal_end_.push_back(*boundary);
    frozen_last_seq_.push_back(last_seq);
    head_ = std::make_shared<head::Head>(&indexed_, next_block_id_++);
  }
  return WriteFrozen();
}

Status StoreImpl::WriteFrozen() {
  while (true) {
    std::shared_ptr<head::Head> h;
    uint64_t wal_end = 0;
    uint64_t last_seq = 0;
    {
      std::shared_lock<std::shared_mutex> lock(head_mu_);
      if (frozen_.empty()) return OkStatus();
      h = frozen_.front();
      wal_end = frozen_wal_end_.front();
      last_seq = frozen_last_seq_.front();
    }
    std::shared_ptr<const block::Block> b;
    if (!h->empty()) {
      // A frozen head is never written to again, so reading it without head_mu_ is safe.
      block::BlockContents c;
      c.id = h->id();
      c.cover_lo = c.cover_hi = h->id();
      c.last_seq = last_seq;
      c.stored_ns = Now();
      h->AllSpans(&c.spans);
      h->AllLogs(&c.logs);
      auto dir = block::WriteBlock(fs_, blocks_dir_, std::move(c), indexed_);
      if (!dir.ok()) {
        ++block_write_errors_;
        return dir.status();
      }
      auto opened = block::Block::Open(fs_, *dir);
      if (!opened.ok()) {
        ++block_write_errors_;
        return opened.status();
      }
      b = std::move(*opened);
    }
    {
      std::unique_lock<std::shared_mutex> lock(head_mu_);
      if (b != nullptr) {
        std::lock_guard<std::mutex> bl(blocks_mu_);
        blocks_.push_back(b);
      }
      frozen_.erase(frozen_.begin());
      frozen_wal_end_.erase(frozen_wal_end_.begin());
      frozen_last_seq_.erase(frozen_last_seq_.begin());
    }
    TW_RETURN_IF_ERROR(wal_->RemoveSegmentsBefore(wal_end));
  }
}

Status StoreImpl::ApplyRetention() {
  const uint64_t now = Now();
  const uint64_t max_age =
      static_cast<uint64_t>(options_.retention_max_age.count()) * 1000000000ull;
  std::vector<std::shared_ptr<const block::Block>> dropped;
  {
    std::lock_guard<std::mutex> lock(blocks_mu_);
    if (max_age > 0 && now > max_age) {
      std::erase_if(blocks_, [&](const auto& b) {
        if (b->meta().max_time_ns >= now - max_age) return false;
        dropped.push_back(b);
        return true;
      });
    }
    if (options_.retention_max_bytes > 0) {
      uint64_t total = 0;
      for (const auto& b : blocks_) total += b->bytes_on_disk();
      while (!blocks_.empty() && total > options_.retention_max_bytes) {
        total -= blocks_.front()->bytes_on_disk();
        dropped.push_back(blocks_.front());
        blocks_.erase(blocks_.begin());
      }
    }
  }
  for (const auto& b : dropped) RemoveBlockDir(b->dir());
  dropped_by_retention_ += dropped.size();
  return OkStatus();
}

Status StoreImpl::Compact() {
  const uint64_t now = Now();
  const uint64_t window = static_cast<uint64_t>(options_.compaction_window.count()) * 1000000000ull;
  // A full head cuts into a block of roughly 1/10 of head_max_bytes on disk (columns compress
  // well below the in-memory batches), so only blocks far below that — cut early by age, Flush
  // or Close — are "small" and merged; a merge stops at head_max_bytes / 8. Full-size cuts are
  // never rewritten, which keeps compaction off the ingest path's CPU budget.
  const uint64_t small = std::max<uint64_t>(options_.head_max_bytes / 64, 1);
  const uint64_t target = std::max<uint64_t>(options_.head_max_bytes / 8, 1);
  BlockList blocks = SnapshotBlocks();
  size_t i = 0;
  while (i < blocks.size()) {
    auto eligible = [&](const block::Block& b) {
      return b.bytes_on_disk() < small && b.meta().max_time_ns + window >= now;
    };
    if (!eligible(*blocks[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    uint64_t bytes = 0;
    while (j < blocks.size() && eligible(*blocks[j]) && bytes < target) {
      bytes += blocks[j]->bytes_on_disk();
      ++j;
    }
    if (j - i < 2) {
      i = j;
      continue;
    }
    // Merge blocks[i, j).
    std::vector<std::unique_ptr<model::SpanBatch>> span_pages;
    std::vector<std::unique_ptr<model::LogBatch>> log_pages;
    block::BlockContents c;
    c.id = next_block_id_++;
    c.cover_lo = UINT64_MAX;
    for (size_t k = i; k < j; ++k) {
      const block::Block& b = *blocks[k];
      c.cover_lo = std::min(c.cover_lo, b.meta().cover_lo);
      c.cover_hi = std::max(c.cover_hi, b.meta().cover_hi);
      c.last_seq = std::max(c.last_seq, b.meta().last_seq);
      c.stored_ns = std::max(c.stored_ns, b.meta().max_time_ns);
      for (uint32_t p = 0; p < b.index().span_pages.size(); ++p) {
        auto page = b.ReadSpanPage(p);
        if (!page.ok()) return page.status();
        for (uint32_t s = 0; s < (*page)->spans.size(); ++s) c.spans.push_back({page->get(), s});
        span_pages.push_back(std::move(*page));
      }
      for (uint32_t p = 0; p < b.index().log_pages.size(); ++p) {
        auto page = b.ReadLogPage(p);
        if (!page.ok()) return page.status();
        for (uint32_t s = 0; s < (*page)->records.size(); ++s) c.logs.push_back({page->get(), s});
        log_pages.push_back(std::move(*page));
      }
    }
    auto dir = block::WriteBlock(fs_, blocks_dir_, std::move(c), indexed_);
    if (!dir.ok()) return dir.status();
    auto merged = block::Block::Open(fs_, *dir);
    if (!merged.ok()) return merged.status();
    {
      std::lock_guard<std::mutex> lock(blocks_mu_);
      auto first = std::find(blocks_.begin(), blocks_.end(), blocks[i]);
      // Retention may have dropped some meanwhile; only replace a run still in place.
      if (first != blocks_.end() && static_cast<size_t>(blocks_.end() - first) >= j - i &&
          std::equal(blocks.begin() + static_cast<ptrdiff_t>(i),
                     blocks.begin() + static_cast<ptrdiff_t>(j), first)) {
        const auto at = blocks_.erase(first, first + static_cast<ptrdiff_t>(j - i));
        blocks_.insert(at, *merged);
      } else {
        RemoveBlockDir((*merged)->dir());
        return OkStatus();
      }
    }
    for (size_t k = i; k < j; ++k) RemoveBlockDir(blocks[k]->dir());
    ++compactions_;
    i = j;
  }
  return OkStatus();
}

Status StoreImpl::Maintain(bool force_cut) {
  std::lock_guard<std::mutex> lock(maint_mu_);
  Status cut = CutHead(force_cut);
  Status ret = ApplyRetention();
  Status comp = Compact();
  if (!cut.ok()) return cut;
  return ret.ok() ? comp : ret;
}

Status StoreImpl::Flush() {
  if (closed_) return FailedPreconditionError("store: closed");
  WaitForAppends();
  return Maintain(/*force_cut=*/true);
}

StoreImpl::BlockList StoreImpl::SnapshotBlocks() const {
  std::lock_guard<std::mutex> lock(blocks_mu_);
  return blocks_;
}

}  // namespace tracewire::store
