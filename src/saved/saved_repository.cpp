#include "saved/saved_repository.hpp"

#include "auth/repository.hpp"

namespace griha::saved::repo {
namespace {

using storage::params;
using storage::Query;
using storage::Row;

constexpr Query k_shortlist_contains{
    "saved.shortlist_contains",
    "SELECT 1 AS present FROM shortlist_items WHERE user_id = $1 AND listing_id = $2"};
constexpr Query k_shortlist_count{"saved.shortlist_count",
                                  "SELECT COUNT(*) AS n FROM shortlist_items WHERE user_id = $1"};
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
                               "SELECT COUNT(*) AS n FROM saved_searches WHERE user_id = $1"};
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

SavedSearch search_from(const Row& r) {
  SavedSearch s;
  s.id = r.i64("id");
  s.user_id = r.i64("user_id");
  s.name = r.text("name");
  s.query = r.text("query");
  s.frequency = frequency_from_string(r.text("frequency")).value_or(Frequency::off);
  s.created_at = r.text("created_at");
  s.updated_at = r.text("updated_at");
  s.checked_at = r.text("checked_at");
  s.alerts_since = r.text("alerts_since");
  s.last_sent_at = r.opt_text("last_sent_at");
  s.unsubscribed_at = r.opt_text("unsubscribed_at");
  return s;
}

#undef SAVED_SEARCH_COLUMNS

using storage::done;

}  // namespace

Result<void> lock_user(Executor ex, std::int64_t user_id) {
  return auth::repo::lock_user(ex, user_id);
}

Result<bool> shortlist_contains(Executor ex, std::int64_t user_id, std::int64_t listing_id) {
  auto found =
      ex.maybe_value<std::int64_t>(k_shortlist_contains, params(user_id, listing_id), "present");
  if (!found) return found.error();
  return found->has_value();
}

Result<std::int64_t> shortlist_count(Executor ex, std::int64_t user_id) {
  return ex.one_value<std::int64_t>(k_shortlist_count, params(user_id), "n");
}

Result<void> shortlist_insert(Executor ex, std::int64_t user_id, std::int64_t listing_id,
                              const std::string& title, const std::string& at) {
  return done(ex.execute(k_shortlist_insert, params(user_id, listing_id, title, at)));
}

Result<void> shortlist_delete(Executor ex, std::int64_t user_id, std::int64_t listing_id) {
  return done(ex.execute(k_shortlist_delete, params(user_id, listing_id)));
}

Result<std::vector<ShortlistRow>> shortlist(Executor ex, std::int64_t user_id) {
  return ex.all(k_shortlist, params(user_id), [](const Row& r) {
    return ShortlistRow{r.i64("listing_id"), r.text("title"), r.text("added_at")};
  });
}

Result<std::int64_t> search_count(Executor ex, std::int64_t user_id) {
  return ex.one_value<std::int64_t>(k_search_count, params(user_id), "n");
}

Result<std::int64_t> insert_search(Executor ex, const SavedSearch& s) {
  return ex.one_value<std::int64_t>(
      k_insert_search,
      params(s.user_id, s.name, s.query, std::string(to_string(s.frequency)), s.created_at), "id");
}

Result<std::optional<SavedSearch>> find_search(Executor ex, std::int64_t id) {
  return ex.maybe(ex.in_transaction() ? k_find_search_for_update : k_find_search, params(id),
                  search_from);
}

Result<std::vector<SavedSearch>> searches_of(Executor ex, std::int64_t user_id) {
  return ex.all(k_searches_of, params(user_id), search_from);
}

Result<void> update_search(Executor ex, const SavedSearch& s) {
  return done(ex.execute(k_update_search,
                         params(s.id, s.name, std::string(to_string(s.frequency)), s.updated_at,
                                s.checked_at, s.alerts_since, s.unsubscribed_at)));
}

Result<void> delete_search(Executor ex, std::int64_t id) {
  return done(ex.execute(k_delete_search, params(id)));
}

Result<std::vector<SavedSearch>> due_searches(Executor ex, const DueCutoffs& cutoffs,
                                              std::int64_t after_id, int limit) {
  return ex.all(k_due, params(after_id, cutoffs.daily, cutoffs.weekly, limit), search_from);
}

Result<bool> advance(Executor ex, std::int64_t id, const std::string& from, const std::string& to) {
  auto changed = ex.execute(k_advance, params(id, from, to));
  if (!changed) return changed.error();
  return *changed == 1;
}

Result<std::set<std::int64_t>> alerted(Executor ex, std::int64_t id) {
  auto ids = ex.all(k_alerted, params(id), [](const Row& r) { return r.i64("listing_id"); });
  if (!ids) return ids.error();
  return std::set<std::int64_t>(ids->begin(), ids->end());
}

Result<void> add_alerted(Executor ex, std::int64_t id, std::int64_t listing_id,
                         const std::string& published_at) {
  return done(ex.execute(k_add_alerted, params(id, listing_id, published_at)));
}

Result<void> prune_alerted(Executor ex, std::int64_t id, const std::string& before) {
  return done(ex.execute(k_prune_alerted, params(id, before)));
}

Result<void> mark_sent(Executor ex, std::int64_t id, const std::string& at) {
  return done(ex.execute(k_mark_sent, params(id, at)));
}

Result<std::optional<Recipient>> recipient(Executor ex, std::int64_t user_id) {
  auto m = auth::repo::member(ex, user_id);
  if (!m) return m.error();
  // Only an active account with a verified address is sent mail.
  if (!*m || (*m)->status != "active" || !(*m)->email || !(*m)->email_verified)
    return std::optional<Recipient>();
  return std::optional<Recipient>(Recipient{*(*m)->email, (*m)->name});
}

}  // namespace griha::saved::repo
