#include "listings/listing_repository.hpp"

#include <limits>

namespace griha::listings {
namespace {

using storage::Query;
using storage::Value;

// The system columns, then the field table's, in this order in every SELECT.
constexpr std::string_view k_system_columns =
    "id, owner_id, status, posted_by, featured, verified, rejection_reason, amenities, "
    "photo_count, version, created_at, updated_at, published_at, expires_at";
constexpr std::size_t k_system_count = 14;

std::string column(const FieldSpec& f) {
  // "transaction" is an SQL keyword.
  return f.name == "transaction" ? "transaction_type" : std::string(f.name);
}

std::string field_columns() {
  std::string out;
  for (const auto& f : listing_fields()) out += ", " + column(f);
  return out;
}

const std::string& select_sql() {
  static const std::string sql = "SELECT " + std::string(k_system_columns) + field_columns() +
                                 " FROM listings WHERE deleted_at IS NULL";
  return sql;
}

// Parameters $1..$N in the order of k_system_columns (without id) and then the fields.
std::vector<Value> values_of(const Listing& l) {
  std::vector<Value> v = storage::params(
      l.owner_id, std::string(to_string(l.status)), l.posted_by, l.featured, l.verified,
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
            v.push_back(storage::params(*slot)[0]);
        },
        f.member);
  return v;
}

const std::string& insert_sql() {
  static const std::string sql = [] {
    std::string cols = std::string(k_system_columns).substr(4) + field_columns();  // without id
    std::string placeholders;
    const std::size_t n = k_system_count - 1 + listing_fields().size();
    for (std::size_t i = 1; i <= n; ++i) placeholders += (i > 1 ? ", $" : "$") + std::to_string(i);
    return "INSERT INTO listings (" + cols + ") VALUES (" + placeholders + ") RETURNING id";
  }();
  return sql;
}

const std::string& update_sql() {
  static const std::string sql = [] {
    std::vector<std::string> cols = {"owner_id",  "status",           "posted_by",  "featured",
                                     "verified",  "rejection_reason", "amenities",  "photo_count",
                                     "version",   "created_at",       "updated_at", "published_at",
                                     "expires_at"};
    for (const auto& f : listing_fields()) cols.push_back(column(f));
    std::string sets;
    for (std::size_t i = 0; i < cols.size(); ++i)
      sets += (i ? ", " : "") + cols[i] + " = $" + std::to_string(i + 1);
    const std::size_t n = cols.size();
    return "UPDATE listings SET " + sets + " WHERE id = $" + std::to_string(n + 1) +
           " AND version = $" + std::to_string(n + 2) + " AND deleted_at IS NULL";
  }();
  return sql;
}

std::optional<std::string> opt_text(const storage::Row& r, std::size_t i) {
  return r.is_null(i) ? std::nullopt : std::optional<std::string>(r.text(i));
}

Listing from_row(const storage::Row& r) {
  Listing l;
  l.id = r.i64(0);
  l.owner_id = r.i64(1);
  l.status = status_from_string(r.text(2)).value_or(Status::draft);
  l.posted_by = r.text(3);
  l.featured = r.i64(4) != 0;
  l.verified = r.i64(5) != 0;
  l.rejection_reason = r.text(6);
  l.amenities = static_cast<std::uint64_t>(r.i64(7));
  l.photo_count = r.i64(8);
  l.version = r.i64(9);
  l.created_at = r.text(10);
  l.updated_at = r.text(11);
  l.published_at = r.text(12);
  l.expires_at = r.text(13);
  std::size_t i = k_system_count;
  for (const auto& f : listing_fields()) {
    std::visit(
        [&](auto member) {
          auto& slot = l.*member;
          using T = typename std::remove_reference_t<decltype(slot)>::value_type;
          if (r.is_null(i))
            slot.reset();
          else if constexpr (std::is_same_v<T, std::string>)
            slot = r.text(i);
          else if constexpr (std::is_same_v<T, double>)
            slot = r.f64(i);
          else if constexpr (std::is_same_v<T, bool>)
            slot = r.i64(i) != 0;
          else
            slot = r.i64(i);
        },
        f.member);
    ++i;
  }
  return l;
}

Result<std::vector<Listing>> listings_of(Result<storage::Rows> rows) {
  if (!rows) return rows.error();
  std::vector<Listing> out;
  for (const auto& r : rows->rows) out.push_back(from_row(r));
  return out;
}

Result<std::optional<Listing>> first_of(Result<storage::Rows> rows) {
  if (!rows) return rows.error();
  if (rows->rows.empty()) return std::optional<Listing>();
  return std::optional<Listing>(from_row(rows->rows.front()));
}

// Built on first use, not at static initialisation: the field table lives in another file.
const storage::Query& find_query() {
  static const std::string sql = select_sql() + " AND id = $1";
  static const storage::Query q{"listings.find", sql};
  return q;
}
const storage::Query& by_owner_query() {
  static const std::string sql =
      select_sql() + " AND owner_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";
  static const storage::Query q{"listings.by_owner", sql};
  return q;
}
const storage::Query& queue_query() {
  static const std::string sql =
      select_sql() +
      " AND (status = 'pending_review' OR id IN (SELECT listing_id FROM listing_revisions"
      " WHERE status = 'pending')) ORDER BY COALESCE(submitted_at, updated_at), id LIMIT $1";
  static const storage::Query q{"listings.queue", sql};
  return q;
}

// Active listings with their cover photo, for search (ActiveListing).
const std::string& active_sql() {
  static const std::string sql =
      "SELECT " + std::string(k_system_columns) + field_columns() +
      ", (SELECT storage_key FROM listing_media m WHERE m.listing_id = listings.id AND"
      " m.kind = 'photo' ORDER BY m.cover DESC, m.sort_order, m.id LIMIT 1)"
      " FROM listings WHERE deleted_at IS NULL AND status = 'active'";
  return sql;
}
const storage::Query& active_by_id_query() {
  static const std::string sql = active_sql() + " AND id > $1 AND id <= $2 ORDER BY id LIMIT $3";
  static const storage::Query q{"listings.active_by_id", sql};
  return q;
}
const storage::Query& active_by_published_query() {
  static const std::string sql =
      active_sql() +
      " AND published_at IS NOT NULL AND (published_at > $1 OR (published_at = $1 AND id > $2))"
      " ORDER BY published_at, id LIMIT $3";
  static const storage::Query q{"listings.active_by_published", sql};
  return q;
}
const storage::Query& active_query() {
  static const std::string sql = active_sql() + " AND id = $1";
  static const storage::Query q{"listings.active", sql};
  return q;
}
constexpr Query k_max_id{"listings.max_id", "SELECT COALESCE(MAX(id), 0) FROM listings"};

Result<std::vector<ActiveListing>> active_of(Result<storage::Rows> rows) {
  if (!rows) return rows.error();
  std::vector<ActiveListing> out;
  out.reserve(rows->rows.size());
  const std::size_t cover = k_system_count + listing_fields().size();
  for (const auto& r : rows->rows)
    out.push_back({from_row(r), r.is_null(cover) ? std::string() : r.text(cover)});
  return out;
}

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

}  // namespace

