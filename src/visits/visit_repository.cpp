#include "visits/visit_repository.hpp"

#include "auth/repository.hpp"

namespace griha::visits::repo {
namespace {

using storage::params;
using storage::Query;
using storage::Row;

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
    "SELECT COALESCE(SUM(CASE WHEN listing_id = $2 THEN 1 ELSE 0 END), 0) AS on_listing, "
    "COUNT(*) AS total "
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
  "COALESCE(l.title, '') AS listing_title, l.status AS listing_status, "                  \
  "COALESCE(l.locality_id, 0) AS listing_locality_id, "                                   \
  "COALESCE(l.city_id, 0) AS listing_city_id, "                                           \
  "u.name AS seeker_name, u.email AS seeker_email, u.phone AS seeker_phone "              \
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
constexpr Query k_count_all{"visits.count_all", "SELECT COUNT(*) AS n FROM visits"};

VisitRecord record_of(const Row& r) {
  VisitRecord v;
  v.id = r.i64("id");
  v.listing_id = r.i64("listing_id");
  v.lister_id = r.i64("lister_id");
  v.seeker_id = r.i64("seeker_id");
  v.start_at = r.text("start_at");
  v.end_at = r.text("end_at");
  v.status = r.text("status");
  v.note = r.text("note");
  v.ical_uid = r.text("ical_uid");
  v.ical_sequence = r.i64("ical_sequence");
  v.cancelled_by = r.opt_text("cancelled_by");
  v.cancel_reason = r.text("cancel_reason");
  v.reschedule_reason = r.text("reschedule_reason");
  v.outcome_at = r.opt_text("outcome_at");
  v.created_at = r.text("created_at");
  v.updated_at = r.text("updated_at");
  v.listing_title = r.text("listing_title");
  v.listing_status = r.text("listing_status");
  v.listing_locality_id = r.i64("listing_locality_id");
  v.listing_city_id = r.i64("listing_city_id");
  v.seeker_name = r.text("seeker_name");
  v.seeker_email = r.opt_text("seeker_email");
  v.seeker_phone = r.opt_text("seeker_phone");
  return v;
}

}  // namespace

Result<std::optional<Availability>> availability(Executor ex, std::int64_t listing_id) {
  auto rows = ex.exec(k_availability, params(listing_id));
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<Availability>();
  const auto& r = rows->rows.front();
  auto a = availability_from_text(r.text("timezone"), r.get<int>("slot_minutes"),
                                  r.get<int>("visitors_per_slot"), r.text("windows"),
                                  r.text("blackout_dates"));
  if (!a) return a.error();
  a->updated_at = r.text("updated_at");
  return std::optional<Availability>(std::move(*a));
}

Result<Availability> put_availability(Executor ex, std::int64_t listing_id, const Availability& a,
                                      std::int64_t actor_id, const std::string& now) {
  auto r = ex.execute(k_put_availability, params(listing_id, a.timezone, a.slot_minutes,
                                                 a.visitors_per_slot, windows_to_text(a.windows),
                                                 blackout_to_text(a.blackout), actor_id, now));
  if (!r) return r.error();
  Availability out = a;
  out.updated_at = now;
  return out;
}

Result<std::map<std::string, std::int64_t>> booked(Executor ex, std::int64_t listing_id,
                                                   const std::string& from, const std::string& to) {
  auto rows = ex.exec(k_booked, params(listing_id, from, to));
  if (!rows) return rows.error();
  std::map<std::string, std::int64_t> out;
  for (const auto& r : rows->rows) out[r.text("start_at")] = r.i64("booked");
  return out;
}

Result<void> ensure_slot(Executor ex, std::int64_t listing_id, const std::string& start_at,
                         int capacity) {
  return storage::done(ex.execute(k_ensure_slot, params(listing_id, start_at, capacity)));
}

Result<bool> take_slot(Executor ex, std::int64_t listing_id, const std::string& start_at,
                       int capacity) {
  auto changed = ex.execute(k_take_slot, params(listing_id, start_at, capacity));
  if (!changed) return changed.error();
  return *changed == 1;
}

Result<void> release_slot(Executor ex, std::int64_t listing_id, const std::string& start_at) {
  return storage::done(ex.execute(k_release_slot, params(listing_id, start_at)));
}

Result<void> lock_seeker(Executor ex, std::int64_t seeker_id) {
  return storage::done(ex.exec(k_lock_seeker, params(seeker_id)));
}

Result<LiveVisits> live_visits(Executor ex, std::int64_t seeker_id, std::int64_t listing_id,
                               const std::string& now) {
  return ex.one(k_live_visits, params(seeker_id, listing_id, now), [](const Row& r) {
    return LiveVisits{r.i64("on_listing"), r.i64("total")};
  });
}

Result<bool> seeker_holds(Executor ex, std::int64_t listing_id, std::int64_t seeker_id,
                          const std::string& start_at) {
  auto held =
      ex.maybe_value<std::int64_t>(k_seeker_holds, params(listing_id, seeker_id, start_at), "id");
  if (!held) return held.error();
  return held->has_value();
}

Result<std::int64_t> insert(Executor ex, const VisitRecord& v) {
  return ex.one_value<std::int64_t>(
      k_insert,
      params(v.listing_id, v.lister_id, v.seeker_id, v.start_at, v.end_at, v.status, v.note,
             v.ical_uid, v.ical_sequence, v.created_at),
      "id");
}

Result<std::optional<VisitRecord>> find_for_update(Executor ex, std::int64_t id) {
  return ex.maybe(k_find_for_update, params(id), record_of);
}

Result<std::optional<VisitRecord>> find(Executor ex, std::int64_t id) {
  return ex.maybe(k_find, params(id), record_of);
}

Result<void> update(Executor ex, const VisitRecord& v) {
  return storage::done(ex.execute(
      k_update, params(v.id, v.start_at, v.end_at, v.status, v.ical_sequence, v.cancelled_by,
                       v.cancel_reason, v.reschedule_reason, v.outcome_at, v.updated_at)));
}

Result<void> add_event(Executor ex, std::int64_t visit_id, std::int64_t actor_id,
                       const std::string& action, const std::optional<std::string>& from_start,
                       const std::optional<std::string>& to_start, const std::string& reason,
                       const std::string& at) {
  return storage::done(ex.execute(
      k_add_event, params(visit_id, actor_id, action, from_start, to_start, reason, at)));
}

Result<std::vector<VisitRecord>> by_seeker(Executor ex, std::int64_t seeker_id,
                                           const std::string& from, const std::string& to,
                                           int limit) {
  return ex.all(k_by_seeker, params(seeker_id, from, to, limit), record_of);
}

Result<std::vector<VisitRecord>> by_lister(Executor ex, std::int64_t lister_id,
                                           const std::string& from, const std::string& to,
                                           std::optional<std::int64_t> listing_id, int limit) {
  return ex.all(k_by_lister, params(lister_id, from, to, listing_id.value_or(0), limit), record_of);
}

Result<std::int64_t> count_all(Executor ex) {
  return ex.one_value<std::int64_t>(k_count_all, {}, "n");
}

Result<Contact> contact(Executor ex, std::int64_t user_id) {
  auto m = auth::repo::member(ex, user_id);
  if (!m) return m.error();
  if (!*m) return Error::internal("visit party " + std::to_string(user_id) + " not found");
  return Contact{(*m)->id, (*m)->name, (*m)->email, (*m)->phone, (*m)->email_verified};
}

}  // namespace griha::visits::repo
