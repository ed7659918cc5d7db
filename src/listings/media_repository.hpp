// SQL for a listing's photos and floor plans (the listing_media table), and for keeping the
// listing's photo_count in step with it.
#pragma once

#include <vector>

#include "listings/media.hpp"
#include "storage/database.hpp"

namespace griha::listings {

class MediaRepository {
 public:
  explicit MediaRepository(storage::Database& db) : db_(db) {}

  // Ordered by position.
  Result<std::vector<Media>> list(std::int64_t listing_id);
  Result<std::vector<Media>> list(storage::Transaction& tx, std::int64_t listing_id);
  // Takes the listing's row lock (PostgreSQL; SQLite's writer lock already serialises), so
  // that two uploads cannot both pass the per-listing limit.
  Result<void> lock_listing(storage::Transaction& tx, std::int64_t listing_id);
  // Assigns `m.id`.
  Result<void> insert(storage::Transaction& tx, Media& m);
  Result<void> place(storage::Transaction& tx, std::int64_t id, std::int64_t position, bool cover);
  Result<void> remove(storage::Transaction& tx, std::int64_t id);
  // Recounts the listing's photos into listings.photo_count and bumps its version, so that
  // ETags and concurrent If-Match edits see the change.
  Result<void> sync_listing(storage::Transaction& tx, std::int64_t listing_id,
                            const std::string& now);

 private:
  storage::Database& db_;
};

}  // namespace griha::listings
