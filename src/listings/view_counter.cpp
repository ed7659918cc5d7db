#include "listings/view_counter.hpp"

#include "listings/listing_repository.hpp"

namespace griha::listings {
void ViewCounter::record(std::int64_t listing_id) {
  std::lock_guard lock(mu_);
  ++pending_[listing_id];
}

Result<std::size_t> ViewCounter::flush() {
  std::unordered_map<std::int64_t, std::int64_t> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
  }
  if (batch.empty()) return std::size_t{0};
  auto put_back = [&] {
    std::lock_guard lock(mu_);
    for (const auto& [id, n] : batch) pending_[id] += n;
  };
  auto tx = db_.begin();
  if (!tx) {
    put_back();
    return tx.error();
  }
  for (const auto& [id, n] : batch) {
    if (auto r = repo::add_views(*tx, id, n); !r) {
      put_back();
      return r.error();
    }
  }
  if (auto c = tx->commit(); !c) {
    put_back();
    return c.error();
  }
  return batch.size();
}

Result<std::map<std::int64_t, std::int64_t>> ViewCounter::views_of_owner(std::int64_t owner_id) {
  return repo::views_of_owner(db_, owner_id);
}

}  // namespace griha::listings
