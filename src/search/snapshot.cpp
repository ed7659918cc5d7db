// The index's write side: builds, upserts and removals publish a new immutable snapshot (base,
// dead rows, delta); the delta is merged into a new base in the background.
#include <unordered_set>

#include "search/run.hpp"

namespace griha::search {

using detail::Partition;
using detail::Postings;
using detail::Segment;
using detail::Word;

Index::Index(IndexOptions options) : options_(std::move(options)), cursors_(options_.cursor_key) {
  std::lock_guard lock(write_mu_);
  publish_locked(Segment::merge(nullptr, nullptr, {}, options_.price_buckets),
                 std::make_shared<const std::vector<Word>>());
}

Index::~Index() {
  join_merge();
}

std::shared_ptr<const Index::Snapshot> Index::snapshot() const {
  return snapshot_.load();
}

void Index::publish_locked(std::shared_ptr<const Segment> base,
                           std::shared_ptr<const std::vector<Word>> dead) {
  std::vector<const Document*> docs;
  docs.reserve(delta_docs_.size());
  for (const auto& [id, d] : delta_docs_) docs.push_back(&d);
  auto delta = Segment::merge(nullptr, nullptr, docs, options_.price_buckets);
  snapshot_.store(std::make_shared<const Snapshot>(
      Snapshot{std::move(base), std::move(dead), std::move(delta)}));
}

void Index::build(std::span<const Document> docs) {
  join_merge();
  std::vector<const Document*> ptrs;
  ptrs.reserve(docs.size());
  std::unordered_set<std::int64_t> seen;
  // A later duplicate replaces an earlier one, as an upsert would.
  for (auto it = docs.rbegin(); it != docs.rend(); ++it) {
    if (seen.insert(it->id).second) ptrs.push_back(&*it);
  }
  auto base = Segment::merge(nullptr, nullptr, ptrs, options_.price_buckets);
  std::lock_guard lock(write_mu_);
  delta_docs_.clear();
  auto dead = std::make_shared<const std::vector<Word>>(base->words(), 0);
  publish_locked(std::move(base), std::move(dead));
}

std::shared_ptr<const std::vector<Word>> Index::dead_with_locked(std::int64_t id) const {
  const auto snap = snapshot();
  const std::int64_t row = snap->base->find(id);
  if (row < 0 || detail::test_bit(snap->dead->data(), static_cast<std::uint32_t>(row))) {
    return snap->dead;
  }
  auto dead = std::make_shared<std::vector<Word>>(*snap->dead);
  detail::set_bit(dead->data(), static_cast<std::uint32_t>(row));
  return dead;
}

void Index::upsert(const Document& doc) {
  std::unique_lock lock(write_mu_);
  auto dead = dead_with_locked(doc.id);
  delta_docs_[doc.id] = doc;
  if (merging_) touched_during_merge_.insert(doc.id);
  publish_locked(snapshot()->base, std::move(dead));
  if (!merging_ && delta_docs_.size() >= options_.merge_threshold) {
    start_merge_locked(lock, options_.background_merge);
  }
}

void Index::remove(std::int64_t id) {
  std::unique_lock lock(write_mu_);
  auto dead = dead_with_locked(id);
  delta_docs_.erase(id);
  if (merging_) touched_during_merge_.insert(id);
  publish_locked(snapshot()->base, std::move(dead));
}

void Index::start_merge_locked(std::unique_lock<std::mutex>& lock, bool background) {
  merging_ = true;
  touched_during_merge_.clear();
  auto snap = snapshot();
  auto frozen = std::make_shared<std::vector<Document>>();
  frozen->reserve(delta_docs_.size());
  for (const auto& [id, d] : delta_docs_) frozen->push_back(d);
  auto work = [this, snap, frozen] {
    std::vector<const Document*> ptrs;
    ptrs.reserve(frozen->size());
    for (const auto& d : *frozen) ptrs.push_back(&d);
    auto merged = Segment::merge(snap->base.get(), snap->dead.get(), ptrs, options_.price_buckets);
    std::lock_guard relock(write_mu_);
    finish_merge_locked(std::move(merged));
  };
  if (background) {
    // A previous merger has finished (merging_ was false) and released the lock; reap it.
    if (merger_.joinable()) merger_.join();
    merger_ = std::thread(work);
  } else {
    lock.unlock();
    work();
    lock.lock();
  }
}

void Index::finish_merge_locked(std::shared_ptr<const Segment> merged) {
  // Documents written while the merge ran stay in the delta; their older versions in the new
  // base are hidden.
  auto dead = std::make_shared<std::vector<Word>>(merged->words(), 0);
  for (std::int64_t id : touched_during_merge_) {
    const std::int64_t row = merged->find(id);
    if (row >= 0) detail::set_bit(dead->data(), static_cast<std::uint32_t>(row));
  }
  std::erase_if(delta_docs_,
                [&](const auto& e) { return !touched_during_merge_.contains(e.first); });
  touched_during_merge_.clear();
  merging_ = false;
  publish_locked(std::move(merged), std::move(dead));
}

void Index::join_merge() {
  std::thread t;
  {
    std::lock_guard lock(write_mu_);
    t = std::move(merger_);
  }
  if (t.joinable()) t.join();
}

void Index::compact() {
  for (;;) {
    join_merge();
    std::unique_lock lock(write_mu_);
    if (merging_) continue;  // another writer started a merge meanwhile: wait for it too
    const auto snap = snapshot();
    if (delta_docs_.empty() && detail::count(snap->dead->data(), snap->dead->size()) == 0) return;
    start_merge_locked(lock, false);
    return;
  }
}

IndexStats Index::stats() const {
  const auto snap = snapshot();
  const std::size_t dead = detail::count(snap->dead->data(), snap->dead->size());
  return {snap->base->live_count() - dead + snap->delta->live_count(), snap->delta->live_count(),
          snap->base->memory_bytes() + snap->delta->memory_bytes() + snap->dead->capacity() * 8};
}

}  // namespace griha::search
