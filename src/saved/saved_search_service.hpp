// The rules of saved searches: who may see and change them (their owner only; anyone else gets
// "not found"), what a valid one is, how many one user may keep, and the one-click
// unsubscribe that turns a search's alerts off from a signed link.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "saved/saved_repository.hpp"
#include "saved/unsubscribe_token.hpp"

namespace griha::saved {

struct SavedSearchOptions {
  int cap = 50;  // saved searches per user
};

class SavedSearchService {
 public:
  SavedSearchService(storage::Database& db, const UnsubscribeTokens& tokens,
                     SavedSearchOptions options, Clock clock = system_clock());

  // Body {name, query, frequency}; every problem is reported, field by field. 409
  // saved_searches_full at the cap.
  Result<SavedSearch> create(std::int64_t user_id, const boost::json::object& body);
  Result<std::vector<SavedSearch>> list(std::int64_t user_id);
  // Only name and frequency may change; any other key is field_not_writable. Turning alerts
  // back on (from off) starts them from now: what was published meanwhile is not sent.
  Result<SavedSearch> update(std::int64_t user_id, std::int64_t id,
                             const boost::json::object& patch);
  Result<void> remove(std::int64_t user_id, std::int64_t id);

  // The search an unsubscribe token names: 400 invalid_token when Griha did not sign it,
  // nullopt when the search has since been deleted.
  Result<std::optional<SavedSearch>> by_token(std::string_view token);
  // Turns the search's alerts off and calls off any alert still waiting in the outbox.
  // Idempotent; a deleted search is fine too (nothing will be sent).
  Result<void> unsubscribe(std::string_view token);

 private:
  Result<SavedSearch> owned(storage::Transaction& tx, std::int64_t user_id, std::int64_t id);

  storage::Database& db_;
  const UnsubscribeTokens& tokens_;
  SavedSearchOptions options_;
  Clock clock_;
};

// The outbox cancel key of a search's alerts.
std::string alert_cancel_key(std::int64_t saved_search_id);

}  // namespace griha::saved
