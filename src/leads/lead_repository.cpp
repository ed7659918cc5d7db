#include "leads/lead_repository.hpp"

namespace griha::leads::repo {
namespace {

using storage::params;
using storage::Query;
using storage::Row;

constexpr Query k_listing{"leads.listing",
                          "SELECT id, owner_id, status, COALESCE(title, '') FROM listings "
                          "WHERE id = $1 AND deleted_at IS NULL"};
constexpr Query k_user{"leads.user",
                       "SELECT id, name, email, phone, role, status, agency_id, email_verified, "
                       "phone_verified FROM users WHERE id = $1"};
// SQLite needs no lock (BEGIN IMMEDIATE serialises writers); the parameter is still used so
// that both dialects bind the same list.
constexpr Query k_lock_seeker{"leads.lock_seeker", "SELECT length($1)",
                              "SELECT pg_advisory_xact_lock(hashtextextended($1, 5))"};
constexpr Query k_inquiries_since{
    "leads.inquiries_since",
    "SELECT COUNT(*), COALESCE(MIN(created_at), '') FROM lead_inquiries "
    "WHERE seeker_key = $1 AND created_at > $2"};
constexpr Query k_recent_lead{
    "leads.recent_lead",
    "SELECT id FROM leads WHERE listing_id = $1 AND seeker_key = $2 AND last_inquiry_at > $3 "
    "ORDER BY id DESC LIMIT 1"};
constexpr Query k_insert_lead{
    "leads.insert_lead",
    "INSERT INTO leads (listing_id, lister_id, seeker_user_id, seeker_key, contact_name, "
    "contact_phone, contact_email, message, preferred_contact_time, stage, lost_reason, "
    "inquiry_count, last_inquiry_at, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'new', '', 1, $10, $10, $10) RETURNING id"};
constexpr Query k_follow_up{
    "leads.follow_up",
    "UPDATE leads SET message = $2, preferred_contact_time = $3, contact_name = $4, "
    "contact_phone = $5, contact_email = $6, inquiry_count = inquiry_count + 1, "
    "last_inquiry_at = $7, updated_at = $7 WHERE id = $1"};
constexpr Query k_insert_inquiry{
    "leads.insert_inquiry",
    "INSERT INTO lead_inquiries (lead_id, seeker_key, message, preferred_contact_time, "
    "created_at) VALUES ($1, $2, $3, $4, $5)"};
constexpr Query k_insert_event{
    "leads.insert_event",
    "INSERT INTO lead_events (lead_id, actor_id, at, kind, from_stage, to_stage, detail) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)"};

#define GRIHA_LEAD_COLUMNS                                                                      \
  "l.id, l.listing_id, COALESCE(li.title, ''), l.lister_id, l.seeker_user_id, l.contact_name, " \
  "l.contact_phone, l.contact_email, l.message, l.preferred_contact_time, l.stage, "            \
  "l.lost_reason, l.assigned_to, l.inquiry_count, l.last_inquiry_at, l.created_at, "            \
  "l.updated_at FROM leads l JOIN listings li ON li.id = l.listing_id "
// The filters of lists, stats and exports; 0 and '' mean "any". CAST gives PostgreSQL the
// parameter's type where a bare comparison with 0 would guess int4.
// An assignee counts only while still an active agent of the lister's agency: the same rule
// as LeadService::visible() for a single lead.
#define GRIHA_LEAD_FILTER                                                                       \
  "(CAST($1 AS BIGINT) = 0 OR l.lister_id = $1 OR (l.assigned_to = $1 AND EXISTS ("             \
  "SELECT 1 FROM users a JOIN users o ON o.agency_id = a.agency_id WHERE a.id = l.assigned_to " \
  "AND o.id = l.lister_id AND a.role = 'agent' AND a.status = 'active'))) "                     \
  "AND (CAST($2 AS BIGINT) = 0 OR l.listing_id = $2) AND ($3 = '' OR l.stage = $3) "            \
  "AND ($4 = '' OR l.created_at >= $4) AND ($5 = '' OR l.created_at < $5) "

constexpr Query k_lead{"leads.lead", "SELECT " GRIHA_LEAD_COLUMNS "WHERE l.id = $1"};
// OF l: the lead's row only, not the listing joined for its title.
constexpr Query k_lead_for_update{"leads.lead_for_update",
                                  "SELECT " GRIHA_LEAD_COLUMNS "WHERE l.id = $1",
                                  "SELECT " GRIHA_LEAD_COLUMNS "WHERE l.id = $1 FOR UPDATE OF l"};
constexpr Query k_leads{"leads.leads",
                        "SELECT " GRIHA_LEAD_COLUMNS "WHERE " GRIHA_LEAD_FILTER
                        "AND (CAST($6 AS BIGINT) = 0 OR l.id < $6) ORDER BY l.id DESC LIMIT $7"};
constexpr Query k_stage_counts{
    "leads.stage_counts",
    "SELECT l.stage, l.listing_id, COUNT(*) FROM leads l WHERE " GRIHA_LEAD_FILTER
    "GROUP BY l.stage, l.listing_id"};
constexpr Query k_update_pipeline{
    "leads.update_pipeline",
    "UPDATE leads SET stage = $2, lost_reason = $3, assigned_to = $4, updated_at = $5 "
    "WHERE id = $1"};
constexpr Query k_seeker_inquiries{
    "leads.seeker_inquiries",
    "SELECT l.id, l.listing_id, COALESCE(li.title, ''), l.message, l.preferred_contact_time, "
    "l.stage, l.inquiry_count, l.created_at, l.updated_at FROM leads l "
    "JOIN listings li ON li.id = l.listing_id WHERE l.seeker_user_id = $1 "
    "AND (CAST($2 AS BIGINT) = 0 OR l.id < $2) ORDER BY l.id DESC LIMIT $3"};

#undef GRIHA_LEAD_COLUMNS
#undef GRIHA_LEAD_FILTER

constexpr Query k_insert_note{
    "leads.insert_note",
    "INSERT INTO lead_notes (lead_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) "
    "RETURNING id"};
constexpr Query k_notes{"leads.notes",
                        "SELECT n.id, n.author_id, u.name, n.body, n.created_at FROM lead_notes n "
                        "JOIN users u ON u.id = n.author_id WHERE n.lead_id = $1 ORDER BY n.id"};
constexpr Query k_events{"leads.events",
                         "SELECT id, actor_id, at, kind, from_stage, to_stage, detail "
                         "FROM lead_events WHERE lead_id = $1 ORDER BY id"};
constexpr Query k_inquiries{"leads.inquiries",
                            "SELECT message, preferred_contact_time, created_at FROM "
                            "lead_inquiries WHERE lead_id = $1 ORDER BY id"};

constexpr Query k_insert_agency{
    "leads.insert_agency", "INSERT INTO agencies (name, created_at) VALUES ($1, $2) RETURNING id"};
constexpr Query k_agency{"leads.agency", "SELECT id, name, created_at FROM agencies WHERE id = $1"};
constexpr Query k_set_user_agency{"leads.set_user_agency",
                                  "UPDATE users SET agency_id = $2, updated_at = $3 WHERE id = $1"};
constexpr Query k_agency_agents{
    "leads.agency_agents",
    "SELECT id, name, email, phone, role, status, agency_id, email_verified, phone_verified "
    "FROM users "
    "WHERE agency_id = $1 AND role = 'agent' AND status = 'active' ORDER BY name, id"};

constexpr Query k_listings_by_city_status{
    "leads.listings_by_city_status",
    "SELECT city_id, status, COUNT(*) FROM listings WHERE deleted_at IS NULL "
    "GROUP BY city_id, status ORDER BY city_id, status"};
// Asia/Kolkata is UTC+05:30 all year round.
constexpr Query k_leads_per_day{
    "leads.per_day",
    "SELECT substr(datetime(created_at, '+330 minutes'), 1, 10) AS day, COUNT(*) FROM leads "
    "WHERE created_at >= $1 GROUP BY day ORDER BY day",
    "SELECT to_char(created_at::timestamptz AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD') AS day, "
    "COUNT(*) FROM leads WHERE created_at >= $1 GROUP BY day ORDER BY day"};
constexpr Query k_funnel{
    "leads.funnel",
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN stage = 'won' THEN 1 ELSE 0 END), 0) FROM leads"};
constexpr Query k_visits_booked{"leads.visits_booked", "SELECT COUNT(*) FROM visits"};

UserRef user_from(const Row& r) {
  return UserRef{r.i64(0),  r.text(1),    r.opt_text(2), r.opt_text(3), r.text(4),
                 r.text(5), r.opt_i64(6), r.i64(7) != 0, r.i64(8) != 0};
}

Lead lead_from(const Row& r) {
  Lead l;
  l.id = r.i64(0);
  l.listing_id = r.i64(1);
  l.listing_title = r.text(2);
  l.lister_id = r.i64(3);
  l.seeker_user_id = r.opt_i64(4);
  l.contact_name = r.text(5);
  l.contact_phone = r.opt_text(6);
  l.contact_email = r.opt_text(7);
  l.message = r.text(8);
  l.preferred_contact_time = r.text(9);
  l.stage = stage_from_string(r.text(10)).value_or(Stage::fresh);
  l.lost_reason = r.text(11);
  l.assigned_to = r.opt_i64(12);
  l.inquiry_count = r.i64(13);
  l.last_inquiry_at = r.text(14);
  l.created_at = r.text(15);
  l.updated_at = r.text(16);
  return l;
}

std::vector<storage::Value> filter_params(std::int64_t member, const LeadFilter& f) {
  return params(member, f.listing_id, f.stage, f.from, f.to);
}

template <class T>
Result<void> done(const Result<T>& r) {
  if (!r) return r.error();
  return {};
}

}  // namespace

