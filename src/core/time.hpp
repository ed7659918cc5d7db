// Time helpers shared by every domain: timestamps are stored as UTC ISO-8601 text, which
// sorts correctly as text on both database back ends; the one local time zone, Asia/Kolkata,
// is defined here once (its days bound lead exports and admin figures, its hours visits).
#pragma once

#include <chrono>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace griha {

// Seconds since the epoch; injected so that tests can move time (expiry, OTPs, tokens).
using Clock = std::function<std::time_t()>;
inline Clock system_clock() {
  return [] { return std::time(nullptr); };
}

// "2026-11-24T03:10:05Z"
std::string iso_utc(std::time_t t);
inline std::string now_utc_iso() {
  return iso_utc(std::time(nullptr));
}

// An instant in ISO-8601: "YYYY-MM-DDTHH:MM[:SS]" then "Z" or a "±HH:MM" offset ('T' and 'Z'
// may be lower case). Every field is checked (no 2026-02-30, no 24:00).
struct IsoInstant {
  std::time_t utc = 0;
  int offset_seconds = 0;  // the offset it was written with
};
std::optional<IsoInstant> parse_iso8601(std::string_view text);
// Exactly the stored form "YYYY-MM-DDTHH:MM:SSZ"; nullopt for anything else.
std::optional<std::time_t> parse_iso_utc(std::string_view text);

// A calendar date, as days since 1970-01-01.
using Date = std::chrono::sys_days;
// "YYYY-MM-DD", a real date.
std::optional<Date> parse_iso_date(std::string_view text);
std::string format_iso_date(Date date);
// A time of day: "10:00" -> 600 minutes after midnight; "24:00" only when `allow_24` (a window
// may end at midnight).
std::optional<int> parse_hhmm(std::string_view text, bool allow_24 = false);
std::string format_hhmm(int minute);  // 600 -> "10:00"

// Asia/Kolkata (India Standard Time) is UTC+05:30 all year round: India has had no daylight
// saving time since 1945 and one offset for the whole country. A fixed offset is therefore
// exact, and it is also what we must use: GCC 12's libstdc++ ships no time-zone database
// (std::chrono::locate_zone is missing), so there is nothing to look the zone up in.
inline constexpr std::string_view k_kolkata_zone = "Asia/Kolkata";
inline constexpr std::time_t k_kolkata_offset_seconds = 5 * 3600 + 30 * 60;

// The Asia/Kolkata calendar date of a moment.
Date kolkata_date(std::time_t t);
// "2026-11-24": the Asia/Kolkata calendar day of a moment.
std::string kolkata_day(std::time_t t);
// The moment `minute` minutes after Asia/Kolkata midnight of `date`.
std::time_t kolkata_to_utc(Date date, int minute = 0);
// "2026-11-24T10:00:00+05:30"
std::string kolkata_iso(std::time_t t);
// "Tue 24 Nov 2026, 10:00 IST", for messages people read.
std::string kolkata_human(std::time_t t);

}  // namespace griha
