#include "saved/saved_search.hpp"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <stdexcept>

#include "core/time.hpp"
#include "core/validation.hpp"

namespace griha::saved {
namespace {

constexpr std::string_view k_frequencies[] = {"instant", "daily", "weekly", "off"};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A malformed escape is kept as it is, as browsers and our own HTTP layer do.
std::string decode_component(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 &&
               hex_digit(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The parser needs a codec to read cursors; a saved query may not hold one, so any key does.
const search::CursorCodec& private_codec() {
  static const search::CursorCodec codec = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    std::string key(32, '\0');
    randombytes_buf(key.data(), key.size());
    return search::CursorCodec(key);
  }();
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
  search::Params out;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    out.emplace_back(
        decode_component(pair.substr(0, eq)),
        eq == std::string_view::npos ? std::string() : decode_component(pair.substr(eq + 1)));
  }
  return out;
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

std::optional<std::int64_t> parse_iso_utc(std::string_view iso) {
  std::tm tm{};
  const std::string s(iso);
  if (s.size() != 20 || s.back() != 'Z') return std::nullopt;
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!end || *end != 'Z') return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
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
