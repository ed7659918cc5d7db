// Visiting hours: validation that names every bad field, slots generated in India Standard
// Time (including windows whose slots fall on the previous UTC day) and the time helpers.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "core/time.hpp"
#include "visits/availability.hpp"

namespace griha::visits {
namespace {

boost::json::object obj(std::string_view json) {
  return boost::json::parse(json).as_object();
}

LocalDate date(std::string_view s) {
  return *parse_date(s);
}

// The (field, code) pairs of a validation error.
std::set<std::pair<std::string, std::string>> problems(const Result<Availability>& r) {
  std::set<std::pair<std::string, std::string>> out;
  if (r) return out;
  EXPECT_EQ(r.error().code, "validation_failed");
  for (const auto& f : r.error().fields) out.emplace(f.field, to_string(f.code));
  return out;
}

Availability hours(std::string_view windows, int slot = 30, std::string_view blackout = "[]") {
  return parse_availability(obj(R"({"slot_minutes":)" + std::to_string(slot) +
                                R"(,"visitors_per_slot":1,"windows":)" + std::string(windows) +
                                R"(,"blackout_dates":)" + std::string(blackout) + "}"))
      .value();
}

std::vector<std::string> starts(const std::vector<Slot>& slots) {
  std::vector<std::string> out;
  for (const auto& s : slots) out.push_back(iso_utc(s.start));
  return out;
}

TEST(AvailabilityValidation, AGoodBodyIsAcceptedAndNormalised) {
  auto a = parse_availability(obj(R"({
    "timezone": "Asia/Kolkata", "slot_minutes": 30, "visitors_per_slot": 2,
    "windows": [{"day": "sat", "start": "15:00", "end": "18:00"},
                {"day": "mon", "start": "10:00", "end": "13:00"},
                {"day": "mon", "start": "13:00", "end": "14:00"},
                {"day": "sun", "start": "21:00", "end": "24:00"}],
    "blackout_dates": ["2026-12-25", "2026-01-26", "2026-12-25"]})"));
  ASSERT_TRUE(a) << a.error().fields.at(0).field;
  EXPECT_EQ(a->slot_minutes, 30);
  EXPECT_EQ(a->visitors_per_slot, 2);
  const auto j = to_json(*a);
  // Sorted by day then start; windows that only touch do not overlap; 24:00 ends a day.
  EXPECT_EQ(boost::json::serialize(j.at("windows")),
            R"([{"day":"mon","start":"10:00","end":"13:00"},)"
            R"({"day":"mon","start":"13:00","end":"14:00"},)"
            R"({"day":"sat","start":"15:00","end":"18:00"},)"
            R"({"day":"sun","start":"21:00","end":"24:00"}])");
  EXPECT_EQ(boost::json::serialize(j.at("blackout_dates")), R"(["2026-01-26","2026-12-25"])");
  EXPECT_EQ(j.at("timezone").as_string(), "Asia/Kolkata");
}

TEST(AvailabilityValidation, EveryBadFieldIsNamedWithItsCode) {
  const auto r = parse_availability(obj(R"({
    "timezone": "Europe/London", "slot_minutes": 10, "visitors_per_slot": 21, "colour": "red",
    "windows": [{"day": "mon", "start": "10:00", "end": "13:00"},
                {"day": "mon", "start": "12:30", "end": "14:00"},
                {"day": "funday", "start": "25:00", "end": "9:00", "extra": 1},
                {"day": "tue", "start": "12:00", "end": "11:00"},
                "not an object",
                {"start": "10:00"}],
    "blackout_dates": ["2026-02-30", 20261225, "2026-12-25"]})"));
  EXPECT_EQ(problems(r), (std::set<std::pair<std::string, std::string>>{
                             {"/timezone", "invalid_value"},
                             {"/slot_minutes", "out_of_range"},
                             {"/visitors_per_slot", "out_of_range"},
                             {"/colour", "unknown_field"},
                             {"/windows/1", "inconsistent"},
                             {"/windows/2/day", "invalid_value"},
                             {"/windows/2/start", "invalid_value"},
                             {"/windows/2/end", "invalid_value"},
                             {"/windows/2/extra", "unknown_field"},
                             {"/windows/3/end", "inconsistent"},
                             {"/windows/4", "invalid_type"},
                             {"/windows/5/day", "required"},
                             {"/windows/5/end", "required"},
                             {"/blackout_dates/0", "invalid_value"},
                             {"/blackout_dates/1", "invalid_type"},
                         }));
  for (const auto& f : r.error().fields)
    if (f.field == "/timezone") EXPECT_NE(f.message.find("Asia/Kolkata"), std::string::npos);
}

TEST(AvailabilityValidation, RequiredFieldsAndLimits) {
  EXPECT_EQ(problems(parse_availability(obj("{}"))),
            (std::set<std::pair<std::string, std::string>>{{"/slot_minutes", "required"},
                                                           {"/visitors_per_slot", "required"},
                                                           {"/windows", "required"}}));
  // The ranges' edges: 15..240 minutes, 1..20 visitors.
  for (int slot : {15, 240})
    EXPECT_TRUE(problems(parse_availability(obj(R"({"slot_minutes":)" + std::to_string(slot) +
                                                R"(,"visitors_per_slot":1,"windows":[]})")))
                    .empty());
  for (int slot : {14, 241})
    EXPECT_EQ(problems(parse_availability(obj(R"({"slot_minutes":)" + std::to_string(slot) +
                                              R"(,"visitors_per_slot":1,"windows":[]})"))),
              (std::set<std::pair<std::string, std::string>>{{"/slot_minutes", "out_of_range"}}));
  for (int n : {0, 21})
    EXPECT_EQ(
        problems(parse_availability(obj(R"({"slot_minutes":30,"visitors_per_slot":)" +
                                        std::to_string(n) + R"(,"windows":[]})"))),
        (std::set<std::pair<std::string, std::string>>{{"/visitors_per_slot", "out_of_range"}}));
  EXPECT_EQ(problems(parse_availability(
                obj(R"({"slot_minutes":"30","visitors_per_slot":1.5,"windows":{}})"))),
            (std::set<std::pair<std::string, std::string>>{{"/slot_minutes", "invalid_type"},
                                                           {"/visitors_per_slot", "invalid_type"},
                                                           {"/windows", "invalid_type"}}));

  // 21 windows are allowed, 22 are not.
  auto windows = [](int n) {
    boost::json::array w;
    for (int i = 0; i < n; ++i)
      w.push_back({{"day", day_name(i % 7)},
                   {"start", format_hhmm(8 * 60 + (i / 7) * 120)},
                   {"end", format_hhmm(9 * 60 + (i / 7) * 120)}});
    return w;
  };
  boost::json::object body{
      {"slot_minutes", 30}, {"visitors_per_slot", 1}, {"windows", windows(21)}};
  EXPECT_TRUE(parse_availability(body));
  body["windows"] = windows(22);
  EXPECT_EQ(problems(parse_availability(body)),
            (std::set<std::pair<std::string, std::string>>{{"/windows", "too_many_values"}}));

  // 100 blackout dates are allowed, 101 are not.
  boost::json::array dates;
  for (int i = 0; i < 101; ++i)
    dates.push_back(boost::json::string(format_date(date("2027-01-01") + std::chrono::days(i))));
  body["windows"] = boost::json::array{};
  body["blackout_dates"] = dates;
  EXPECT_EQ(
      problems(parse_availability(body)),
      (std::set<std::pair<std::string, std::string>>{{"/blackout_dates", "too_many_values"}}));
  dates.pop_back();
  body["blackout_dates"] = dates;
  EXPECT_TRUE(parse_availability(body));
}

TEST(AvailabilityValidation, AWindowMustHoldOneSlotAndMidnightOnlyEndsAWindow) {
  EXPECT_EQ(problems(parse_availability(obj(R"({"slot_minutes":60,"visitors_per_slot":1,
      "windows":[{"day":"mon","start":"10:00","end":"10:45"}]})"))),
            (std::set<std::pair<std::string, std::string>>{{"/windows/0/end", "inconsistent"}}));
  EXPECT_EQ(problems(parse_availability(obj(R"({"slot_minutes":60,"visitors_per_slot":1,
      "windows":[{"day":"mon","start":"24:00","end":"24:00"}]})"))),
            (std::set<std::pair<std::string, std::string>>{{"/windows/0/start", "invalid_value"}}));
  EXPECT_EQ(problems(parse_availability(obj(R"({"slot_minutes":60,"visitors_per_slot":1,
      "windows":[{"day":"mon","start":"10:00","end":"10:00"}]})"))),
            (std::set<std::pair<std::string, std::string>>{{"/windows/0/end", "inconsistent"}}));
}

TEST(Slots, AreGeneratedInIndiaTimeAndStoredInUtc) {
  // 2026-11-23 is a Monday.
  ASSERT_EQ(day_of_week(date("2026-11-23")), 0);
  const auto a = hours(R"([{"day":"mon","start":"10:00","end":"13:00"}])");
  const auto slots = generate_slots(a, date("2026-11-23"), 7);
  EXPECT_EQ(starts(slots),
            (std::vector<std::string>{"2026-11-23T04:30:00Z", "2026-11-23T05:00:00Z",
                                      "2026-11-23T05:30:00Z", "2026-11-23T06:00:00Z",
                                      "2026-11-23T06:30:00Z", "2026-11-23T07:00:00Z"}));
  EXPECT_EQ(iso_utc(slots.back().end), "2026-11-23T07:30:00Z");  // 13:00 IST, the window's end
  EXPECT_EQ(iso_local(slots.front().start), "2026-11-23T10:00:00+05:30");
  EXPECT_EQ(iso_local(slots.back().end), "2026-11-23T13:00:00+05:30");
  // A slot that would end after the window is not offered.
  EXPECT_EQ(generate_slots(hours(R"([{"day":"mon","start":"10:00","end":"11:45"}])"),
                           date("2026-11-23"), 1)
                .size(),
            3u);
}

TEST(Slots, AWindowCrossingUtcMidnightBelongsToItsIndianDay) {
  // Tuesday 02:00-07:00 IST is Monday 20:30 UTC to Tuesday 01:30 UTC.
  const auto a = hours(R"([{"day":"tue","start":"02:00","end":"07:00"}])", 60);
  const auto slots = generate_slots(a, date("2026-11-23"), 7);
  EXPECT_EQ(starts(slots), (std::vector<std::string>{"2026-11-23T20:30:00Z", "2026-11-23T21:30:00Z",
                                                     "2026-11-23T22:30:00Z", "2026-11-23T23:30:00Z",
                                                     "2026-11-24T00:30:00Z"}));
  EXPECT_EQ(iso_local(slots.front().start), "2026-11-24T02:00:00+05:30");
  EXPECT_EQ(format_date(local_date(slots.front().start)), "2026-11-24");
  // Asking from Tuesday alone finds them; asking for Monday alone does not, although their
  // UTC date is Monday.
  EXPECT_EQ(generate_slots(a, date("2026-11-24"), 1).size(), 5u);
  EXPECT_TRUE(generate_slots(a, date("2026-11-23"), 1).empty());
  // A booking at Monday 20:30 UTC is Tuesday's 02:00 slot.
  EXPECT_TRUE(slot_starting_at(a, *parse_instant("2026-11-23T20:30:00Z")));
  EXPECT_TRUE(slot_starting_at(a, *parse_instant("2026-11-24T02:00:00+05:30")));
}

TEST(Slots, BlackoutDatesAreIndianDates) {
  const auto a = hours(R"([{"day":"mon","start":"10:00","end":"11:00"},
                           {"day":"tue","start":"02:00","end":"03:00"},
                           {"day":"tue","start":"10:00","end":"11:00"}])",
                       60, R"(["2026-11-24"])");
  // Tuesday is blacked out: its 02:00 IST slot (Monday 20:30 UTC) goes with it; Monday stays.
  EXPECT_EQ(starts(generate_slots(a, date("2026-11-23"), 9)),
            (std::vector<std::string>{"2026-11-23T04:30:00Z", "2026-11-30T04:30:00Z",
                                      "2026-11-30T20:30:00Z", "2026-12-01T04:30:00Z"}));
  EXPECT_FALSE(slot_starting_at(a, *parse_instant("2026-11-23T20:30:00Z")));
  EXPECT_FALSE(slot_starting_at(a, *parse_instant("2026-11-24T04:30:00Z")));
  EXPECT_TRUE(slot_starting_at(a, *parse_instant("2026-12-01T04:30:00Z")));
}

TEST(Slots, OnlyExactSlotStartsAreSlots) {
  const auto a = hours(R"([{"day":"mon","start":"10:00","end":"13:00"}])");
  EXPECT_TRUE(slot_starting_at(a, *parse_instant("2026-11-23T10:30:00+05:30")));
  EXPECT_FALSE(slot_starting_at(a, *parse_instant("2026-11-23T10:10:00+05:30")));
  EXPECT_FALSE(slot_starting_at(a, *parse_instant("2026-11-23T13:00:00+05:30")));  // the end
  EXPECT_FALSE(slot_starting_at(a, *parse_instant("2026-11-24T10:00:00+05:30")));  // Tuesday
  const auto s = slot_starting_at(a, *parse_instant("2026-11-23T12:30:00+05:30"));
  ASSERT_TRUE(s);
  EXPECT_EQ(iso_utc(s->end), "2026-11-23T07:30:00Z");
}

TEST(Time, InstantsAreAcceptedInUtcOrIndiaTimeOnly) {
  EXPECT_EQ(iso_utc(*parse_instant("2026-11-25T04:30:00Z")), "2026-11-25T04:30:00Z");
  EXPECT_EQ(iso_utc(*parse_instant("2026-11-25T10:00:00+05:30")), "2026-11-25T04:30:00Z");
  EXPECT_EQ(iso_utc(*parse_instant("2026-11-25T10:00+05:30")), "2026-11-25T04:30:00Z");
  EXPECT_EQ(iso_utc(*parse_instant("2026-11-25T02:00:00+05:30")), "2026-11-24T20:30:00Z");
  for (const char* bad :
       {"2026-11-25T04:30:00", "2026-11-25T04:30:00-05:00", "2026-11-25T04:30:00+05:00",
        "2026-02-30T04:30:00Z", "2026-11-25 04:30:00Z", "2026-11-25T24:00:00Z", "tomorrow", ""})
    EXPECT_FALSE(parse_instant(bad)) << bad;
}

TEST(Time, LocalDatesAndFormatting) {
  // 18:29:59 UTC is 23:59:59 IST, still the same day; 18:30 UTC is the next Indian day.
  EXPECT_EQ(format_date(local_date(*parse_instant("2026-11-24T18:29:59Z"))), "2026-11-24");
  EXPECT_EQ(format_date(local_date(*parse_instant("2026-11-24T18:30:00Z"))), "2026-11-25");
  EXPECT_EQ(iso_local(*parse_instant("2026-11-24T18:30:00Z")), "2026-11-25T00:00:00+05:30");
  EXPECT_EQ(human_local(*parse_instant("2026-11-25T04:30:00Z")), "Wed 25 Nov 2026, 10:00 IST");
  EXPECT_EQ(iso_utc(local_to_utc(date("2026-11-25"), 0)), "2026-11-24T18:30:00Z");
  EXPECT_FALSE(parse_date("2026-13-01"));
  EXPECT_FALSE(parse_date("2026-1-01"));
  EXPECT_EQ(parse_hhmm("24:00"), std::nullopt);
  EXPECT_EQ(parse_hhmm("24:00", true), 1440);
  EXPECT_EQ(parse_hhmm("09:05"), 545);
}

}  // namespace
}  // namespace griha::visits
