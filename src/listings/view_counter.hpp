// Public views of listings, counted in memory and added to listing_views in batches so that
// reading a listing never waits for a database write. Counts not yet flushed are lost if the
// process dies: views are a statistic for listers, not a record anyone relies on.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <unordered_map>

#include "core/error.hpp"
#include "storage/database.hpp"

namespace griha::listings {

class ViewCounter {
 public:
  explicit ViewCounter(storage::Database& db) : db_(db) {}
  void record(std::int64_t listing_id);
  // Adds the counts gathered since the last flush; returns how many listings it touched.
  // On failure the counts are kept for the next flush.
  Result<std::size_t> flush();
  // listing id -> views, for one owner's listings (those never viewed are absent).
  Result<std::map<std::int64_t, std::int64_t>> views_of_owner(std::int64_t owner_id);

 private:
  storage::Database& db_;
  std::mutex mu_;
  std::unordered_map<std::int64_t, std::int64_t> pending_;
};

}  // namespace griha::listings
