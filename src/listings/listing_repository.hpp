// SQL for listings, their audit trail and pending revisions. Statements are built once from
// the field table (listing.hpp) so that a new field is one line there and one migration.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "listings/listing.hpp"
#include "storage/database.hpp"

namespace griha::listings {

struct ListingEvent {
  std::int64_t actor_id = 0;
  std::string at, from_status, to_status, reason;
};

// An active listing as search indexes it: the listing and its cover photo's storage key (the
// photo marked cover, else the first; "" without photos).
struct ActiveListing {
  Listing listing;
  std::string cover_key;
};

struct Revision {
  std::int64_t id = 0;
  std::int64_t listing_id = 0;
  std::string patch;  // the JSON object the lister sent
  std::string created_at;
};

class ListingRepository {
 public:
  explicit ListingRepository(storage::Database& db) : db_(db) {}

  // Inserts `l` (its id is assigned). Inside the caller's transaction.
  Result<std::int64_t> insert(storage::Transaction& tx, const Listing& l);
  // Writes every column of `l` if its stored version is still `expected_version`, and bumps
  // the version. False when someone else wrote first.
  Result<bool> update(storage::Transaction& tx, const Listing& l, std::int64_t expected_version);
  Result<std::optional<Listing>> find(std::int64_t id);
  Result<std::optional<Listing>> find(storage::Transaction& tx, std::int64_t id);
  // The owner's listings, newest first, after `before_id` (0 = from the top).
  Result<std::vector<Listing>> by_owner(std::int64_t owner_id, std::int64_t before_id, int limit);
  Result<void> soft_delete(storage::Transaction& tx, std::int64_t id, const std::string& at);

  Result<void> add_event(storage::Transaction& tx, std::int64_t listing_id, std::int64_t actor_id,
                         std::optional<Status> from, Status to, const std::string& reason,
                         const std::string& at);
  Result<std::vector<ListingEvent>> events(std::int64_t listing_id);

  // One pending revision per listing: a new one supersedes the old.
  Result<void> put_revision(storage::Transaction& tx, std::int64_t listing_id,
                            const std::string& patch, const std::string& at);
  Result<std::optional<Revision>> pending_revision(std::int64_t listing_id);
  Result<void> decide_revision(storage::Transaction& tx, std::int64_t revision_id, bool approved,
                               std::int64_t admin_id, const std::string& reason,
                               const std::string& at);

  // Listings waiting for review and active listings with a pending revision, oldest first.
  Result<std::vector<Listing>> moderation_queue(int limit);
  // Active listings for the search index: ids in (after_id, to_id] ascending; in order of
  // publication after (published_at, id); one by id (nullopt unless active); the largest id.
  Result<std::vector<ActiveListing>> active_by_id(std::int64_t after_id, std::int64_t to_id,
                                                  std::int64_t limit);
  Result<std::vector<ActiveListing>> active_by_published(const std::string& after_published_at,
                                                         std::int64_t after_id, std::int64_t limit);
  Result<std::optional<ActiveListing>> active(std::int64_t id);
  Result<std::int64_t> max_id();

  // Active listings whose expiry has passed.
  Result<std::vector<std::int64_t>> due_to_expire(const std::string& now, int limit);

 private:
  storage::Database& db_;
};

}  // namespace griha::listings
