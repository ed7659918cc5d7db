#include "core/time.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace griha {
namespace {

using namespace std::chrono;

// Exactly `n` digits at `s[pos]`.
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::string iso_utc(std::time_t t) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(t));
}

std::optional<Date> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const auto y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  const year_month_day ymd{year(*y), month(static_cast<unsigned>(*m)),
                           day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd);
}

std::string format_iso_date(Date date) {
  const year_month_day ymd(date);
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::optional<int> parse_hhmm(std::string_view s, bool allow_24) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  const auto h = digits(s, 0, 2), m = digits(s, 3, 2);
  if (!h || !m || *m > 59) return std::nullopt;
  if (*h == 24 && *m == 0 && allow_24) return 24 * 60;
  if (*h > 23) return std::nullopt;
  return *h * 60 + *m;
}

std::string format_hhmm(int minute) {
  return fmt::format("{:02}:{:02}", minute / 60, minute % 60);
}

std::optional<IsoInstant> parse_iso8601(std::string_view s) {
  if (s.size() < 17 || (s[10] != 'T' && s[10] != 't')) return std::nullopt;
  const auto date = parse_iso_date(s.substr(0, 10));
  const auto h = digits(s, 11, 2), m = digits(s, 14, 2);
  if (!date || !h || !m || s[13] != ':' || *h > 23 || *m > 59) return std::nullopt;
  std::size_t pos = 16;
  int sec = 0;
  if (pos < s.size() && s[pos] == ':') {
    const auto ss = digits(s, pos + 1, 2);
    if (!ss || *ss > 59) return std::nullopt;
    sec = *ss;
    pos += 3;
  }
  const std::string_view zone = s.substr(pos);
  int offset = 0;
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else {
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':')
      return std::nullopt;
    const auto oh = digits(zone, 1, 2), om = digits(zone, 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset = (*oh * 3600 + *om * 60) * (zone[0] == '-' ? -1 : 1);
  }
  IsoInstant out;
  out.utc = static_cast<std::time_t>(sys_seconds(*date).time_since_epoch().count()) + *h * 3600 +
            *m * 60 + sec - offset;
  out.offset_seconds = offset;
  return out;
}

std::optional<std::time_t> parse_iso_utc(std::string_view s) {
  if (s.size() != 20 || s[10] != 'T' || s[19] != 'Z' || s[16] != ':') return std::nullopt;
  const auto t = parse_iso8601(s);
  if (!t) return std::nullopt;
  return t->utc;
}

Date kolkata_date(std::time_t t) {
  return floor<days>(sys_seconds(seconds(t + k_kolkata_offset_seconds)));
}

std::string kolkata_day(std::time_t t) {
  return format_iso_date(kolkata_date(t));
}

std::time_t kolkata_to_utc(Date date, int minute) {
  return static_cast<std::time_t>(sys_seconds(date).time_since_epoch().count()) + minute * 60 -
         k_kolkata_offset_seconds;
}

std::string kolkata_iso(std::time_t t) {
  // The IST wall clock is the UTC clock moved by the fixed offset.
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}+05:30", fmt::gmtime(t + k_kolkata_offset_seconds));
}

std::string kolkata_human(std::time_t t) {
  return fmt::format("{:%a %d %b %Y, %H:%M} IST", fmt::gmtime(t + k_kolkata_offset_seconds));
}

}  // namespace griha