Result<std::int64_t> ListingRepository::insert(storage::Transaction& tx, const Listing& l) {
  auto rows = tx.exec({"listings.insert", insert_sql()}, values_of(l));
  if (!rows) return rows.error();
  return rows->rows.at(0).i64(0);
}

Result<bool> ListingRepository::update(storage::Transaction& tx, const Listing& l,
                                       std::int64_t expected_version) {
  auto v = values_of(l);
  v.emplace_back(l.id);
  v.emplace_back(expected_version);
  auto rows = tx.exec({"listings.update", update_sql()}, v);
  if (!rows) return rows.error();
  if (rows->affected == 1 && l.status == Status::pending_review)
    if (auto r = tx.exec(k_mark_submitted, storage::params(l.id, l.updated_at)); !r)
      return r.error();
  return rows->affected == 1;
}

Result<std::optional<Listing>> ListingRepository::find(std::int64_t id) {
  return first_of(db_.exec(find_query(), storage::params(id)));
}

Result<std::optional<Listing>> ListingRepository::find(storage::Transaction& tx, std::int64_t id) {
  return first_of(tx.exec(find_query(), storage::params(id)));
}

Result<std::vector<Listing>> ListingRepository::by_owner(std::int64_t owner_id,
                                                         std::int64_t before_id, int limit) {
  return listings_of(db_.exec(
      by_owner_query(),
      storage::params(
          owner_id, before_id > 0 ? before_id : std::numeric_limits<std::int64_t>::max(), limit)));
}

