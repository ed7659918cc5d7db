#include "saved/saved_search.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <stdexcept>

#include "core/text.hpp"
#include "core/time.hpp"
#include "core/validation.hpp"

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

std::span<const std::string_view> frequency_names() {
  return k_frequencies;
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
  Problems problems;
  auto name =
      v.is_null() ? std::nullopt : read_text(v, TextRule{1, k_name_max_chars}, problems, "/name");
  if (!name) {
    if (problems.empty()) problems.add("/name", FieldCode::required, "is required");
    return problems.error();
  }
  return std::move(*name);
}

search::Params split_query(std::string_view text) {
  if (text.starts_with('?')) text.remove_prefix(1);
  return parse_form(text);
}

Result<search::Query> parse_saved_query(std::string_view text, std::int64_t now) {
  if (text.size() > k_query_max_bytes)
    return Error::field("/query", FieldCode::too_long,
                        "must be at most " + std::to_string(k_query_max_bytes) + " characters");
  const auto params = split_query(text);
  for (const auto& [key, value] : params)
    if (key == "cursor")
      return Error::field("/query/cursor", FieldCode::unknown_field,
                          "a saved search cannot hold a page cursor; save the search itself");
  auto q = search::parse_query(params, private_codec(), now);
  if (q) return q;
  // The query string's parameters, addressed inside the body's `query` member.
  Problems problems(FieldIn::body, "/query");
  problems.merge(q.error());
  return problems.error();
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
