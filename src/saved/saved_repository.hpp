// SQL for shortlists, saved searches and the bookkeeping of their alerts. The same statements
// run on SQLite and PostgreSQL.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "saved/saved_search.hpp"
#include "storage/database.hpp"

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

class SavedRepository {
 public:
  explicit SavedRepository(storage::Database& db) : db_(db) {}

  // Takes the user's row lock (PostgreSQL) so that one user's count-then-insert writes run
  // one at a time and a cap cannot be overrun; SQLite's write transactions already do.
  Result<void> lock_user(storage::Transaction& tx, std::int64_t user_id);

  Result<bool> shortlist_contains(storage::Transaction& tx, std::int64_t user_id,
                                  std::int64_t listing_id);
  Result<std::int64_t> shortlist_count(storage::Transaction& tx, std::int64_t user_id);
  Result<void> shortlist_insert(storage::Transaction& tx, std::int64_t user_id,
                                std::int64_t listing_id, const std::string& title,
                                const std::string& at);
  Result<void> shortlist_delete(std::int64_t user_id, std::int64_t listing_id);
  // Most recently added first.
  Result<std::vector<ShortlistRow>> shortlist(std::int64_t user_id);

  Result<std::int64_t> search_count(storage::Transaction& tx, std::int64_t user_id);
  Result<std::int64_t> insert_search(storage::Transaction& tx, const SavedSearch& s);
  // Locks the row until the transaction ends (PostgreSQL; SQLite has one writer anyway).
  Result<std::optional<SavedSearch>> find_search(storage::Transaction& tx, std::int64_t id);
  Result<std::optional<SavedSearch>> find_search(std::int64_t id);
  // Newest first.
  Result<std::vector<SavedSearch>> searches_of(std::int64_t user_id);
  // Writes name, frequency, updated_at, checked_at, alerts_since and unsubscribed_at.
  Result<void> update_search(storage::Transaction& tx, const SavedSearch& s);
  Result<void> delete_search(storage::Transaction& tx, std::int64_t id);

  // Searches whose alert is due (see due_cutoffs), by id after `after_id`.
  Result<std::vector<SavedSearch>> due_searches(const DueCutoffs& cutoffs, std::int64_t after_id,
                                                int limit);
  // Moves the watermark from `from` to `to` unless someone else moved it first (another node's
  // sweep) or alerts were turned off meanwhile; false then, and the caller rolls back.
  Result<bool> advance(storage::Transaction& tx, std::int64_t id, const std::string& from,
                       const std::string& to);
  Result<std::set<std::int64_t>> alerted(storage::Transaction& tx, std::int64_t id);
  Result<void> add_alerted(storage::Transaction& tx, std::int64_t id, std::int64_t listing_id,
                           const std::string& published_at);
  // Forgets sent listings published before `before`: no window reaches them again.
  Result<void> prune_alerted(storage::Transaction& tx, std::int64_t id, const std::string& before);
  Result<void> mark_sent(storage::Transaction& tx, std::int64_t id, const std::string& at);
  Result<std::optional<Recipient>> recipient(storage::Transaction& tx, std::int64_t user_id);

 private:
  storage::Database& db_;
};

}  // namespace griha::saved