Result<void> ListingRepository::soft_delete(storage::Transaction& tx, std::int64_t id,
                                            const std::string& at) {
  if (auto r = tx.exec(k_soft_delete, storage::params(id, at)); !r) return r.error();
  return {};
}

Result<void> ListingRepository::add_event(storage::Transaction& tx, std::int64_t listing_id,
                                          std::int64_t actor_id, std::optional<Status> from,
                                          Status to, const std::string& reason,
                                          const std::string& at) {
  auto r =
      tx.exec(k_add_event, storage::params(listing_id, actor_id, at,
                                           from ? Value{std::string(to_string(*from))} : Value{},
                                           std::string(to_string(to)), reason));
  if (!r) return r.error();
  return {};
}

Result<std::vector<ListingEvent>> ListingRepository::events(std::int64_t listing_id) {
  auto rows = db_.exec(k_events, storage::params(listing_id));
  if (!rows) return rows.error();
  std::vector<ListingEvent> out;
  for (const auto& r : rows->rows)
    out.push_back({r.i64(0), r.text(1), r.text(2), r.text(3), r.text(4)});
  return out;
}

Result<void> ListingRepository::put_revision(storage::Transaction& tx, std::int64_t listing_id,
                                             const std::string& patch, const std::string& at) {
  if (auto r = tx.exec(k_supersede_revision, storage::params(listing_id, at)); !r) return r.error();
  if (auto r = tx.exec(k_put_revision, storage::params(listing_id, patch, at)); !r)
    return r.error();
  return {};
}

Result<std::optional<Revision>> ListingRepository::pending_revision(std::int64_t listing_id) {
  auto rows = db_.exec(k_pending_revision, storage::params(listing_id));
  if (!rows) return rows.error();
  if (rows->rows.empty()) return std::optional<Revision>();
  const auto& r = rows->rows.front();
  return std::optional<Revision>(Revision{r.i64(0), r.i64(1), r.text(2), r.text(3)});
}

Result<void> ListingRepository::decide_revision(storage::Transaction& tx, std::int64_t revision_id,
                                                bool approved, std::int64_t admin_id,
                                                const std::string& reason, const std::string& at) {
  auto r = tx.exec(
      k_decide_revision,
      storage::params(revision_id, approved ? "approved" : "rejected", admin_id, reason, at));
  if (!r) return r.error();
  return {};
}

Result<std::vector<Listing>> ListingRepository::moderation_queue(int limit) {
  return listings_of(db_.exec(queue_query(), storage::params(limit)));
}

Result<std::vector<std::int64_t>> ListingRepository::due_to_expire(const std::string& now,
                                                                   int limit) {
  auto rows = db_.exec(k_due_to_expire, storage::params(now, limit));
  if (!rows) return rows.error();
  std::vector<std::int64_t> ids;
  for (const auto& r : rows->rows) ids.push_back(r.i64(0));
  return ids;
}

Result<std::vector<ActiveListing>> ListingRepository::active_by_id(std::int64_t after_id,
                                                                 std::int64_t to_id,
                                                                 std::int64_t limit) {
  return active_of(db_.exec(active_by_id_query(), storage::params(after_id, to_id, limit)));
}

Result<std::vector<ActiveListing>> ListingRepository::active_by_published(
    const std::string& after_published_at, std::int64_t after_id, std::int64_t limit) {
  return active_of(
      db_.exec(active_by_published_query(), storage::params(after_published_at, after_id, limit)));
}

Result<std::optional<ActiveListing>> ListingRepository::active(std::int64_t id) {
  auto rows = active_of(db_.exec(active_query(), storage::params(id)));
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<ActiveListing>();
  return std::optional<ActiveListing>(std::move(rows->front()));
}

Result<std::int64_t> ListingRepository::max_id() {
  auto rows = db_.exec(k_max_id);
  if (!rows) return rows.error();
  return rows->rows.at(0).i64(0);
}

}  // namespace griha::listings
