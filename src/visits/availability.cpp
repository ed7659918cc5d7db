#include "visits/availability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>

#include "core/time.hpp"
#include "core/validation.hpp"

namespace griha::visits {
namespace {

namespace json = boost::json;
using namespace std::chrono;

constexpr std::array<std::string_view, 7> k_days = {"mon", "tue", "wed", "thu",
                                                    "fri", "sat", "sun"};

std::optional<int> integer_in(JsonReader& in, std::string_view key, int lo, int hi) {
  const auto n = in.integer(key, Need::required, lo, hi);
  return n ? std::optional<int>(static_cast<int>(*n)) : std::nullopt;
}

void sort_windows(std::vector<Window>& w) {
  std::sort(w.begin(), w.end(), [](const Window& a, const Window& b) {
    return std::tie(a.day, a.start_minute) < std::tie(b.day, b.start_minute);
  });
}

}  // namespace

std::string_view day_name(int day) {
  return k_days.at(static_cast<std::size_t>(day));
}

std::optional<int> day_from_name(std::string_view name) {
  for (std::size_t i = 0; i < k_days.size(); ++i)
    if (k_days[i] == name) return static_cast<int>(i);
  return std::nullopt;
}

int day_of_week(LocalDate date) {
  // iso_encoding: Monday = 1 ... Sunday = 7.
  return static_cast<int>(weekday(date).iso_encoding()) - 1;
}

bool Availability::is_blackout(LocalDate date) const {
  return std::binary_search(blackout.begin(), blackout.end(), date);
}

Result<Availability> parse_availability(const json::object& body) {
  Availability a;
  Problems p;
  JsonReader in(body, p,
                {"timezone", "slot_minutes", "visitors_per_slot", "windows", "blackout_dates"});
  if (in.has("timezone")) {
    const auto* tz = in.get("timezone");
    if (!tz || !tz->is_string() || tz->as_string() != k_timezone)
      in.fail("timezone", FieldCode::invalid_value,
              "only Asia/Kolkata is supported for now (India Standard Time, UTC+05:30)");
  }
  const auto slot = integer_in(in, "slot_minutes", k_min_slot_minutes, k_max_slot_minutes);
  if (slot) a.slot_minutes = *slot;
  if (auto v = integer_in(in, "visitors_per_slot", k_min_visitors, k_max_visitors))
    a.visitors_per_slot = *v;

  const auto* windows = body.if_contains("windows");
  if (!windows) {
    p.add("/windows", FieldCode::required, "is required (an empty list takes no bookings)");
  } else if (!windows->is_array()) {
    p.add("/windows", FieldCode::invalid_type, "must be a list of {day, start, end}");
  } else if (windows->as_array().size() > k_max_windows) {
    p.add("/windows", FieldCode::too_many_values,
          "at most " + std::to_string(k_max_windows) + " windows");
  } else {
    std::vector<std::pair<Window, std::size_t>> parsed;  // with the index the client sent
    const auto& arr = windows->as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const std::string at = "/windows" + json_pointer(i);
      if (!arr[i].is_object()) {
        p.add(at, FieldCode::invalid_type, "must be an object {day, start, end}");
        continue;
      }
      const auto& w = arr[i].as_object();
      JsonReader window(w, p, {"day", "start", "end"}, at);
      Window out;
      bool ok = true;
      const auto* day = w.if_contains("day");
      std::optional<int> d;
      if (day && day->is_string()) d = day_from_name(day->as_string());
      if (!d) {
        window.fail("day", day ? FieldCode::invalid_value : FieldCode::required,
                    "must be one of mon, tue, wed, thu, fri, sat or sun");
        ok = false;
      } else {
        out.day = *d;
      }
      std::optional<int> start, end;
      for (const char* key : {"start", "end"}) {
        const auto* v = w.if_contains(key);
        std::optional<int> t;
        if (v && v->is_string()) t = parse_hhmm(v->as_string(), std::string_view(key) == "end");
        if (!t) {
          window.fail(key, v ? FieldCode::invalid_value : FieldCode::required,
                      std::string_view(key) == "end"
                          ? "must be a time HH:MM from 00:01 to 24:00 (India time)"
                          : "must be a time HH:MM from 00:00 to 23:59 (India time)");
          ok = false;
        }
        (std::string_view(key) == "start" ? start : end) = t;
      }
      if (start && end) {
        if (*end <= *start) {
          window.fail("end", FieldCode::inconsistent, "must be later than start");
          ok = false;
        } else if (slot && *end - *start < *slot) {
          window.fail(
              "end", FieldCode::inconsistent,
              "the window must be at least one slot (" + std::to_string(*slot) + " minutes) long");
          ok = false;
        }
      }
      if (!ok) continue;
      out.start_minute = *start;
      out.end_minute = *end;
      parsed.emplace_back(out, i);
    }
    std::sort(parsed.begin(), parsed.end(), [](const auto& x, const auto& y) {
      return std::tie(x.first.day, x.first.start_minute, x.second) <
             std::tie(y.first.day, y.first.start_minute, y.second);
    });
    for (std::size_t k = 1; k < parsed.size(); ++k) {
      const auto& [prev, pi] = parsed[k - 1];
      const auto& [cur, ci] = parsed[k];
      if (cur.day == prev.day && cur.start_minute < prev.end_minute)
        p.add("/windows" + json_pointer(std::max(pi, ci)), FieldCode::inconsistent,
              "overlaps /windows/" + std::to_string(std::min(pi, ci)) + " on " +
                  std::string(day_name(cur.day)));
    }
    for (const auto& [w, i] : parsed) a.windows.push_back(w);
  }

