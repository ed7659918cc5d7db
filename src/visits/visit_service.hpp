// The rules of site visits: listers set weekly visiting hours; seekers book the slots these
// make (never more people than a slot holds, even under concurrent requests); either side
// reschedules or cancels with a reason; the lister records whether the visit happened. Every
// change writes its emails (with calendar invites), reminders and in-app notifications to the
// outbox in the same transaction.
#pragma once

#include <boost/json/object.hpp>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/rate_limiter.hpp"
#include "core/before_commit.hpp"
#include "core/time.hpp"
#include "listings/listing_service.hpp"
#include "notify/outbox.hpp"
#include "storage/database.hpp"
#include "visits/availability.hpp"
#include "visits/options.hpp"
#include "visits/visit_repository.hpp"

namespace griha::listings {
class Gazetteer;
}

namespace griha::visits {

// Which side of a visit the caller is on; it decides what they see.
enum class Party { seeker, lister };

struct SlotView {
  Slot slot;
  std::int64_t available = 0;  // places left
};

// `options` with the parts that come from other config sections: the base of links in emails
// (auth.public_url) and the invites' organizer, from the email sender ("Griha <a@b.in>").
VisitOptions deployment_options(VisitOptions options, const std::string& public_url,
                                const std::string& email_from);

// The visit as `viewer` may see it: the lister also gets the seeker's contact details.
boost::json::object to_json(const VisitRecord& v, Party viewer);

class VisitService {
 public:
  // `wake` is called after a commit that enqueued messages, so the dispatcher sends them now;
  // it may be empty.
  VisitService(storage::Database& db, listings::ListingService& listings,
               const listings::Gazetteer& gazetteer, VisitOptions options,
               Clock clock = system_clock(), std::function<void()> wake = {});

  // The listing's lister or an admin only; empty while no hours have been set.
  Result<std::optional<Availability>> availability(const Principal& actor, std::int64_t listing_id);
  Result<Availability> set_availability(const Principal& actor, std::int64_t listing_id,
                                        const Availability& availability);

  // The bookable slots of an active listing on the local dates [from, from + days): none
  // sooner than the minimum notice or beyond the horizon. `from` defaults to today (IST).
  Result<std::vector<SlotView>> slots(std::int64_t listing_id, std::optional<LocalDate> from,
                                      int days);

  // At most options.max_per_listing live visits of one listing per seeker and
  // options.max_active in all; book and reschedule are rate-limited per account and per `ip`
  // (none when empty). `before_commit` runs in the booking's transaction with the visit (the
  // idempotency layer stores its answer there).
  Result<VisitRecord> book(const Principal& actor, std::int64_t listing_id, std::time_t start,
                           const std::string& note, const std::string& ip = {},
                           const BeforeCommit<VisitRecord>& before_commit = {});
  // The seeker or the lister of the visit; anyone else gets visit_not_found.
  Result<std::pair<VisitRecord, Party>> get(const Principal& actor, std::int64_t visit_id);
  Result<std::pair<VisitRecord, Party>> reschedule(const Principal& actor, std::int64_t visit_id,
                                                   std::time_t start, const std::string& reason,
                                                   const std::string& ip = {});
  Result<std::pair<VisitRecord, Party>> cancel(const Principal& actor, std::int64_t visit_id,
                                               const std::string& reason);
  // "visited" or "no_show", by the lister, once the visit has started.
  Result<VisitRecord> record_outcome(const Principal& actor, std::int64_t visit_id,
                                     const std::string& outcome);

  // Visits starting on the local dates [from, to] (both included; from defaults to today,
  // to to 30 days after from; at most 92 days), soonest first: as the seeker, and as the
  // lister (the calendar of their listings' visits).
  Result<std::vector<VisitRecord>> mine(const Principal& actor, std::optional<LocalDate> from,
                                        std::optional<LocalDate> to);
  Result<std::vector<VisitRecord>> hosted(const Principal& actor, std::optional<LocalDate> from,
                                          std::optional<LocalDate> to,
                                          std::optional<std::int64_t> listing_id);

  static constexpr int k_list_limit = 500;
  static constexpr int k_default_list_days = 30, k_max_list_days = 92;

 private:
  struct Parties;
  // One token from the caller's IP and account buckets, shared by book and reschedule.
  Result<void> check_rate(const Principal& actor, const std::string& ip);
  Result<listings::Listing> listing_for_lister(const Principal& actor, std::int64_t listing_id);
  // Empty when `start` is a slot the availability offers now; else why not.
  std::optional<Error> check_offered(const std::optional<Availability>& a, std::time_t start,
                                     std::time_t now) const;
  Result<Parties> parties(storage::Transaction& tx, const VisitRecord& v);
  // The messages of a change, built before they are enqueued, so that booking can render them
  // before it takes the database's write lock. One email with the invite per side that has an
  // address; the seeker's reminders (cancel key reminder_key(v.id)).
  Result<std::vector<notify::Outgoing>> invites(const VisitRecord& v, const Parties& p,
                                                const std::string& template_base,
                                                const std::string& kind, bool cancel,
                                                boost::json::object extra,
                                                const std::string& now) const;
  Result<std::vector<notify::Outgoing>> reminders(const VisitRecord& v, const Parties& p,
                                                  std::time_t now) const;
  std::string location_of(const VisitRecord& v) const;
  // [from, to) in UTC ISO-8601 for the local dates of a list request.
  Result<std::pair<std::string, std::string>> list_range(std::optional<LocalDate> from,
                                                         std::optional<LocalDate> to) const;

  storage::Database& db_;
  listings::ListingService& listings_;
  const listings::Gazetteer& gazetteer_;
  VisitOptions options_;
  Clock clock_;
  std::function<void()> wake_;
  auth::RateLimiter ip_limiter_;
  auth::RateLimiter seeker_limiter_;
};

}  // namespace griha::visits
