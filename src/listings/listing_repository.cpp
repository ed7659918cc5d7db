#include "listings/listing_repository.hpp"

#include <array>
#include <limits>

namespace griha::listings::repo {
namespace {

using storage::params;
using storage::Query;
using storage::Row;
using storage::Value;

// The columns every listing has besides the field table's: the one list that SELECT, INSERT
// and UPDATE are all built from. `id` is assigned by the database and never written.
constexpr std::array<std::string_view, 13> k_system_columns = {
    "owner_id",         "status",       "posted_by",   "featured", "verified",
    "rejection_reason", "amenities",    "photo_count", "version",  "created_at",
    "updated_at",       "published_at", "expires_at"};

std::string column(const FieldSpec& f) {
  // "transaction" is an SQL keyword.
  return f.name == "transaction" ? "transaction_type" : std::string(f.name);
}

// The written columns, in the order of values_of().
const std::vector<std::string>& written_columns() {
  static const std::vector<std::string> cols = [] {
    std::vector<std::string> out(k_system_columns.begin(), k_system_columns.end());
    for (const auto& f : listing_fields()) out.push_back(column(f));
    return out;
  }();
  return cols;
}

std::string joined(const std::vector<std::string>& cols, std::string_view suffix = "") {
  std::string out;
  for (std::size_t i = 0; i < cols.size(); ++i)
    out += (i ? ", " : "") + cols[i] + std::string(suffix);
  return out;
}

const std::string& select_sql() {
  static const std::string sql =
      "SELECT id, " + joined(written_columns()) + " FROM listings WHERE deleted_at IS NULL";
  return sql;
}

// Parameters $1..$N in the order of written_columns().
std::vector<Value> values_of(const Listing& l) {
  std::vector<Value> v =
      params(l.owner_id, std::string(to_string(l.status)), l.posted_by, l.featured, l.verified,
             l.rejection_reason, static_cast<std::int64_t>(l.amenities), l.photo_count, l.version,
             l.created_at, l.updated_at, l.published_at.empty() ? Value{} : Value{l.published_at},
             l.expires_at.empty() ? Value{} : Value{l.expires_at});
  for (const auto& f : listing_fields())
    std::visit(
        [&](auto member) {
          const auto& slot = l.*member;
          if (!slot)
            v.emplace_back();
          else
            v.push_back(params(*slot)[0]);
        },
        f.member);
  return v;
}

const std::string& insert_sql() {
  static const std::string sql = [] {
    const auto& cols = written_columns();
    std::string placeholders;
    for (std::size_t i = 1; i <= cols.size(); ++i)
      placeholders += (i > 1 ? ", $" : "$") + std::to_string(i);
    return "INSERT INTO listings (" + joined(cols) + ") VALUES (" + placeholders + ") RETURNING id";
  }();
  return sql;
}

const std::string& update_sql() {
  static const std::string sql = [] {
    const auto& cols = written_columns();
    std::string sets;
    for (std::size_t i = 0; i < cols.size(); ++i)
      sets += (i ? ", " : "") + cols[i] + " = $" + std::to_string(i + 1);
    const std::size_t n = cols.size();
    return "UPDATE listings SET " + sets + " WHERE id = $" + std::to_string(n + 1) +
           " AND version = $" + std::to_string(n + 2) + " AND deleted_at IS NULL";
  }();
  return sql;
}

Listing listing_from(const Row& r) {
  Listing l;
  l.id = r.i64("id");
  l.owner_id = r.i64("owner_id");
  l.status = status_from_string(r.text("status")).value_or(Status::draft);
  l.posted_by = r.text("posted_by");
  l.featured = r.flag("featured");
  l.verified = r.flag("verified");
  l.rejection_reason = r.text("rejection_reason");
  l.amenities = static_cast<std::uint64_t>(r.i64("amenities"));
  l.photo_count = r.i64("photo_count");
  l.version = r.i64("version");
  l.created_at = r.text("created_at");
  l.updated_at = r.text("updated_at");
  l.published_at = r.text("published_at");
  l.expires_at = r.text("expires_at");
  const auto& cols = written_columns();
  std::size_t i = k_system_columns.size();
  for (const auto& f : listing_fields()) {
    const std::string& name = cols[i++];
    std::visit(
        [&](auto member) {
          auto& slot = l.*member;
          using T = typename std::remove_reference_t<decltype(slot)>::value_type;
          slot = r.get<std::optional<T>>(name);
        },
        f.member);
  }
  return l;
}

// Built on first use, not at static initialisation: the field table lives in another file.
const Query& find_query() {
  static const std::string sql = select_sql() + " AND id = $1";
  static const Query q{"listings.find", sql};
  return q;
}
const Query& by_owner_query() {
  static const std::string sql =
      select_sql() + " AND owner_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";
  static const Query q{"listings.by_owner", sql};
  return q;
}
const Query& queue_query() {
  static const std::string sql =
      select_sql() +
      " AND (status = 'pending_review' OR id IN (SELECT listing_id FROM listing_revisions"
      " WHERE status = 'pending')) ORDER BY COALESCE(submitted_at, updated_at), id LIMIT $1";
  static const Query q{"listings.queue", sql};
  return q;
}
const Query& insert_query() {
  static const Query q{"listings.insert", insert_sql()};
  return q;
}
const Query& update_query() {
  static const Query q{"listings.update", update_sql()};
  return q;
}

// Active listings with their cover photo's storage key, for search (ActiveListing).
const std::string& active_sql() {
  static const std::string sql =
      "SELECT id, " + joined(written_columns()) +
      ", (SELECT storage_key FROM listing_media m WHERE m.listing_id = listings.id AND"
      " m.kind = 'photo' ORDER BY m.cover DESC, m.sort_order, m.id LIMIT 1) AS cover_key"
      " FROM listings WHERE deleted_at IS NULL AND status = 'active'";
  return sql;
}
const Query& active_by_id_query() {
  static const std::string sql = active_sql() + " AND id > $1 AND id <= $2 ORDER BY id LIMIT $3";
  static const Query q{"listings.active_by_id", sql};
  return q;
}
const Query& active_by_published_query() {
  static const std::string sql =
      active_sql() +
      " AND published_at IS NOT NULL AND (published_at > $1 OR (published_at = $1 AND id > $2))"
      " ORDER BY published_at, id LIMIT $3";
  static const Query q{"listings.active_by_published", sql};
  return q;
}
const Query& active_query() {
  static const std::string sql = active_sql() + " AND id = $1";
  static const Query q{"listings.active", sql};
  return q;
}
constexpr Query k_max_id{"listings.max_id",
                         "SELECT COALESCE(MAX(id), 0) AS max_id FROM listings"};

ActiveListing active_from(const Row& r) {
  return {listing_from(r), r.opt_text("cover_key").value_or(std::string())};
}

constexpr Query k_ref{"listings.ref",
                      "SELECT id, owner_id, status, COALESCE(title, '') AS title, "
                      "COALESCE(city_id, 0) AS city_id, COALESCE(locality_id, 0) AS locality_id "
                      "FROM listings WHERE id = $1 AND deleted_at IS NULL"};
constexpr Query k_lock{"listings.lock", "SELECT id FROM listings WHERE id = $1",
                       "SELECT id FROM listings WHERE id = $1 FOR UPDATE"};
constexpr Query k_soft_delete{"listings.soft_delete",
                              "UPDATE listings SET deleted_at = $2, updated_at = $2, "
                              "version = version + 1 WHERE id = $1"};
constexpr Query k_mark_submitted{"listings.mark_submitted",
                                 "UPDATE listings SET submitted_at = $2 WHERE id = $1"};
constexpr Query k_add_event{
    "listings.add_event",
    "INSERT INTO listing_events (listing_id, actor_id, at, from_status, to_status, reason) "
    "VALUES ($1, $2, $3, $4, $5, $6)"};
constexpr Query k_events{"listings.events",
                         "SELECT actor_id, at, from_status, to_status, reason FROM listing_events "
                         "WHERE listing_id = $1 ORDER BY id"};
constexpr Query k_supersede_revision{
    "listings.supersede_revision",
    "UPDATE listing_revisions SET status = 'superseded', decided_at = $2 "
    "WHERE listing_id = $1 AND status = 'pending'"};
constexpr Query k_put_revision{
    "listings.put_revision",
    "INSERT INTO listing_revisions (listing_id, patch, status, created_at) "
    "VALUES ($1, $2, 'pending', $3)"};
constexpr Query k_pending_revision{
    "listings.pending_revision",
    "SELECT id, listing_id, patch, created_at FROM listing_revisions "
    "WHERE listing_id = $1 AND status = 'pending'"};
constexpr Query k_decide_revision{
    "listings.decide_revision",
    "UPDATE listing_revisions SET status = $2, decided_by = $3, reason = $4, decided_at = $5 "
    "WHERE id = $1 AND status = 'pending'"};
constexpr Query k_due_to_expire{
    "listings.due_to_expire",
    "SELECT id FROM listings WHERE status = 'active' AND deleted_at IS NULL "
    "AND expires_at < $1 ORDER BY expires_at LIMIT $2"};
constexpr Query k_add_views{
    "listings.add_views",
    "INSERT INTO listing_views (listing_id, views) VALUES ($1, $2) ON CONFLICT (listing_id) DO "
    "UPDATE SET views = listing_views.views + excluded.views"};
constexpr Query k_views_of_owner{
    "listings.views_of_owner",
    "SELECT v.listing_id, v.views FROM listing_views v JOIN listings l ON l.id = v.listing_id "
    "WHERE l.owner_id = $1"};
constexpr Query k_count_by_city_status{
    "listings.count_by_city_status",
    "SELECT city_id, status, COUNT(*) AS n FROM listings WHERE deleted_at IS NULL "
    "GROUP BY city_id, status ORDER BY city_id, status"};

}  // namespace

Result<std::int64_t> insert(Executor ex, const Listing& l) {
  return ex.one_value<std::int64_t>(insert_query(), values_of(l), "id");
}

Result<bool> update(Executor ex, const Listing& l, std::int64_t expected_version) {
  auto v = values_of(l);
  v.emplace_back(l.id);
  v.emplace_back(expected_version);
  auto changed = ex.execute(update_query(), v);
  if (!changed) return changed.error();
  if (*changed == 1 && l.status == Status::pending_review)
    if (auto r = ex.execute(k_mark_submitted, params(l.id, l.updated_at)); !r) return r.error();
  return *changed == 1;
}

Result<std::optional<Listing>> find(Executor ex, std::int64_t id) {
  return ex.maybe(find_query(), params(id), listing_from);
}

Result<std::vector<Listing>> by_owner(Executor ex, std::int64_t owner_id, std::int64_t before_id,
                                      int limit) {
  return ex.all(
      by_owner_query(),
      params(owner_id, before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max(), limit),
      listing_from);
}

Result<void> soft_delete(Executor ex, std::int64_t id, const std::string& at) {
  return storage::done(ex.execute(k_soft_delete, params(id, at)));
}

Result<std::optional<ListingRef>> ref(Executor ex, std::int64_t id) {
  return ex.maybe(k_ref, params(id), [](const Row& r) {
    return ListingRef{r.i64("id"),
                      r.i64("owner_id"),
                      status_from_string(r.text("status")).value_or(Status::draft),
                      r.text("title"),
                      r.i64("city_id"),
                      r.i64("locality_id")};
  });
}

Result<void> lock(Executor ex, std::int64_t id) {
  return storage::done(ex.exec(k_lock, params(id)));
}

Result<void> add_event(Executor ex, std::int64_t listing_id, std::int64_t actor_id,
                       std::optional<Status> from, Status to, const std::string& reason,
                       const std::string& at) {
  return storage::done(ex.execute(
      k_add_event,
      params(listing_id, actor_id, at, from ? Value{std::string(to_string(*from))} : Value{},
             std::string(to_string(to)), reason)));
}

Result<std::vector<ListingEvent>> events(Executor ex, std::int64_t listing_id) {
  return ex.all(k_events, params(listing_id), [](const Row& r) {
    return ListingEvent{r.i64("actor_id"), r.text("at"), r.text("from_status"), r.text("to_status"),
                        r.text("reason")};
  });
}

Result<void> put_revision(Executor ex, std::int64_t listing_id, const std::string& patch,
                          const std::string& at) {
  if (auto r = ex.execute(k_supersede_revision, params(listing_id, at)); !r) return r.error();
  return storage::done(ex.execute(k_put_revision, params(listing_id, patch, at)));
}

Result<std::optional<Revision>> pending_revision(Executor ex, std::int64_t listing_id) {
  return ex.maybe(k_pending_revision, params(listing_id), [](const Row& r) {
    return Revision{r.i64("id"), r.i64("listing_id"), r.text("patch"), r.text("created_at")};
  });
}

Result<void> decide_revision(Executor ex, std::int64_t revision_id, bool approved,
                             std::int64_t admin_id, const std::string& reason,
                             const std::string& at) {
  return storage::done(
      ex.execute(k_decide_revision,
                 params(revision_id, approved ? "approved" : "rejected", admin_id, reason, at)));
}

Result<std::vector<Listing>> moderation_queue(Executor ex, int limit) {
  return ex.all(queue_query(), params(limit), listing_from);
}

Result<std::vector<std::int64_t>> due_to_expire(Executor ex, const std::string& now, int limit) {
  return ex.all(k_due_to_expire, params(now, limit), [](const Row& r) { return r.i64("id"); });
}

Result<void> add_views(Executor ex, std::int64_t listing_id, std::int64_t n) {
  return storage::done(ex.execute(k_add_views, params(listing_id, n)));
}

Result<std::map<std::int64_t, std::int64_t>> views_of_owner(Executor ex, std::int64_t owner_id) {
  auto rows = ex.exec(k_views_of_owner, params(owner_id));
  if (!rows) return rows.error();
  std::map<std::int64_t, std::int64_t> out;
  for (const auto& r : rows->rows) out[r.i64("listing_id")] = r.i64("views");
  return out;
}

Result<std::vector<CityStatusCount>> count_by_city_status(Executor ex) {
  return ex.all(k_count_by_city_status, {}, [](const Row& r) {
    return CityStatusCount{r.opt_i64("city_id"), r.text("status"), r.i64("n")};
  });
}

Result<std::vector<ActiveListing>> active_by_id(Executor ex, std::int64_t after_id,
                                                std::int64_t to_id, std::int64_t limit) {
  return ex.all(active_by_id_query(), params(after_id, to_id, limit), active_from);
}

Result<std::vector<ActiveListing>> active_by_published(Executor ex,
                                                       const std::string& after_published_at,
                                                       std::int64_t after_id, std::int64_t limit) {
  return ex.all(active_by_published_query(), params(after_published_at, after_id, limit),
                active_from);
}

Result<std::optional<ActiveListing>> active(Executor ex, std::int64_t id) {
  return ex.maybe(active_query(), params(id), active_from);
}

Result<std::int64_t> max_id(Executor ex) {
  return ex.one_value<std::int64_t>(k_max_id, {}, "max_id");
}

}  // namespace griha::listings::repo
