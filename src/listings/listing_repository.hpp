// The listings table, its audit trail (listing_events), pending revisions
// (listing_revisions) and view counts (listing_views): the only SQL that touches them. Other
// modules call these functions (or ListingService) rather than reading the tables. Statements are
// built once from the field table (listing.hpp), so a new field is one line there and one
// migration. Every function runs where its Executor says: pass the transaction for a read that
// decides a write.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "listings/listing.hpp"
#include "storage/executor.hpp"

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

// What other modules need to know of a listing that is not deleted, whatever its status.
struct ListingRef {
  std::int64_t id = 0;
  std::int64_t owner_id = 0;
  Status status = Status::draft;
  std::string title;                          // "" when none
  std::int64_t city_id = 0, locality_id = 0;  // 0: not set
};

struct CityStatusCount {
  std::optional<std::int64_t> city_id;
  std::string status;
  std::int64_t count = 0;
};

namespace repo {

using storage::Executor;

// Inserts `l` and returns its id.
Result<std::int64_t> insert(Executor ex, const Listing& l);
// Writes every column of `l` if its stored version is still `expected_version`, and bumps
// the version. False when someone else wrote first.
Result<bool> update(Executor ex, const Listing& l, std::int64_t expected_version);
Result<std::optional<Listing>> find(Executor ex, std::int64_t id);
// The owner's listings, newest first, after `before_id` (0 = from the top).
Result<std::vector<Listing>> by_owner(Executor ex, std::int64_t owner_id, std::int64_t before_id,
                                      int limit);
Result<void> soft_delete(Executor ex, std::int64_t id, const std::string& at);
Result<std::optional<ListingRef>> ref(Executor ex, std::int64_t id);
// Takes the listing's row lock until the transaction ends (PostgreSQL; SQLite's writer lock
// already serialises), so that writes to what hangs off one listing queue up.
Result<void> lock(Executor ex, std::int64_t id);

Result<void> add_event(Executor ex, std::int64_t listing_id, std::int64_t actor_id,
                       std::optional<Status> from, Status to, const std::string& reason,
                       const std::string& at);
Result<std::vector<ListingEvent>> events(Executor ex, std::int64_t listing_id);

// One pending revision per listing: a new one supersedes the old.
Result<void> put_revision(Executor ex, std::int64_t listing_id, const std::string& patch,
                          const std::string& at);
Result<std::optional<Revision>> pending_revision(Executor ex, std::int64_t listing_id);
Result<void> decide_revision(Executor ex, std::int64_t revision_id, bool approved,
                             std::int64_t admin_id, const std::string& reason,
                             const std::string& at);

// Listings waiting for review and active listings with a pending revision, oldest first.
Result<std::vector<Listing>> moderation_queue(Executor ex, int limit);
// Active listings for the search index: ids in (after_id, to_id] ascending; in order of
// publication after (published_at, id); one by id (nullopt unless active); the largest id.
Result<std::vector<ActiveListing>> active_by_id(Executor ex, std::int64_t after_id,
                                                std::int64_t to_id, std::int64_t limit);
Result<std::vector<ActiveListing>> active_by_published(Executor ex,
                                                       const std::string& after_published_at,
                                                       std::int64_t after_id, std::int64_t limit);
Result<std::optional<ActiveListing>> active(Executor ex, std::int64_t id);
Result<std::int64_t> max_id(Executor ex);
// Active listings whose expiry has passed.
Result<std::vector<std::int64_t>> due_to_expire(Executor ex, const std::string& now, int limit);
// Adds `n` to the listing's view count (listing_views).
Result<void> add_views(Executor ex, std::int64_t listing_id, std::int64_t n);
// listing id -> views, for the owner's listings that have any.
Result<std::map<std::int64_t, std::int64_t>> views_of_owner(Executor ex, std::int64_t owner_id);
// Listings that are not deleted, counted by gazetteer city and status (admin figures).
Result<std::vector<CityStatusCount>> count_by_city_status(Executor ex);

}  // namespace repo
}  // namespace griha::listings