  if (const auto* dates = body.if_contains("blackout_dates")) {
    if (!dates->is_array()) {
      p.add("/blackout_dates", FieldCode::invalid_type, "must be a list of dates YYYY-MM-DD");
    } else if (dates->as_array().size() > k_max_blackout_dates) {
      p.add("/blackout_dates", FieldCode::too_many_values,
            "at most " + std::to_string(k_max_blackout_dates) + " dates");
    } else {
      const auto& arr = dates->as_array();
      for (std::size_t i = 0; i < arr.size(); ++i) {
        std::optional<LocalDate> d;
        if (arr[i].is_string()) d = parse_date(arr[i].as_string());
        if (!d)
          p.add("/blackout_dates" + json_pointer(i),
                arr[i].is_string() ? FieldCode::invalid_value : FieldCode::invalid_type,
                "must be a date YYYY-MM-DD");
        else
          a.blackout.push_back(*d);
      }
      std::sort(a.blackout.begin(), a.blackout.end());
      a.blackout.erase(std::unique(a.blackout.begin(), a.blackout.end()), a.blackout.end());
    }
  }
  if (!p.empty()) return p.error();
  sort_windows(a.windows);
  return a;
}

json::object to_json(const Availability& a) {
  json::array windows;
  for (const auto& w : a.windows)
    windows.push_back({{"day", day_name(w.day)},
                       {"start", format_hhmm(w.start_minute)},
                       {"end", format_hhmm(w.end_minute)}});
  json::array blackout;
  for (const auto& d : a.blackout) blackout.push_back(json::string(format_date(d)));
  json::object o{{"timezone", a.timezone},
                 {"slot_minutes", a.slot_minutes},
                 {"visitors_per_slot", a.visitors_per_slot},
                 {"windows", std::move(windows)},
                 {"blackout_dates", std::move(blackout)}};
  if (!a.updated_at.empty()) o["updated_at"] = a.updated_at;
  return o;
}

std::string windows_to_text(const std::vector<Window>& windows) {
  Availability a;
  a.windows = windows;
  return json::serialize(to_json(a).at("windows"));
}

std::string blackout_to_text(const std::vector<LocalDate>& dates) {
  Availability a;
  a.blackout = dates;
  return json::serialize(to_json(a).at("blackout_dates"));
}

Result<Availability> availability_from_text(const std::string& timezone, int slot_minutes,
                                            int visitors_per_slot, const std::string& windows,
                                            const std::string& blackout) {
  // Stored rows were validated on the way in; re-validating costs little and catches a row
  // written by hand.
  boost::system::error_code ec;
  json::value w = json::parse(windows, ec);
  json::value b = ec ? json::value() : json::parse(blackout, ec);
  if (ec) return Error::internal("visit_availability holds malformed JSON");
  auto a = parse_availability(json::object{{"timezone", timezone},
                                           {"slot_minutes", slot_minutes},
                                           {"visitors_per_slot", visitors_per_slot},
                                           {"windows", std::move(w)},
                                           {"blackout_dates", std::move(b)}});
  if (!a) return Error::internal("visit_availability holds an invalid row");
  return a;
}

std::vector<Slot> generate_slots(const Availability& a, LocalDate from, int days) {
  std::vector<Slot> out;
  const std::time_t step = static_cast<std::time_t>(a.slot_minutes) * 60;
  for (int i = 0; i < days; ++i) {
    const LocalDate date = from + std::chrono::days(i);
    if (a.is_blackout(date)) continue;
    const int dow = day_of_week(date);
    for (const auto& w : a.windows) {
      if (w.day != dow) continue;
      const std::time_t window_end = local_to_utc(date, w.end_minute);
      for (std::time_t t = local_to_utc(date, w.start_minute); t + step <= window_end; t += step)
        out.push_back({t, t + step});
    }
  }
  return out;
}

std::optional<Slot> slot_starting_at(const Availability& a, std::time_t start) {
  // Windows do not cross local midnight, so a slot's local date is its window's date.
  for (const auto& s : generate_slots(a, local_date(start), 1))
    if (s.start == start) return s;
  return std::nullopt;
}

std::optional<std::time_t> parse_instant(std::string_view s) {
  const auto t = parse_iso8601(s);
  if (!t || (t->offset_seconds != 0 && t->offset_seconds != k_kolkata_offset_seconds))
    return std::nullopt;
  return t->utc;
}

std::time_t from_iso_utc(std::string_view text) {
  const auto t = parse_instant(text);
  if (!t) throw ErrorException(Error::internal("not a stored UTC timestamp: " + std::string(text)));
  return *t;
}

}  // namespace griha::visits