Result<std::optional<ListingRef>> listing(Sql sql, std::int64_t id) {
  auto r = sql(k_listing, params(id));
  if (!r) return r.error();
  if (r->empty()) return std::nullopt;
  const auto& row = r->rows[0];
  return ListingRef{row.i64(0), row.i64(1), row.text(2), row.text(3)};
}

Result<std::optional<UserRef>> user(Sql sql, std::int64_t id) {
  auto r = sql(k_user, params(id));
  if (!r) return r.error();
  if (r->empty()) return std::nullopt;
  return user_from(r->rows[0]);
}

Result<void> lock_seeker(Sql sql, const std::string& seeker_key) {
  return done(sql(k_lock_seeker, params(seeker_key)));
}

Result<RecentInquiries> inquiries_since(Sql sql, const std::string& seeker_key,
                                        const std::string& since) {
  auto r = sql(k_inquiries_since, params(seeker_key, since));
  if (!r) return r.error();
  return RecentInquiries{r->rows.at(0).i64(0), r->rows.at(0).text(1)};
}

Result<std::optional<std::int64_t>> recent_lead(Sql sql, std::int64_t listing_id,
                                                const std::string& seeker_key,
                                                const std::string& since) {
  auto r = sql(k_recent_lead, params(listing_id, seeker_key, since));
  if (!r) return r.error();
  if (r->empty()) return std::nullopt;
  return r->rows[0].i64(0);
}

