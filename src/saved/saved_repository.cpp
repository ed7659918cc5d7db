#include "saved/saved_repository.hpp"

namespace griha::saved {
namespace {

using storage::params;
using storage::Query;

constexpr Query k_lock_user{"saved.lock_user", "SELECT id FROM users WHERE id = $1",
                            "SELECT id FROM users WHERE id = $1 FOR UPDATE"};

constexpr Query k_shortlist_contains{
    "saved.shortlist_contains",
    "SELECT 1 FROM shortlist_items WHERE user_id = $1 AND listing_id = $2"};
constexpr Query k_shortlist_count{"saved.shortlist_count",
                                  "SELECT COUNT(*) FROM shortlist_items WHERE user_id = $1"};
constexpr Query k_shortlist_insert{
    "saved.shortlist_insert",
    "INSERT INTO shortlist_items (user_id, listing_id, title, added_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (user_id, listing_id) DO NOTHING"};
constexpr Query k_shortlist_delete{
    "saved.shortlist_delete", "DELETE FROM shortlist_items WHERE user_id = $1 AND listing_id = $2"};
constexpr Query k_shortlist{"saved.shortlist",
                            "SELECT listing_id, title, added_at FROM shortlist_items "
                            "WHERE user_id = $1 ORDER BY added_at DESC, listing_id DESC"};

#define SAVED_SEARCH_COLUMNS                                                                \
  "id, user_id, name, query, frequency, created_at, updated_at, checked_at, alerts_since, " \
  "last_sent_at, unsubscribed_at"

constexpr Query k_search_count{"saved.search_count",
                               "SELECT COUNT(*) FROM saved_searches WHERE user_id = $1"};
constexpr Query k_insert_search{
    "saved.insert_search",
    "INSERT INTO saved_searches (user_id, name, query, frequency, created_at, updated_at, "
    "checked_at, alerts_since) VALUES ($1, $2, $3, $4, $5, $5, $5, $5) RETURNING id"};
constexpr Query k_find_search{"saved.find_search",
                              "SELECT " SAVED_SEARCH_COLUMNS " FROM saved_searches WHERE id = $1"};
// Inside a write: the row stays locked until commit, so a sweep advancing its watermark and an
// edit of the same search on PostgreSQL cannot overwrite each other's columns.
constexpr Query k_find_search_for_update{
    "saved.find_search_for_update",
    "SELECT " SAVED_SEARCH_COLUMNS " FROM saved_searches WHERE id = $1",
    "SELECT " SAVED_SEARCH_COLUMNS " FROM saved_searches WHERE id = $1 FOR UPDATE"};
constexpr Query k_searches_of{"saved.searches_of", "SELECT " SAVED_SEARCH_COLUMNS
                                                   " FROM saved_searches WHERE user_id = $1 "
                                                   "ORDER BY id DESC"};
constexpr Query k_update_search{
    "saved.update_search",
    "UPDATE saved_searches SET name = $2, frequency = $3, updated_at = $4, checked_at = $5, "
    "alerts_since = $6, unsubscribed_at = $7 WHERE id = $1"};
constexpr Query k_delete_search{"saved.delete_search", "DELETE FROM saved_searches WHERE id = $1"};

constexpr Query k_due{"saved.due",
                      "SELECT " SAVED_SEARCH_COLUMNS
                      " FROM saved_searches WHERE id > $1 AND (frequency = 'instant' OR "
                      "(frequency = 'daily' AND checked_at <= $2) OR "
                      "(frequency = 'weekly' AND checked_at <= $3)) ORDER BY id LIMIT $4"};
constexpr Query k_advance{"saved.advance",
                          "UPDATE saved_searches SET checked_at = $3 "
                          "WHERE id = $1 AND checked_at = $2 AND frequency <> 'off'"};
constexpr Query k_alerted{"saved.alerted",
                          "SELECT listing_id FROM saved_search_alerted WHERE saved_search_id = $1"};
constexpr Query k_add_alerted{
    "saved.add_alerted",
    "INSERT INTO saved_search_alerted (saved_search_id, listing_id, published_at) "
    "VALUES ($1, $2, $3)"};
constexpr Query k_prune_alerted{
    "saved.prune_alerted",
    "DELETE FROM saved_search_alerted WHERE saved_search_id = $1 AND published_at < $2"};
constexpr Query k_mark_sent{"saved.mark_sent",
                            "UPDATE saved_searches SET last_sent_at = $2 WHERE id = $1"};
constexpr Query k_recipient{"saved.recipient",
                            "SELECT email, name FROM users WHERE id = $1 AND status = 'active' "
                            "AND email IS NOT NULL AND email_verified = 1"};

SavedSearch search_from_row(const storage::Row& r) {
  SavedSearch s;
  s.id = r.i64(0);
  s.user_id = r.i64(1);
  s.name = r.text(2);
  s.query = r.text(3);
  s.frequency = frequency_from_string(r.text(4)).value_or(Frequency::off);
  s.created_at = r.text(5);
  s.updated_at = r.text(6);
  s.checked_at = r.text(7);
  s.alerts_since = r.text(8);
  s.last_sent_at = r.opt_text(9);
  s.unsubscribed_at = r.opt_text(10);
  return s;
}

#undef SAVED_SEARCH_COLUMNS

Result<void> done(const Result<storage::Rows>& r) {
  if (!r) return r.error();
  return {};
}

}  // namespace

Result<void> SavedRepository::lock_user(storage::Transaction& tx, std::int64_t user_id) {
  return done(tx.exec(k_lock_user, params(user_id)));
}

Result<bool> SavedRepository::shortlist_contains(storage::Transaction& tx, std::int64_t user_id,
                                                 std::int64_t listing_id) {
  auto r = tx.exec(k_shortlist_contains, params(user_id, listing_id));
  if (!r) return r.error();
  return !r->rows.empty();
}

Result<std::int64_t> SavedRepository::shortlist_count(storage::Transaction& tx,
                                                      std::int64_t user_id) {
  auto r = tx.exec(k_shortlist_count, params(user_id));
  if (!r) return r.error();
  return r->rows.at(0).i64(0);
}

Result<void> SavedRepository::shortlist_insert(storage::Transaction& tx, std::int64_t user_id,
                                               std::int64_t listing_id, const std::string& title,
                                               const std::string& at) {
  return done(tx.exec(k_shortlist_insert, params(user_id, listing_id, title, at)));
}

Result<void> SavedRepository::shortlist_delete(std::int64_t user_id, std::int64_t listing_id) {
  return done(db_.exec(k_shortlist_delete, params(user_id, listing_id)));
}

Result<std::vector<ShortlistRow>> SavedRepository::shortlist(std::int64_t user_id) {
  auto r = db_.exec(k_shortlist, params(user_id));
  if (!r) return r.error();
  std::vector<ShortlistRow> out;
  for (const auto& row : r->rows) out.push_back({row.i64(0), row.text(1), row.text(2)});
  return out;
}

Result<std::int64_t> SavedRepository::search_count(storage::Transaction& tx, std::int64_t user_id) {
  auto r = tx.exec(k_search_count, params(user_id));
  if (!r) return r.error();
  return r->rows.at(0).i64(0);
}

Result<std::int64_t> SavedRepository::insert_search(storage::Transaction& tx,
                                                    const SavedSearch& s) {
  auto r = tx.exec(k_insert_search, params(s.user_id, s.name, s.query,
                                           std::string(to_string(s.frequency)), s.created_at));
  if (!r) return r.error();
  return r->rows.at(0).i64(0);
}

Result<std::optional<SavedSearch>> SavedRepository::find_search(storage::Transaction& tx,
                                                                std::int64_t id) {
  auto r = tx.exec(k_find_search_for_update, params(id));
  if (!r) return r.error();
  if (r->rows.empty()) return std::optional<SavedSearch>();
  return std::optional<SavedSearch>(search_from_row(r->rows.front()));
}

Result<std::optional<SavedSearch>> SavedRepository::find_search(std::int64_t id) {
  auto r = db_.exec(k_find_search, params(id));
  if (!r) return r.error();
  if (r->rows.empty()) return std::optional<SavedSearch>();
  return std::optional<SavedSearch>(search_from_row(r->rows.front()));
}

Result<std::vector<SavedSearch>> SavedRepository::searches_of(std::int64_t user_id) {
  auto r = db_.exec(k_searches_of, params(user_id));
  if (!r) return r.error();
  std::vector<SavedSearch> out;
  for (const auto& row : r->rows) out.push_back(search_from_row(row));
  return out;
}

Result<void> SavedRepository::update_search(storage::Transaction& tx, const SavedSearch& s) {
  return done(tx.exec(k_update_search,
                      params(s.id, s.name, std::string(to_string(s.frequency)), s.updated_at,
                             s.checked_at, s.alerts_since, s.unsubscribed_at)));
}

Result<void> SavedRepository::delete_search(storage::Transaction& tx, std::int64_t id) {
  return done(tx.exec(k_delete_search, params(id)));
}

Result<std::vector<SavedSearch>> SavedRepository::due_searches(const DueCutoffs& cutoffs,
                                                               std::int64_t after_id, int limit) {
  auto r = db_.exec(k_due, params(after_id, cutoffs.daily, cutoffs.weekly, limit));
  if (!r) return r.error();
  std::vector<SavedSearch> out;
  for (const auto& row : r->rows) out.push_back(search_from_row(row));
  return out;
}

Result<bool> SavedRepository::advance(storage::Transaction& tx, std::int64_t id,
                                      const std::string& from, const std::string& to) {
  auto r = tx.exec(k_advance, params(id, from, to));
  if (!r) return r.error();
  return r->affected == 1;
}

Result<std::set<std::int64_t>> SavedRepository::alerted(storage::Transaction& tx, std::int64_t id) {
  auto r = tx.exec(k_alerted, params(id));
  if (!r) return r.error();
  std::set<std::int64_t> out;
  for (const auto& row : r->rows) out.insert(row.i64(0));
  return out;
}

Result<void> SavedRepository::add_alerted(storage::Transaction& tx, std::int64_t id,
                                          std::int64_t listing_id,
                                          const std::string& published_at) {
  return done(tx.exec(k_add_alerted, params(id, listing_id, published_at)));
}

Result<void> SavedRepository::prune_alerted(storage::Transaction& tx, std::int64_t id,
                                            const std::string& before) {
  return done(tx.exec(k_prune_alerted, params(id, before)));
}

Result<void> SavedRepository::mark_sent(storage::Transaction& tx, std::int64_t id,
                                        const std::string& at) {
  return done(tx.exec(k_mark_sent, params(id, at)));
}

Result<std::optional<Recipient>> SavedRepository::recipient(storage::Transaction& tx,
                                                            std::int64_t user_id) {
  auto r = tx.exec(k_recipient, params(user_id));
  if (!r) return r.error();
  if (r->rows.empty()) return std::optional<Recipient>();
  return std::optional<Recipient>(Recipient{r->rows[0].text(0), r->rows[0].text(1)});
}

}  // namespace griha::saved
