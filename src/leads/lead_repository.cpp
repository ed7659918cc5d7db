#include "leads/lead_repository.hpp"

#include "visits/visit_repository.hpp"

namespace griha::leads::repo {
namespace {

using storage::params;
using storage::Query;
using storage::Row;

// SQLite needs no lock (BEGIN IMMEDIATE serialises writers); the parameter is still used so
// that both dialects bind the same list.
constexpr Query k_lock_seeker{"leads.lock_seeker", "SELECT length($1)",
                              "SELECT pg_advisory_xact_lock(hashtextextended($1, 5))"};
constexpr Query k_inquiries_since{
    "leads.inquiries_since",
    "SELECT COUNT(*) AS n, COALESCE(MIN(created_at), '') AS oldest FROM lead_inquiries "
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

#define GRIHA_LEAD_COLUMNS                                                                       \
  "l.id, l.listing_id, COALESCE(li.title, '') AS listing_title, l.lister_id, l.seeker_user_id, " \
  "l.contact_name, "                                                                             \
  "l.contact_phone, l.contact_email, l.message, l.preferred_contact_time, l.stage, "             \
  "l.lost_reason, l.assigned_to, l.inquiry_count, l.last_inquiry_at, l.created_at, "             \
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
    "SELECT l.stage, l.listing_id, COUNT(*) AS n FROM leads l WHERE " GRIHA_LEAD_FILTER
    "GROUP BY l.stage, l.listing_id"};
constexpr Query k_update_pipeline{
    "leads.update_pipeline",
    "UPDATE leads SET stage = $2, lost_reason = $3, assigned_to = $4, updated_at = $5 "
    "WHERE id = $1"};
constexpr Query k_newest_lead{"leads.newest_lead",
                              "SELECT id, stage FROM leads WHERE listing_id = $1 AND "
                              "seeker_user_id = $2 ORDER BY id DESC LIMIT 1",
                              "SELECT id, stage FROM leads WHERE listing_id = $1 AND "
                              "seeker_user_id = $2 ORDER BY id DESC LIMIT 1 FOR UPDATE"};
constexpr Query k_move_stage{
    "leads.move_stage",
    "UPDATE leads SET stage = $2, updated_at = $3 WHERE id = $1 AND stage = $4"};
constexpr Query k_seeker_inquiries{
    "leads.seeker_inquiries",
    "SELECT l.id, l.listing_id, COALESCE(li.title, '') AS listing_title, l.message, "
    "l.preferred_contact_time, "
    "l.stage, l.inquiry_count, l.created_at, l.updated_at FROM leads l "
    "JOIN listings li ON li.id = l.listing_id WHERE l.seeker_user_id = $1 "
    "AND (CAST($2 AS BIGINT) = 0 OR l.id < $2) ORDER BY l.id DESC LIMIT $3"};

#undef GRIHA_LEAD_COLUMNS
#undef GRIHA_LEAD_FILTER

constexpr Query k_insert_note{
    "leads.insert_note",
    "INSERT INTO lead_notes (lead_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) "
    "RETURNING id"};
constexpr Query k_notes{
    "leads.notes",
    "SELECT n.id, n.author_id, u.name AS author_name, n.body, n.created_at FROM lead_notes n "
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
// Asia/Kolkata is UTC+05:30 all year round.
constexpr Query k_leads_per_day{
    "leads.per_day",
    "SELECT substr(datetime(created_at, '+330 minutes'), 1, 10) AS day, COUNT(*) AS n FROM leads "
    "WHERE created_at >= $1 GROUP BY day ORDER BY day",
    "SELECT to_char(created_at::timestamptz AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD') AS day, "
    "COUNT(*) AS n FROM leads WHERE created_at >= $1 GROUP BY day ORDER BY day"};
constexpr Query k_funnel{
    "leads.funnel",
    "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN stage = 'won' THEN 1 ELSE 0 END), 0) AS won "
    "FROM leads"};

Lead lead_from(const Row& r) {
  Lead l;
  l.id = r.i64("id");
  l.listing_id = r.i64("listing_id");
  l.listing_title = r.text("listing_title");
  l.lister_id = r.i64("lister_id");
  l.seeker_user_id = r.opt_i64("seeker_user_id");
  l.contact_name = r.text("contact_name");
  l.contact_phone = r.opt_text("contact_phone");
  l.contact_email = r.opt_text("contact_email");
  l.message = r.text("message");
  l.preferred_contact_time = r.text("preferred_contact_time");
  l.stage = stage_from_string(r.text("stage")).value_or(Stage::fresh);
  l.lost_reason = r.text("lost_reason");
  l.assigned_to = r.opt_i64("assigned_to");
  l.inquiry_count = r.i64("inquiry_count");
  l.last_inquiry_at = r.text("last_inquiry_at");
  l.created_at = r.text("created_at");
  l.updated_at = r.text("updated_at");
  return l;
}

std::vector<storage::Value> filter_params(std::int64_t member, const LeadFilter& f) {
  return params(member, f.listing_id, f.stage, f.from, f.to);
}

using storage::done;

}  // namespace

Result<std::optional<ListingRef>> listing(Executor ex, std::int64_t id) {
  auto found = listings::repo::ref(ex, id);
  if (!found) return found.error();
  if (!*found) return std::nullopt;
  const auto& l = **found;
  return ListingRef{l.id, l.owner_id, std::string(listings::to_string(l.status)), l.title};
}

Result<std::optional<UserRef>> user(Executor ex, std::int64_t id) {
  return auth::repo::member(ex, id);
}

Result<void> lock_seeker(Executor ex, const std::string& seeker_key) {
  return done(ex.exec(k_lock_seeker, params(seeker_key)));
}

Result<RecentInquiries> inquiries_since(Executor ex, const std::string& seeker_key,
                                        const std::string& since) {
  return ex.one(k_inquiries_since, params(seeker_key, since), [](const Row& r) {
    return RecentInquiries{r.i64("n"), r.text("oldest")};
  });
}

Result<std::optional<std::int64_t>> recent_lead(Executor ex, std::int64_t listing_id,
                                                const std::string& seeker_key,
                                                const std::string& since) {
  return ex.maybe_value<std::int64_t>(k_recent_lead, params(listing_id, seeker_key, since), "id");
}

Result<std::int64_t> insert_lead(Executor ex, const Lead& l, const std::string& seeker_key) {
  return ex.one_value<std::int64_t>(
      k_insert_lead,
      params(l.listing_id, l.lister_id, l.seeker_user_id, seeker_key, l.contact_name,
             l.contact_phone, l.contact_email, l.message, l.preferred_contact_time, l.created_at),
      "id");
}

Result<void> follow_up(Executor ex, const Lead& l) {
  return done(
      ex.execute(k_follow_up, params(l.id, l.message, l.preferred_contact_time, l.contact_name,
                                     l.contact_phone, l.contact_email, l.last_inquiry_at)));
}

Result<void> insert_inquiry(Executor ex, std::int64_t lead_id, const std::string& seeker_key,
                            const std::string& message, const std::string& contact_time,
                            const std::string& at) {
  return done(ex.execute(k_insert_inquiry, params(lead_id, seeker_key, message, contact_time, at)));
}

Result<void> insert_event(Executor ex, std::int64_t lead_id, std::optional<std::int64_t> actor_id,
                          const std::string& at, const std::string& kind,
                          std::optional<std::string> from_stage,
                          std::optional<std::string> to_stage, const std::string& detail) {
  return done(ex.execute(k_insert_event,
                         params(lead_id, actor_id, at, kind, from_stage, to_stage, detail)));
}

Result<std::optional<Lead>> lead(Executor ex, std::int64_t id) {
  return ex.maybe(k_lead, params(id), lead_from);
}

Result<std::optional<Lead>> lead_for_update(Executor ex, std::int64_t id) {
  return ex.maybe(k_lead_for_update, params(id), lead_from);
}

Result<void> update_pipeline(Executor ex, const Lead& l) {
  return done(ex.execute(k_update_pipeline, params(l.id, std::string(to_string(l.stage)),
                                                   l.lost_reason, l.assigned_to, l.updated_at)));
}

Result<std::optional<StageOf>> newest_lead_for_update(Executor ex, std::int64_t listing_id,
                                                      std::int64_t seeker_user_id) {
  return ex.maybe(k_newest_lead, params(listing_id, seeker_user_id), [](const Row& r) {
    return StageOf{r.i64("id"), r.text("stage")};
  });
}

Result<bool> move_stage(Executor ex, std::int64_t id, const std::string& from, std::string_view to,
                        const std::string& at) {
  auto changed = ex.execute(k_move_stage, params(id, to, at, from));
  if (!changed) return changed.error();
  return *changed == 1;
}

Result<std::vector<Lead>> leads(Executor ex, std::int64_t member, const LeadFilter& f) {
  auto p = filter_params(member, f);
  p.emplace_back(f.before_id);
  p.emplace_back(std::int64_t{f.limit});
  return ex.all(k_leads, p, lead_from);
}

Result<std::vector<StageCount>> stage_counts(Executor ex, std::int64_t member,
                                             const LeadFilter& f) {
  return ex.all(k_stage_counts, filter_params(member, f), [](const Row& r) {
    return StageCount{r.text("stage"), r.i64("listing_id"), r.i64("n")};
  });
}

Result<std::vector<SeekerInquiry>> seeker_inquiries(Executor ex, std::int64_t user_id,
                                                    std::int64_t before_id, int limit) {
  return ex.all(k_seeker_inquiries, params(user_id, before_id, limit), [](const Row& r) {
    return SeekerInquiry{r.i64("id"),
                         r.i64("listing_id"),
                         r.text("listing_title"),
                         r.text("message"),
                         r.text("preferred_contact_time"),
                         stage_from_string(r.text("stage")).value_or(Stage::fresh),
                         r.i64("inquiry_count"),
                         r.text("created_at"),
                         r.text("updated_at")};
  });
}

Result<std::int64_t> insert_note(Executor ex, std::int64_t lead_id, std::int64_t author_id,
                                 const std::string& body, const std::string& at) {
  return ex.one_value<std::int64_t>(k_insert_note, params(lead_id, author_id, body, at), "id");
}

Result<std::vector<LeadNote>> notes(Executor ex, std::int64_t lead_id) {
  return ex.all(k_notes, params(lead_id), [](const Row& r) {
    return LeadNote{r.i64("id"), r.i64("author_id"), r.text("author_name"), r.text("body"),
                    r.text("created_at")};
  });
}

Result<std::vector<LeadEvent>> events(Executor ex, std::int64_t lead_id) {
  return ex.all(k_events, params(lead_id), [](const Row& r) {
    return LeadEvent{r.i64("id"),     r.opt_i64("actor_id"),    r.text("at"),
                     r.text("kind"),  r.opt_text("from_stage"), r.opt_text("to_stage"),
                     r.text("detail")};
  });
}

Result<std::vector<InquiryRecord>> inquiries(Executor ex, std::int64_t lead_id) {
  return ex.all(k_inquiries, params(lead_id), [](const Row& r) {
    return InquiryRecord{r.text("message"), r.text("preferred_contact_time"), r.text("created_at")};
  });
}

Result<std::int64_t> insert_agency(Executor ex, const std::string& name, const std::string& at) {
  return ex.one_value<std::int64_t>(k_insert_agency, params(name, at), "id");
}

Result<std::optional<Agency>> agency(Executor ex, std::int64_t id) {
  return ex.maybe(k_agency, params(id), [](const Row& r) {
    return Agency{r.i64("id"), r.text("name"), r.text("created_at")};
  });
}

Result<bool> set_user_agency(Executor ex, std::int64_t user_id,
                             std::optional<std::int64_t> agency_id, const std::string& at) {
  return auth::repo::set_agency_id(ex, user_id, agency_id, at);
}

Result<std::vector<UserRef>> agency_agents(Executor ex, std::int64_t agency_id) {
  return auth::repo::agency_agents(ex, agency_id);
}

Result<std::vector<listings::CityStatusCount>> listings_by_city_status(Executor ex) {
  return listings::repo::count_by_city_status(ex);
}

Result<std::vector<DayCount>> leads_per_day(Executor ex, const std::string& since) {
  return ex.all(k_leads_per_day, params(since), [](const Row& r) {
    return DayCount{r.text("day"), r.i64("n")};
  });
}

Result<Funnel> funnel(Executor ex) {
  auto f = ex.one(k_funnel, {}, [](const Row& r) {
    Funnel out;
    out.inquiries = r.i64("n");
    out.won = r.i64("won");
    return out;
  });
  if (!f) return f.error();
  auto visits = visits::repo::count_all(ex);
  if (!visits) return visits.error();
  f->visits_booked = *visits;
  return f;
}

}  // namespace griha::leads::repo
