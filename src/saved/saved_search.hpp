// Saved searches: a search exactly as GET /api/v1/search takes it, a name, and how often new
// matches are emailed. The pure rules live here — validation, when an alert is due, which
// publish times a sweep looks at; saved_search_service.hpp and alerts.hpp do the I/O.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <ctime>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/time.hpp"
#include "search/parse.hpp"

namespace griha::saved {

// off: saved, but no emails (set by the unsubscribe link, or chosen by the user).
enum class Frequency { instant, daily, weekly, off };
std::string_view to_string(Frequency f);
std::optional<Frequency> frequency_from_string(std::string_view s);
std::span<const std::string_view> frequency_names();

struct SavedSearch {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::string query;  // "city=1&bhk=2&price_max=15000000"
  Frequency frequency = Frequency::daily;
  std::string created_at, updated_at;
  // The alert watermark: every listing published before it has been considered (see
  // window_start for the look-back that catches late commits).
  std::string checked_at;
  // No listing published before this is sent: when the search was saved, or when its alerts
  // were last turned back on.
  std::string alerts_since;
  std::optional<std::string> last_sent_at;
  std::optional<std::string> unsubscribed_at;
};

// The owner's view (there is no other).
boost::json::object to_json(const SavedSearch& s);

inline constexpr std::size_t k_name_max_chars = 100;
inline constexpr std::size_t k_query_max_bytes = 2000;

// A name: trimmed, 1 to 100 characters (code points), no control characters. Field "name".
Result<std::string> clean_name(const boost::json::value& v);

// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}: percent-decoded, '+' is a space, as a browser
// sends a query string. A leading '?' is ignored.
search::Params split_query(std::string_view text);

// Checks a saved query with the search parser, as GET /api/v1/search would at `now`. The
// parser's field errors come back with their field under "query/" ("query/price_max"). A page
// cursor is refused: it names a position in one result list, not a search.
Result<search::Query> parse_saved_query(std::string_view text, std::int64_t now);

inline constexpr std::int64_t k_day_seconds = 86'400;
inline constexpr std::int64_t k_week_seconds = 7 * k_day_seconds;

// Whether a search last checked at `checked_at` is due at `now`: instant at every sweep,
// daily once 24 h have passed, weekly once 7 days have; off never.
bool is_due(Frequency f, std::int64_t checked_at, std::int64_t now);

// The same rule as SQL bounds: daily searches with checked_at <= daily, weekly with
// checked_at <= weekly (UTC ISO-8601, which compares correctly as text).
struct DueCutoffs {
  std::string daily;
  std::string weekly;
};
DueCutoffs due_cutoffs(std::int64_t now);

// A listing's publish time is stamped before its approval commits, so a sweep can run in
// between and miss it. Each sweep therefore looks back this far before the watermark, and the
// listings already sent (saved_search_alerted) are skipped: late commits are caught, nothing
// goes twice.
inline constexpr std::int64_t k_lookback_seconds = 300;

// An instant search with nothing new keeps its watermark this long: writing every instant
// search at every sweep would cost a transaction each per minute for no news. A later sweep
// simply looks at a slightly longer window (and skips what was already sent).
inline constexpr std::int64_t k_idle_rewrite_seconds = 600;

// The earliest publish time (inclusive) a sweep considers for a search: the look-back before
// its watermark, but never before its alerts_since.
std::int64_t window_start(std::int64_t alerts_since, std::int64_t checked_at);

}  // namespace griha::saved
