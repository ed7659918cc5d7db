// SQL for site visits (visit_availability, visit_slots, visits, visit_events): availability,
// slot capacity and the visits themselves. Every query runs unchanged on SQLite and
// PostgreSQL; the one difference (row locks) is a postgres_sql variant. Each function runs where
// its Executor says.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/executor.hpp"
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

namespace repo {

using storage::Executor;

Result<std::optional<Availability>> availability(Executor ex, std::int64_t listing_id);
Result<Availability> put_availability(Executor ex, std::int64_t listing_id, const Availability& a,
                                      std::int64_t actor_id, const std::string& now);

// start_at -> places taken, for the listing's slots in [from, to).
Result<std::map<std::string, std::int64_t>> booked(Executor ex, std::int64_t listing_id,
                                                   const std::string& from, const std::string& to);
// Makes the slot's row if it has none (a no-op when another request just made it).
Result<void> ensure_slot(Executor ex, std::int64_t listing_id, const std::string& start_at,
                         int capacity);
// Takes one place if fewer than `capacity` are taken: false when the slot is full.
Result<bool> take_slot(Executor ex, std::int64_t listing_id, const std::string& start_at,
                       int capacity);
Result<void> release_slot(Executor ex, std::int64_t listing_id, const std::string& start_at);

// Makes concurrent bookings by one seeker queue up until the first commits, so that the
// counts below cannot be read stale by both (PostgreSQL; SQLite has one writer anyway).
Result<void> lock_seeker(Executor ex, std::int64_t seeker_id);
Result<LiveVisits> live_visits(Executor ex, std::int64_t seeker_id, std::int64_t listing_id,
                               const std::string& now);
Result<bool> seeker_holds(Executor ex, std::int64_t listing_id, std::int64_t seeker_id,
                          const std::string& start_at);
Result<std::int64_t> insert(Executor ex, const VisitRecord& v);
// With a row lock on PostgreSQL, so that two changes to one visit queue up.
Result<std::optional<VisitRecord>> find_for_update(Executor ex, std::int64_t id);
Result<std::optional<VisitRecord>> find(Executor ex, std::int64_t id);
// Writes the mutable columns of `v`.
Result<void> update(Executor ex, const VisitRecord& v);
Result<void> add_event(Executor ex, std::int64_t visit_id, std::int64_t actor_id,
                       const std::string& action, const std::optional<std::string>& from_start,
                       const std::optional<std::string>& to_start, const std::string& reason,
                       const std::string& at);

// Visits starting in [from, to), soonest first.
Result<std::vector<VisitRecord>> by_seeker(Executor ex, std::int64_t seeker_id,
                                           const std::string& from, const std::string& to,
                                           int limit);
Result<std::vector<VisitRecord>> by_lister(Executor ex, std::int64_t lister_id,
                                           const std::string& from, const std::string& to,
                                           std::optional<std::int64_t> listing_id, int limit);
// Every visit ever booked, whatever became of it (the admin funnel).
Result<std::int64_t> count_all(Executor ex);

// A party to a visit, from the auth module.
Result<Contact> contact(Executor ex, std::int64_t user_id);

}  // namespace repo
}  // namespace griha::visits
