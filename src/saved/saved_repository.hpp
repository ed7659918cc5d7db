// SQL for shortlists, saved searches and the bookkeeping of their alerts (shortlist_items,
// saved_searches, saved_search_alerted). The same statements run on SQLite and PostgreSQL, each
// where its Executor says.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "saved/saved_search.hpp"
#include "storage/executor.hpp"

namespace griha::saved {

struct ShortlistRow {
  std::int64_t listing_id = 0;
  std::string title;  // as it was when added
  std::string added_at;
};

// Where an alert goes: a user with a verified email address whose account is active.
struct Recipient {
  std::string email;
  std::string name;
};

namespace repo {

using storage::Executor;

// Takes the user's row lock (PostgreSQL) so that one user's count-then-insert writes run
// one at a time and a cap cannot be overrun; SQLite's write transactions already do.
Result<void> lock_user(Executor ex, std::int64_t user_id);

Result<bool> shortlist_contains(Executor ex, std::int64_t user_id, std::int64_t listing_id);
Result<std::int64_t> shortlist_count(Executor ex, std::int64_t user_id);
Result<void> shortlist_insert(Executor ex, std::int64_t user_id, std::int64_t listing_id,
                              const std::string& title, const std::string& at);
Result<void> shortlist_delete(Executor ex, std::int64_t user_id, std::int64_t listing_id);
// Most recently added first.
Result<std::vector<ShortlistRow>> shortlist(Executor ex, std::int64_t user_id);

Result<std::int64_t> search_count(Executor ex, std::int64_t user_id);
Result<std::int64_t> insert_search(Executor ex, const SavedSearch& s);
// In a transaction, locks the row until it ends (PostgreSQL; SQLite has one writer anyway).
Result<std::optional<SavedSearch>> find_search(Executor ex, std::int64_t id);
// Newest first.
Result<std::vector<SavedSearch>> searches_of(Executor ex, std::int64_t user_id);
// Writes name, frequency, updated_at, checked_at, alerts_since and unsubscribed_at.
Result<void> update_search(Executor ex, const SavedSearch& s);
Result<void> delete_search(Executor ex, std::int64_t id);

// Searches whose alert is due (see due_cutoffs), by id after `after_id`.
Result<std::vector<SavedSearch>> due_searches(Executor ex, const DueCutoffs& cutoffs,
                                              std::int64_t after_id, int limit);
// Moves the watermark from `from` to `to` unless someone else moved it first (another node's
// sweep) or alerts were turned off meanwhile; false then, and the caller rolls back.
Result<bool> advance(Executor ex, std::int64_t id, const std::string& from, const std::string& to);
Result<std::set<std::int64_t>> alerted(Executor ex, std::int64_t id);
Result<void> add_alerted(Executor ex, std::int64_t id, std::int64_t listing_id,
                         const std::string& published_at);
// Forgets sent listings published before `before`: no window reaches them again.
Result<void> prune_alerted(Executor ex, std::int64_t id, const std::string& before);
Result<void> mark_sent(Executor ex, std::int64_t id, const std::string& at);
Result<std::optional<Recipient>> recipient(Executor ex, std::int64_t user_id);

}  // namespace repo

}  // namespace griha::saved
