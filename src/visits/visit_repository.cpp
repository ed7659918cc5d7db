#include "visits/visit_repository.hpp"

namespace griha::visits {
namespace {

using storage::params;
using storage::Query;

constexpr Query k_availability{
    "visits.availability",
    "SELECT timezone, slot_minutes, visitors_per_slot, windows, blackout_dates, updated_at "
    "FROM visit_availability WHERE listing_id = $1"};
constexpr Query k_put_availability{
    "visits.put_availability",
    "INSERT INTO visit_availability (listing_id, timezone, slot_minutes, visitors_per_slot, "
    "windows, blackout_dates, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
    "ON CONFLICT (listing_id) DO UPDATE SET timezone = excluded.timezone, "
    "slot_minutes = excluded.slot_minutes, visitors_per_slot = excluded.visitors_per_slot, "
    "windows = excluded.windows, blackout_dates = excluded.blackout_dates, "
    "updated_by = excluded.updated_by, updated_at = excluded.updated_at"};
constexpr Query k_booked{"visits.booked",
                         "SELECT start_at, booked FROM visit_slots WHERE listing_id = $1 AND "
                         "start_at >= $2 AND start_at < $3"};
constexpr Query k_ensure_slot{
    "visits.ensure_slot",
    "INSERT INTO visit_slots (listing_id, start_at, capacity, booked) VALUES ($1, $2, $3, 0) "
    "ON CONFLICT (listing_id, start_at) DO NOTHING"};
// The whole guard against overbooking: one statement that re-checks the count under the row's
// write lock. Capacity is the listing's current visitors_per_slot, so a lister who lowers it
// stops new bookings of a slot that already has that many.
constexpr Query k_take_slot{"visits.take_slot",
                            "UPDATE visit_slots SET booked = booked + 1, capacity = $3 "
                            "WHERE listing_id = $1 AND start_at = $2 AND booked < $3"};
constexpr Query k_release_slot{"visits.release_slot",
                               "UPDATE visit_slots SET booked = booked - 1 "
                               "WHERE listing_id = $1 AND start_at = $2 AND booked > 0"};
// A transaction-scoped advisory lock rather than the users row FOR UPDATE: that would also
// block (and could deadlock with) every insert whose foreign key names the user, such as an
// in-app notification to a lister who is booking a visit elsewhere at the same moment.
constexpr Query k_lock_seeker{"visits.lock_seeker", "SELECT $1",
                              "SELECT pg_advisory_xact_lock(hashtextextended("
                              "'visits.seeker|' || $1::text, 7))"};
constexpr Query k_live_visits{
    "visits.live_visits",
    "SELECT COALESCE(SUM(CASE WHEN listing_id = $2 THEN 1 ELSE 0 END), 0), COUNT(*) "
    "FROM visits WHERE seeker_id = $1 AND status = 'booked' AND start_at > $3"};
constexpr Query k_seeker_holds{"visits.seeker_holds",
                               "SELECT id FROM visits WHERE listing_id = $1 AND seeker_id = $2 "
                               "AND start_at = $3 AND status = 'booked'"};
constexpr Query k_insert{
    "visits.insert",
    "INSERT INTO visits (listing_id, lister_id, seeker_id, start_at, end_at, status, note, "
    "ical_uid, ical_sequence, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id"};

// One select for every read of a visit: the listing's title and place for messages, and the
// seeker's contact details (shown to the lister only; the service decides).
#define GRIHA_VISIT_SELECT                                                                \
  "SELECT v.id, v.listing_id, v.lister_id, v.seeker_id, v.start_at, v.end_at, v.status, " \
  "v.note, v.ical_uid, v.ical_sequence, v.cancelled_by, v.cancel_reason, "                \
  "v.reschedule_reason, v.outcome_at, v.created_at, v.updated_at, "                       \
  "COALESCE(l.title, ''), l.status, COALESCE(l.locality_id, 0), COALESCE(l.city_id, 0), " \
  "u.name, u.email, u.phone "                                                             \
  "FROM visits v JOIN listings l ON l.id = v.listing_id JOIN users u ON u.id = v.seeker_id "

constexpr Query k_find{"visits.find", GRIHA_VISIT_SELECT "WHERE v.id = $1"};
constexpr Query k_find_for_update{"visits.find_for_update", GRIHA_VISIT_SELECT "WHERE v.id = $1",
                                  GRIHA_VISIT_SELECT "WHERE v.id = $1 FOR UPDATE OF v"};
constexpr Query k_by_seeker{"visits.by_seeker", GRIHA_VISIT_SELECT
                            "WHERE v.seeker_id = $1 AND v.start_at >= $2 AND v.start_at < $3 "
                            "ORDER BY v.start_at, v.id LIMIT $4"};
constexpr Query k_by_lister{"visits.by_lister", GRIHA_VISIT_SELECT
                            "WHERE v.lister_id = $1 AND v.start_at >= $2 AND v.start_at < $3 "
                            "AND (v.listing_id = $4 OR $4 = 0) ORDER BY v.start_at, v.id LIMIT $5"};
#undef GRIHA_VISIT_SELECT

constexpr Query k_update{
    "visits.update",
    "UPDATE visits SET start_at = $2, end_at = $3, status = $4, ical_sequence = $5, "
    "cancelled_by = $6, cancel_reason = $7, reschedule_reason = $8, outcome_at = $9, "
    "updated_at = $10 WHERE id = $1"};
constexpr Query k_add_event{
    "visits.add_event",
    "INSERT INTO visit_events (visit_id, actor_id, action, from_start, to_start, reason, at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)"};
constexpr Query k_contact{"visits.contact",
                          "SELECT id, name, email, phone, email_verified FROM users WHERE id = $1"};

VisitRecord record_of(const storage::Row& r) {
  VisitRecord v;
  v.id = r.i64(0);
  v.listing_id = r.i64(1);
  v.lister_id = r.i64(2);
  v.seeker_id = r.i64(3);
  v.start_at = r.text(4);
  v.end_at = r.text(5);
  v.status = r.text(6);
  v.note = r.text(7);
  v.ical_uid = r.text(8);
  v.ical_sequence = r.i64(9);
  v.cancelled_by = r.opt_text(10);
  v.cancel_reason = r.text(11);
  v.reschedule_reason = r.text(12);
  v.outcome_at = r.opt_text(13);
  v.created_at = r.text(14);
  v.updated_at = r.text(15);
  v.listing_title = r.text(16);
  v.listing_status = r.text(17);
  v.listing_locality_id = r.i64(18);
  v.listing_city_id = r.i64(19);
  v.seeker_name = r.text(20);
  v.seeker_email = r.opt_text(21);
  v.seeker_phone = r.opt_text(22);
  return v;
}

Result<std::optional<Availability>> availability_of(Result<storage::Rows> rows) {
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Availability>();
  const auto& r = rows->rows.front();
  auto a = availability_from_text(r.text(0), static_cast<int>(r.i64(1)), static_cast<int>(r.i64(2)),
                                  r.text(3), r.text(4));
  if (!a) return a.error();
  a->updated_at = r.text(5);
  return std::optional<Availability>(std::move(*a));
}

Result<std::vector<VisitRecord>> records_of(Result<storage::Rows> rows) {
  if (!rows) return rows.error();
  std::vector<VisitRecord> out;
  out.reserve(rows->rows.size());
  for (const auto& r : rows->rows) out.push_back(record_of(r));
  return out;
}

Result<std::optional<VisitRecord>> one_record(Result<storage::Rows> rows) {
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<VisitRecord>();
  return std::optional<VisitRecord>(record_of(rows->rows.front()));
}

}  // namespace

Result<std::optional<Availability>> VisitRepository::availability(std::int64_t listing_id) {
  return availability_of(db_.exec(k_availability, params(listing_id)));
}

Result<std::optional<Availability>> VisitRepository::availability(storage::Transaction& tx,
                                                                  std::int64_t listing_id) {
  return availability_of(tx.exec(k_availability, params(listing_id)));
}

Result<Availability> VisitRepository::put_availability(std::int64_t listing_id,
                                                       const Availability& a, std::int64_t actor_id,
                                                       const std::string& now) {
  auto r = db_.exec(k_put_availability, params(listing_id, a.timezone, a.slot_minutes,
                                               a.visitors_per_slot, windows_to_text(a.windows),
                                               blackout_to_text(a.blackout), actor_id, now));
  if (!r) return r.error();
  Availability out = a;
  out.updated_at = now;
  return out;
}

Result<std::map<std::string, std::int64_t>> VisitRepository::booked(std::int64_t listing_id,
                                                                    const std::string& from,
                                                                    const std::string& to) {
  auto rows = db_.exec(k_booked, params(listing_id, from, to));
  if (!rows) return rows.error();
  std::map<std::string, std::int64_t> out;
  for (const auto& r : rows->rows) out[r.text(0)] = r.i64(1);
  return out;
}

Result<void> VisitRepository::ensure_slot(storage::Transaction& tx, std::int64_t listing_id,
                                          const std::string& start_at, int capacity) {
  auto r = tx.exec(k_ensure_slot, params(listing_id, start_at, capacity));
  if (!r) return r.error();
  return {};
}

Result<bool> VisitRepository::take_slot(storage::Transaction& tx, std::int64_t listing_id,
                                        const std::string& start_at, int capacity) {
  auto r = tx.exec(k_take_slot, params(listing_id, start_at, capacity));
  if (!r) return r.error();
  return r->affected == 1;
}

Result<void> VisitRepository::release_slot(storage::Transaction& tx, std::int64_t listing_id,
                                           const std::string& start_at) {
  auto r = tx.exec(k_release_slot, params(listing_id, start_at));
  if (!r) return r.error();
  return {};
}

Result<void> VisitRepository::lock_seeker(storage::Transaction& tx, std::int64_t seeker_id) {
  auto r = tx.exec(k_lock_seeker, params(seeker_id));
  if (!r) return r.error();
  return {};
}

Result<LiveVisits> VisitRepository::live_visits(storage::Transaction& tx, std::int64_t seeker_id,
                                                std::int64_t listing_id, const std::string& now) {
  auto r = tx.exec(k_live_visits, params(seeker_id, listing_id, now));
  if (!r) return r.error();
  return LiveVisits{r->rows.at(0).i64(0), r->rows.at(0).i64(1)};
}

Result<bool> VisitRepository::seeker_holds(storage::Transaction& tx, std::int64_t listing_id,
                                           std::int64_t seeker_id, const std::string& start_at) {
  auto r = tx.exec(k_seeker_holds, params(listing_id, seeker_id, start_at));
  if (!r) return r.error();
  return !r->empty();
}

Result<std::int64_t> VisitRepository::insert(storage::Transaction& tx, const VisitRecord& v) {
  auto r = tx.exec(k_insert, params(v.listing_id, v.lister_id, v.seeker_id, v.start_at, v.end_at,
                                    v.status, v.note, v.ical_uid, v.ical_sequence, v.created_at));
  if (!r) return r.error();
  return r->rows.at(0).i64(0);
}

Result<std::optional<VisitRecord>> VisitRepository::find_for_update(storage::Transaction& tx,
                                                                    std::int64_t id) {
  return one_record(tx.exec(k_find_for_update, params(id)));
}

Result<std::optional<VisitRecord>> VisitRepository::find(std::int64_t id) {
  return one_record(db_.exec(k_find, params(id)));
}

Result<void> VisitRepository::update(storage::Transaction& tx, const VisitRecord& v) {
  auto r = tx.exec(k_update,
                   params(v.id, v.start_at, v.end_at, v.status, v.ical_sequence, v.cancelled_by,
                          v.cancel_reason, v.reschedule_reason, v.outcome_at, v.updated_at));
  if (!r) return r.error();
  return {};
}

Result<void> VisitRepository::add_event(storage::Transaction& tx, std::int64_t visit_id,
                                        std::int64_t actor_id, const std::string& action,
                                        const std::optional<std::string>& from_start,
                                        const std::optional<std::string>& to_start,
                                        const std::string& reason, const std::string& at) {
  auto r =
      tx.exec(k_add_event, params(visit_id, actor_id, action, from_start, to_start, reason, at));
  if (!r) return r.error();
  return {};
}

Result<std::vector<VisitRecord>> VisitRepository::by_seeker(std::int64_t seeker_id,
                                                            const std::string& from,
                                                            const std::string& to, int limit) {
  return records_of(db_.exec(k_by_seeker, params(seeker_id, from, to, limit)));
}

Result<std::vector<VisitRecord>> VisitRepository::by_lister(std::int64_t lister_id,
                                                            const std::string& from,
                                                            const std::string& to,
                                                            std::optional<std::int64_t> listing_id,
                                                            int limit) {
  return records_of(
      db_.exec(k_by_lister, params(lister_id, from, to, listing_id.value_or(0), limit)));
}

namespace {
Result<Contact> contact_of(Result<storage::Rows> r, std::int64_t user_id) {
  if (!r) return r.error();
  if (r->empty()) return Error::internal("visit party " + std::to_string(user_id) + " not found");
  const auto& row = r->rows.front();
  return Contact{row.i64(0), row.text(1), row.opt_text(2), row.opt_text(3), row.i64(4) != 0};
}
}  // namespace

Result<Contact> VisitRepository::contact(storage::Transaction& tx, std::int64_t user_id) {
  return contact_of(tx.exec(k_contact, params(user_id)), user_id);
}

Result<Contact> VisitRepository::contact(std::int64_t user_id) {
  return contact_of(db_.exec(k_contact, params(user_id)), user_id);
}

}  // namespace griha::visits