Result<std::int64_t> insert_lead(Sql sql, const Lead& l, const std::string& seeker_key) {
  auto r = sql(k_insert_lead, params(l.listing_id, l.lister_id, l.seeker_user_id, seeker_key,
                                     l.contact_name, l.contact_phone, l.contact_email, l.message,
                                     l.preferred_contact_time, l.created_at));
  if (!r) return r.error();
  return r->rows.at(0).i64(0);
}

Result<void> follow_up(Sql sql, const Lead& l) {
  return done(sql(k_follow_up, params(l.id, l.message, l.preferred_contact_time, l.contact_name,
                                      l.contact_phone, l.contact_email, l.last_inquiry_at)));
}

Result<void> insert_inquiry(Sql sql, std::int64_t lead_id, const std::string& seeker_key,
                            const std::string& message, const std::string& contact_time,
                            const std::string& at) {
  return done(sql(k_insert_inquiry, params(lead_id, seeker_key, message, contact_time, at)));
}

Result<void> insert_event(Sql sql, std::int64_t lead_id, std::optional<std::int64_t> actor_id,
                          const std::string& at, const std::string& kind,
                          std::optional<std::string> from_stage,
                          std::optional<std::string> to_stage, const std::string& detail) {
  return done(
      sql(k_insert_event, params(lead_id, actor_id, at, kind, from_stage, to_stage, detail)));
}

Result<std::optional<Lead>> lead(Sql sql, std::int64_t id) {
  auto r = sql(k_lead, params(id));
  if (!r) return r.error();
  if (r->empty()) return std::nullopt;
  return lead_from(r->rows[0]);
}

Result<std::optional<Lead>> lead_for_update(Sql sql, std::int64_t id) {
  auto r = sql(k_lead_for_update, params(id));
  if (!r) return r.error();
  if (r->empty()) return std::nullopt;
  return lead_from(r->rows[0]);
}

Result<void> update_pipeline(Sql sql, const Lead& l) {
  return done(sql(k_update_pipeline, params(l.id, std::string(to_string(l.stage)), l.lost_reason,
                                            l.assigned_to, l.updated_at)));
}

Result<std::vector<Lead>> leads(Sql sql, std::int64_t member, const LeadFilter& f) {
  auto p = filter_params(member, f);
  p.emplace_back(f.before_id);
  p.emplace_back(std::int64_t{f.limit});
  auto r = sql(k_leads, p);
  if (!r) return r.error();
  std::vector<Lead> out;
  out.reserve(r->rows.size());
  for (const auto& row : r->rows) out.push_back(lead_from(row));
  return out;
}

