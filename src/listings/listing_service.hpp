// The rules of a listing's life: who may create, see, edit and move it through draft ->
// pending_review -> active -> sold / rented / withdrawn / expired, with every transition
// audited and material edits of a live listing held for review.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/principal.hpp"
#include "core/time.hpp"
#include "listings/csv_import.hpp"
#include "listings/listing.hpp"
#include "listings/listing_repository.hpp"

namespace griha::listings {

class Gazetteer;

struct ListingOptions {
  int expiry_days = 90;  // an active listing expires this long after approval or renewal
};

struct UpdateOutcome {
  Listing listing;              // as it is now visible
  bool pending_review = false;  // material edits to an active listing wait for review
};

struct QueueItem {
  Listing listing;
  std::optional<Revision> revision;  // for an active listing's held edit
  boost::json::object diff;          // field -> {"from": .., "to": ..}
};

class ListingService {
 public:
  // `on_change` is told of every listing whose public view may have changed, after commit.
  ListingService(storage::Database& db, const Gazetteer& gazetteer, ListingOptions options,
                 Clock clock = system_clock(), std::function<void(std::int64_t)> on_change = {});

  Result<Listing> create(const Principal& actor, const boost::json::object& body);
  // Active listings are public; anything else is visible to its owner and admins only, and
  // is "not found" to everyone else, so walking ids reveals nothing.
  Result<Listing> get(const std::optional<Principal>& actor, std::int64_t id);
  Result<UpdateOutcome> update(const Principal& actor, std::int64_t id,
                               const boost::json::object& patch,
                               std::optional<std::int64_t> if_match_version);
  Result<void> remove(const Principal& actor, std::int64_t id);
  Result<std::vector<Listing>> mine(const Principal& actor, std::int64_t before_id, int limit);
  Result<std::vector<ListingEvent>> history(const Principal& actor, std::int64_t id);

  Result<Listing> submit(const Principal& actor, std::int64_t id);
  Result<Listing> renew(const Principal& actor, std::int64_t id);
  Result<Listing> withdraw(const Principal& actor, std::int64_t id);
  Result<Listing> close(const Principal& actor, std::int64_t id, Status outcome);

  Result<Listing> approve(const Principal& admin, std::int64_t id);
  Result<Listing> reject(const Principal& admin, std::int64_t id, const std::string& reason);
  Result<Listing> set_flags(const Principal& admin, std::int64_t id, std::optional<bool> featured,
                            std::optional<bool> verified);
  Result<std::vector<QueueItem>> moderation_queue(const Principal& admin, int limit);

  // Moves active listings past their expiry to expired; returns how many.
  Result<int> expire_due();

  // Bulk import (agents and builders): each row is checked as create() checks a body, and as
  // submit() checks a listing when `options.submit`. The valid rows are written in one
  // transaction; with all_or_nothing, none are unless every row is valid.
  Result<ImportReport> import(const Principal& actor, const std::vector<ImportRow>& rows,
                              ImportOptions options);

  // Loads a listing the actor owns (or any, for an admin), inside `tx`. Public because what
  // belongs to a listing (its photos, see MediaService) is changed by the same rule.
  Result<Listing> load_owned(storage::Transaction& tx, const Principal& actor, std::int64_t id);

 private:
  // Writes `l` (bumping version and updated_at) and records the transition, then commits.
  Result<Listing> save(storage::Transaction& tx, Listing l, std::int64_t actor_id,
                       std::optional<Status> from, const std::string& reason);

  storage::Database& db_;
  const Gazetteer& gazetteer_;
  ListingOptions options_;
  Clock clock_;
  std::function<void(std::int64_t)> on_change_;
};

}  // namespace griha::listings
