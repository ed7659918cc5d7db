#include "saved/saved_search.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <stdexcept>

#include "core/text.hpp"
#include "core/time.hpp"

namespace griha::saved {
namespace {

constexpr std::string_view k_frequencies[] = {"instant", "daily", "weekly", "off"};

// The parser needs a codec to read cursors; a saved query may not hold one, so any key does.
const search::CursorCodec& private_codec() {
  static const search::CursorCodec codec("");  // a random key
  return codec;
}

}  // namespace

std::string_view to_string(Frequency f) {
  return k_frequencies[static_cast<int>(f)];
}

std::optional<Frequency> frequency_from_string(std::string_view s) {
  for (std::size_t i = 0; i < std::size(k_frequencies); ++i)
    if (k_frequencies[i] == s) return static_cast<Frequency>(i);
  return std::nullopt;
}

boost::json::object to_json(const SavedSearch& s) {
  auto opt = [](const std::optional<std::string>& v) {
    return v ? boost::json::value(*v) : boost::json::value(nullptr);
  };
  return {{"id", s.id},
          {"name", s.name},
          {"query", s.query},
          {"frequency", to_string(s.frequency)},
          {"created_at", s.created_at},
          {"updated_at", s.updated_at},
          {"last_sent_at", opt(s.last_sent_at)},
          {"unsubscribed_at", opt(s.unsubscribed_at)}};
}

Result<std::string> clean_name(const boost::json::value& v) {
  if (!v.is_string()) return Error::field("name", "invalid_type", "must be a string");
  std::string s(trim(v.as_string()));
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f)
      return Error::field("name", "invalid_value", "must not contain control characters");
  // Code points: every byte that does not continue a UTF-8 sequence starts one.
  const auto chars = static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  if (chars < 1 || chars > k_name_max_chars)
    return Error::field("name", "invalid_value",
                        "must be 1 to " + std::to_string(k_name_max_chars) + " characters");
  return s;
}

search::Params split_query(std::string_view text) {
  if (text.starts_with('?')) text.remove_prefix(1);
  return parse_form(text);
}

Result<search::Query> parse_saved_query(std::string_view text, std::int64_t now) {
  if (text.size() > k_query_max_bytes)
    return Error::field("query", "too_long",
                        "must be at most " + std::to_string(k_query_max_bytes) + " characters");
  const auto params = split_query(text);
  for (const auto& [key, value] : params)
    if (key == "cursor")
      return Error::field("query/cursor", "not_allowed",
                          "a saved search cannot hold a page cursor; save the search itself");
  auto q = search::parse_query(params, private_codec(), now);
  if (q) return q;
  Error e = q.error();
  for (auto& f : e.fields) f.field = "query/" + f.field;
  return e;
}

bool is_due(Frequency f, std::int64_t checked_at, std::int64_t now) {
  switch (f) {
    case Frequency::instant:
      return true;
    case Frequency::daily:
      return now - checked_at >= k_day_seconds;
    case Frequency::weekly:
      return now - checked_at >= k_week_seconds;
    case Frequency::off:
      return false;
  }
  return false;
}

DueCutoffs due_cutoffs(std::int64_t now) {
  return {iso_utc(static_cast<std::time_t>(now - k_day_seconds)),
          iso_utc(static_cast<std::time_t>(now - k_week_seconds))};
}

std::int64_t window_start(std::int64_t alerts_since, std::int64_t checked_at) {
  return std::max(alerts_since, checked_at - k_lookback_seconds);
}

}  // namespace griha::saved