Result<std::vector<StageCount>> stage_counts(Sql sql, std::int64_t member, const LeadFilter& f) {
  auto r = sql(k_stage_counts, filter_params(member, f));
  if (!r) return r.error();
  std::vector<StageCount> out;
  for (const auto& row : r->rows) out.push_back({row.text(0), row.i64(1), row.i64(2)});
  return out;
}

Result<std::vector<SeekerInquiry>> seeker_inquiries(Sql sql, std::int64_t user_id,
                                                    std::int64_t before_id, int limit) {
  auto r = sql(k_seeker_inquiries, params(user_id, before_id, limit));
  if (!r) return r.error();
  std::vector<SeekerInquiry> out;
  for (const auto& row : r->rows)
    out.push_back({row.i64(0), row.i64(1), row.text(2), row.text(3), row.text(4),
                   stage_from_string(row.text(5)).value_or(Stage::fresh), row.i64(6), row.text(7),
                   row.text(8)});
  return out;
}

Result<std::int64_t> insert_note(Sql sql, std::int64_t lead_id, std::int64_t author_id,
                                 const std::string& body, const std::string& at) {
  auto r = sql(k_insert_note, params(lead_id, author_id, body, at));
  if (!r) return r.error();
  return r->rows.at(0).i64(0);
}

Result<std::vector<LeadNote>> notes(Sql sql, std::int64_t lead_id) {
  auto r = sql(k_notes, params(lead_id));
  if (!r) return r.error();
  std::vector<LeadNote> out;
  for (const auto& row : r->rows)
    out.push_back({row.i64(0), row.i64(1), row.text(2), row.text(3), row.text(4)});
  return out;
}

Result<std::vector<LeadEvent>> events(Sql sql, std::int64_t lead_id) {
  auto r = sql(k_events, params(lead_id));
  if (!r) return r.error();
  std::vector<LeadEvent> out;
  for (const auto& row : r->rows)
    out.push_back({row.i64(0), row.opt_i64(1), row.text(2), row.text(3), row.opt_text(4),
                   row.opt_text(5), row.text(6)});
  return out;
}

Result<std::vector<InquiryRecord>> inquiries(Sql sql, std::int64_t lead_id) {
  auto r = sql(k_inquiries, params(lead_id));
  if (!r) return r.error();
  std::vector<InquiryRecord> out;
  for (const auto& row : r->rows) out.push_back({row.text(0), row.text(1), row.text(2)});
  return out;
}

Result<std::int64_t> insert_agency(Sql sql, const std::string& name, const std::string& at) {
  auto r = sql(k_insert_agency, params(name, at));
  if (!r) return r.error();
  return r->rows.at(0).i64(0);
}

Result<std::optional<Agency>> agency(Sql sql, std::int64_t id) {
  auto r = sql(k_agency, params(id));
  if (!r) return r.error();
  if (r->empty()) return std::nullopt;
  return Agency{r->rows[0].i64(0), r->rows[0].text(1), r->rows[0].text(2)};
}

Result<bool> set_user_agency(Sql sql, std::int64_t user_id, std::optional<std::int64_t> agency_id,
                             const std::string& at) {
  auto r = sql(k_set_user_agency, params(user_id, agency_id, at));
  if (!r) return r.error();
  return r->affected == 1;
}

Result<std::vector<UserRef>> agency_agents(Sql sql, std::int64_t agency_id) {
  auto r = sql(k_agency_agents, params(agency_id));
  if (!r) return r.error();
  std::vector<UserRef> out;
  for (const auto& row : r->rows) out.push_back(user_from(row));
  return out;
}

Result<std::vector<CityStatusCount>> listings_by_city_status(Sql sql) {
  auto r = sql(k_listings_by_city_status);
  if (!r) return r.error();
  std::vector<CityStatusCount> out;
  for (const auto& row : r->rows) out.push_back({row.opt_i64(0), row.text(1), row.i64(2)});
  return out;
}

Result<std::vector<DayCount>> leads_per_day(Sql sql, const std::string& since) {
  auto r = sql(k_leads_per_day, params(since));
  if (!r) return r.error();
  std::vector<DayCount> out;
  for (const auto& row : r->rows) out.push_back({row.text(0), row.i64(1)});
  return out;
}

Result<Funnel> funnel(Sql sql) {
  auto r = sql(k_funnel);
  if (!r) return r.error();
  Funnel f;
  f.inquiries = r->rows.at(0).i64(0);
  f.won = r->rows.at(0).i64(1);
  auto v = sql(k_visits_booked);
  if (!v) return v.error();
  f.visits_booked = v->rows.at(0).i64(0);
  return f;
}

}  // namespace griha::leads::repo
