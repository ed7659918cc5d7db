// SQL for site visits: availability, slot capacity and the visits themselves. Every query runs
// unchanged on SQLite and PostgreSQL; the one difference (row locks) is a postgres_sql variant.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "visits/availability.hpp"

namespace griha::visits {

struct VisitRecord {
  std::int64_t id = 0, listing_id = 0, lister_id = 0, seeker_id = 0;
  std::string start_at, end_at;  // UTC ISO-8601
  std::string status;            // booked | cancelled | visited | no_show
  std::string note;
  std::string ical_uid;
  std::int64_t ical_sequence = 0;
  std::optional<std::string> cancelled_by;  // seeker | lister
  std::string cancel_reason, reschedule_reason;
  std::optional<std::string> outcome_at;
  std::string created_at, updated_at;
  // Joined for views; never written.
  std::string listing_title, listing_status;
  std::int64_t listing_locality_id = 0, listing_city_id = 0;  // 0: not set
  std::string seeker_name;
  std::optional<std::string> seeker_email, seeker_phone;
};

struct Contact {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email, phone;
  bool email_verified = false;  // only a verified address is sent mail
};

// A seeker's live visits: booked and not yet started.
struct LiveVisits {
  std::int64_t on_listing = 0, total = 0;
};

class VisitRepository {
 public:
  explicit VisitRepository(storage::Database& db) : db_(db) {}

  Result<std::optional<Availability>> availability(std::int64_t listing_id);
  Result<std::optional<Availability>> availability(storage::Transaction& tx,
                                                   std::int64_t listing_id);
  Result<Availability> put_availability(std::int64_t listing_id, const Availability& a,
                                        std::int64_t actor_id, const std::string& now);

  // start_at -> places taken, for the listing's slots in [from, to).
  Result<std::map<std::string, std::int64_t>> booked(std::int64_t listing_id,
                                                     const std::string& from,
                                                     const std::string& to);
  // Makes the slot's row if it has none (a no-op when another request just made it).
  Result<void> ensure_slot(storage::Transaction& tx, std::int64_t listing_id,
                           const std::string& start_at, int capacity);
  // Takes one place if fewer than `capacity` are taken: false when the slot is full.
  Result<bool> take_slot(storage::Transaction& tx, std::int64_t listing_id,
                         const std::string& start_at, int capacity);
  Result<void> release_slot(storage::Transaction& tx, std::int64_t listing_id,
                            const std::string& start_at);

  // Makes concurrent bookings by one seeker queue up until the first commits, so that the
  // counts below cannot be read stale by both (PostgreSQL; SQLite has one writer anyway).
  Result<void> lock_seeker(storage::Transaction& tx, std::int64_t seeker_id);
  Result<LiveVisits> live_visits(storage::Transaction& tx, std::int64_t seeker_id,
                                 std::int64_t listing_id, const std::string& now);
  Result<bool> seeker_holds(storage::Transaction& tx, std::int64_t listing_id,
                            std::int64_t seeker_id, const std::string& start_at);
  Result<std::int64_t> insert(storage::Transaction& tx, const VisitRecord& v);
  // With a row lock on PostgreSQL, so that two changes to one visit queue up.
  Result<std::optional<VisitRecord>> find_for_update(storage::Transaction& tx, std::int64_t id);
  Result<std::optional<VisitRecord>> find(std::int64_t id);
  // Writes the mutable columns of `v`.
  Result<void> update(storage::Transaction& tx, const VisitRecord& v);
  Result<void> add_event(storage::Transaction& tx, std::int64_t visit_id, std::int64_t actor_id,
                         const std::string& action, const std::optional<std::string>& from_start,
                         const std::optional<std::string>& to_start, const std::string& reason,
                         const std::string& at);

  // Visits starting in [from, to), soonest first.
  Result<std::vector<VisitRecord>> by_seeker(std::int64_t seeker_id, const std::string& from,
                                             const std::string& to, int limit);
  Result<std::vector<VisitRecord>> by_lister(std::int64_t lister_id, const std::string& from,
                                             const std::string& to,
                                             std::optional<std::int64_t> listing_id, int limit);

  Result<Contact> contact(storage::Transaction& tx, std::int64_t user_id);
  Result<Contact> contact(std::int64_t user_id);

 private:
  storage::Database& db_;
};

}  // namespace griha::visits
