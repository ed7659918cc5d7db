#include "listings/view_counter.hpp"

namespace griha::listings {
namespace {

using storage::params;
using storage::Query;

constexpr Query k_add{"listing_views_add", R"(
INSERT INTO listing_views (listing_id, views) VALUES ($1, $2)
ON CONFLICT (listing_id) DO UPDATE SET views = listing_views.views + excluded.views)"};
constexpr Query k_of_owner{"listing_views_of_owner", R"(
SELECT v.listing_id, v.views FROM listing_views v JOIN listings l ON l.id = v.listing_id
WHERE l.owner_id = $1)"};

}  // namespace

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
    if (auto r = tx->exec(k_add, params(id, n)); !r) {
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
  auto r = db_.exec(k_of_owner, params(owner_id));
  if (!r) return r.error();
  std::map<std::int64_t, std::int64_t> out;
  for (const auto& row : r->rows) out[row.i64(0)] = row.i64(1);
  return out;
}

}  // namespace griha::listings
