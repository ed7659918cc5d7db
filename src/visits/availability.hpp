// A listing's weekly visiting hours and the bookable slots they make, in India Standard Time:
// the availability model and its validation, slot generation, and the few date/time helpers
// that turn IST wall-clock times into UTC instants and back. Pure functions, no storage.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace griha::visits {

// The one time zone visits are offered in for now (core/time.hpp defines it).
inline constexpr std::string_view k_timezone = k_kolkata_zone;

inline constexpr int k_min_slot_minutes = 15, k_max_slot_minutes = 240;
inline constexpr int k_min_visitors = 1, k_max_visitors = 20;
inline constexpr std::size_t k_max_windows = 21, k_max_blackout_dates = 100;

// A local (IST) calendar date, as days since 1970-01-01.
using LocalDate = Date;

// Days of the week as the API names them, Monday first: 0 = "mon" ... 6 = "sun".
std::string_view day_name(int day);
std::optional<int> day_from_name(std::string_view name);
int day_of_week(LocalDate date);  // 0 = Monday

// A weekly window in which visits may start: [start, end) in minutes after local midnight.
struct Window {
  int day = 0;
  int start_minute = 0;
  int end_minute = 0;
};

struct Availability {
  std::string timezone = std::string(k_timezone);
  int slot_minutes = 30;
  int visitors_per_slot = 1;
  std::vector<Window> windows;      // sorted by day, then start
  std::vector<LocalDate> blackout;  // sorted, no duplicates
  std::string updated_at;           // set by storage

  bool is_blackout(LocalDate date) const;
};

// Parses a PUT body. Every problem is reported at once with a stable code and the path of the
// field (slot_minutes, windows[2].start, blackout_dates[0]): required, invalid_type,
// unknown_field, unsupported_timezone, out_of_range, too_many, invalid_day, invalid_time,
// end_not_after_start, shorter_than_slot, overlapping_window, invalid_date.
Result<Availability> parse_availability(const boost::json::object& body);
boost::json::object to_json(const Availability& a);

// Storage form of the windows and blackout dates (JSON text), and back.
std::string windows_to_text(const std::vector<Window>& windows);
std::string blackout_to_text(const std::vector<LocalDate>& dates);
Result<Availability> availability_from_text(const std::string& timezone, int slot_minutes,
                                            int visitors_per_slot, const std::string& windows,
                                            const std::string& blackout);

// A slot is [start, end) in UTC.
struct Slot {
  std::time_t start = 0;
  std::time_t end = 0;
};

// Every slot of the local dates [from, from + days), in order, skipping blackout dates: each
// window yields slots from its start every slot_minutes while the slot still ends within it.
// No "now" here: callers drop the slots that are too soon or too far ahead.
std::vector<Slot> generate_slots(const Availability& a, LocalDate from, int days);
// The slot that starts exactly at `start`, if the availability makes one.
std::optional<Slot> slot_starting_at(const Availability& a, std::time_t start);

// --- time ----------------------------------------------------------------------------------

// Dates and instants in the visits' zone, through core/time.hpp.
inline std::optional<LocalDate> parse_date(std::string_view text) {
  return parse_iso_date(text);
}
inline std::string format_date(LocalDate date) {
  return format_iso_date(date);
}

inline LocalDate local_date(std::time_t t) {
  return kolkata_date(t);
}
inline std::time_t local_to_utc(LocalDate date, int minute) {
  return kolkata_to_utc(date, minute);
}
inline std::string iso_local(std::time_t t) {
  return kolkata_iso(t);
}
inline std::string human_local(std::time_t t) {
  return kolkata_human(t);
}
// "2026-11-25T04:30:00Z", "2026-11-25T10:00:00+05:30" (seconds optional) -> the instant.
// Only UTC ("Z", "+00:00") and India's "+05:30" are accepted: an instant written in another
// zone is more likely a client's mistake than an intent.
std::optional<std::time_t> parse_instant(std::string_view text);
// The instant of a UTC ISO-8601 timestamp as stored ("2026-11-25T04:30:00Z").
std::time_t from_iso_utc(std::string_view text);

}  // namespace griha::visits
