#include "saved/saved_search_service.hpp"

#include <boost/json.hpp>

#include "core/validation.hpp"
#include "notify/outbox.hpp"

namespace griha::saved {
namespace {

Error not_found() {
  return Error::make(ErrorKind::not_found, "saved_search_not_found", "No such saved search.");
}

Error invalid_token() {
  return Error::make(ErrorKind::invalid, "invalid_token",
                     "This unsubscribe link is not valid. Use the link from the latest email, or "
                     "turn alerts off from your saved searches.");
}

// Reads `frequency` if present; a problem otherwise.
std::optional<Frequency> read_frequency(JsonReader& in) {
  const auto name = in.choice("frequency", Need::optional, frequency_names());
  return name ? frequency_from_string(*name) : std::nullopt;
}

// Reads `name` if present (null is no name); a problem otherwise.
std::optional<std::string> read_name(JsonReader& in) {
  if (!in.has("name")) return std::nullopt;
  auto name = clean_name(in.get("name") ? *in.get("name") : boost::json::value());
  if (!name) {
    in.problems().merge(name.error());
    return std::nullopt;
  }
  return std::move(*name);
}

}  // namespace

std::string alert_cancel_key(std::int64_t saved_search_id) {
  return "saved_search:" + std::to_string(saved_search_id);
}

SavedSearchService::SavedSearchService(storage::Database& db, const UnsubscribeTokens& tokens,
                                       SavedSearchOptions options, Clock clock)
    : db_(db), tokens_(tokens), options_(options), clock_(std::move(clock)) {}

Result<SavedSearch> SavedSearchService::create(std::int64_t user_id,
                                               const boost::json::object& body) {
  const std::time_t now = clock_();
  Problems problems;
  JsonReader in(body, problems, {"name", "query", "frequency"});
  SavedSearch s;
  s.user_id = user_id;
  s.name = read_name(in).value_or("");
  if (!in.has("name")) in.fail("name", FieldCode::required, "is required");
  s.frequency = read_frequency(in).value_or(Frequency::daily);
  if (in.has("query")) {
    const auto* query = in.get("query");
    if (!query || !query->is_string()) {
      in.fail("query", query ? FieldCode::invalid_type : FieldCode::required,
              "must be a search query string");
    } else {
      s.query = std::string(query->as_string());
      if (s.query.starts_with('?')) s.query.erase(0, 1);
      if (auto q = parse_saved_query(s.query, now); !q) problems.merge(q.error());
    }
  } else {
    in.fail("query", FieldCode::required, "is required");
  }
  if (!problems.empty()) return problems.error("The saved search has invalid fields.");

  s.created_at = s.updated_at = s.checked_at = s.alerts_since = iso_utc(now);
  auto tx = db_.begin();
  if (!tx) return tx.error();
  if (auto r = repo::lock_user(*tx, user_id); !r) return r.error();
  auto count = repo::search_count(*tx, user_id);
  if (!count) return count.error();
  if (*count >= options_.cap)
    return Error::make(ErrorKind::conflict, "saved_searches_full",
                       "You can keep " + std::to_string(options_.cap) +
                           " saved searches at most; delete one to save another.");
  auto id = repo::insert_search(*tx, s);
  if (!id) return id.error();
  if (auto r = tx->commit(); !r) return r.error();
  s.id = *id;
  return s;
}

Result<std::vector<SavedSearch>> SavedSearchService::list(std::int64_t user_id) {
  return repo::searches_of(db_, user_id);
}

Result<SavedSearch> SavedSearchService::owned(storage::Transaction& tx, std::int64_t user_id,
                                              std::int64_t id) {
  auto found = repo::find_search(tx, id);
  if (!found) return found.error();
  // Someone else's search is "not found": walking ids reveals nothing.
  if (!*found || (*found)->user_id != user_id) return not_found();
  return std::move(**found);
}

Result<SavedSearch> SavedSearchService::update(std::int64_t user_id, std::int64_t id,
                                               const boost::json::object& patch) {
  Problems problems;
  for (const auto& [key, value] : patch)
    if (key != "name" && key != "frequency")
      problems.add(json_pointer(key), FieldCode::not_writable,
                   "only name and frequency can be changed");
  // Every other member was refused above, as not writable.
  std::vector<std::string_view> members;
  for (const auto& member : patch) members.push_back(member.key());
  JsonReader in(patch, problems, members);
  const auto name = read_name(in);
  const auto frequency = read_frequency(in);
  if (!problems.empty()) return problems.error("The saved search has invalid fields.");
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto s = owned(*tx, user_id, id);
  if (!s) return s.error();
  const std::string now = iso_utc(clock_());
  if (name) s->name = *name;
  if (frequency && *frequency != s->frequency) {
    // Back on after being off: alerts resume from now rather than replaying the gap.
    if (s->frequency == Frequency::off) s->checked_at = s->alerts_since = now;
    if (*frequency != Frequency::off) s->unsubscribed_at.reset();
    s->frequency = *frequency;
  }
  s->updated_at = now;
  if (auto r = repo::update_search(*tx, *s); !r) return r.error();
  if (s->frequency == Frequency::off)
    if (auto r = notify::cancel_pending(*tx, alert_cancel_key(id)); !r) return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  return std::move(*s);
}

Result<void> SavedSearchService::remove(std::int64_t user_id, std::int64_t id) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto s = owned(*tx, user_id, id);
  if (!s) return s.error();
  if (auto r = repo::delete_search(*tx, id); !r) return r.error();
  if (auto r = notify::cancel_pending(*tx, alert_cancel_key(id)); !r) return r.error();
  return tx->commit();
}

Result<std::optional<SavedSearch>> SavedSearchService::by_token(std::string_view token) {
  const auto id = tokens_.verify(token);
  if (!id) return invalid_token();
  return repo::find_search(db_, *id);
}

Result<void> SavedSearchService::unsubscribe(std::string_view token) {
  const auto id = tokens_.verify(token);
  if (!id) return invalid_token();
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto found = repo::find_search(*tx, *id);
  if (!found) return found.error();
  if (!*found) return {};
  SavedSearch& s = **found;
  if (s.frequency != Frequency::off) {
    const std::string now = iso_utc(clock_());
    s.frequency = Frequency::off;
    s.unsubscribed_at = now;
    s.updated_at = now;
    if (auto r = repo::update_search(*tx, s); !r) return r.error();
  }
  if (auto r = notify::cancel_pending(*tx, alert_cancel_key(*id)); !r) return r.error();
  return tx->commit();
}

}  // namespace griha::saved
