// Core time: ISO-8601 in and out, and Asia/Kolkata days and hours.
#include "core/time.hpp"

#include <gtest/gtest.h>

namespace griha {
namespace {

TEST(Time, IsoUtcRoundTrips) {
  EXPECT_EQ(iso_utc(1'800'000'000), "2027-01-15T08:00:00Z");
  EXPECT_EQ(parse_iso_utc("2027-01-15T08:00:00Z"), 1'800'000'000);
  for (const char* bad : {"", "yesterday", "2027-01-15 08:00:00Z", "2027-01-15T08:00:00",
                          "2027-01-15T08:00Z", "2027-02-30T08:00:00Z", "2027-01-15T24:00:00Z",
                          "2027-01-15T08:00:00+05:30", "2027-1-15T08:00:00Z"})
    EXPECT_FALSE(parse_iso_utc(bad)) << bad;
}

TEST(Time, Iso8601TakesOffsetsAndOptionalSeconds) {
  const auto ist = parse_iso8601("2026-11-25T10:00:00+05:30");
  ASSERT_TRUE(ist);
  EXPECT_EQ(ist->utc, *parse_iso_utc("2026-11-25T04:30:00Z"));
  EXPECT_EQ(ist->offset_seconds, k_kolkata_offset_seconds);
  EXPECT_EQ(parse_iso8601("2026-11-25T04:30z")->utc, *parse_iso_utc("2026-11-25T04:30:00Z"));
  EXPECT_EQ(parse_iso8601("2026-11-24T23:00:00-05:30")->utc,
            *parse_iso_utc("2026-11-25T04:30:00Z"));
  for (const char* bad : {"2026-11-25T10:00", "2026-11-25T10:00+0530", "2026-11-25T10:60Z",
                          "2026-11-25T10:00:61Z", "2026-13-01T00:00Z", "2026-11-25T10:00+24:00"})
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
}

TEST(Time, DatesAreRealDates) {
  EXPECT_EQ(format_iso_date(*parse_iso_date("2028-02-29")), "2028-02-29");
  for (const char* bad : {"2027-02-29", "2026-11-31", "2026-1-05", "26-11-05", "2026/11/05"})
    EXPECT_FALSE(parse_iso_date(bad)) << bad;
}

TEST(Time, ClockTimesAreMinutesAfterMidnight) {
  EXPECT_EQ(parse_hhmm("09:05"), 545);
  EXPECT_EQ(parse_hhmm("24:00"), std::nullopt);
  EXPECT_EQ(parse_hhmm("24:00", true), 1440);
  for (const char* bad : {"9:05", "09:60", "25:00", "0905", "09:05 "})
    EXPECT_FALSE(parse_hhmm(bad)) << bad;
  EXPECT_EQ(format_hhmm(545), "09:05");
}

TEST(Time, KolkataIsFiveAndAHalfHoursAhead) {
  EXPECT_EQ(kolkata_day(1795458600), "2026-11-24");      // 2026-11-23T18:30:00Z
  EXPECT_EQ(kolkata_day(1795458600 - 1), "2026-11-23");  // a second before IST midnight
  EXPECT_EQ(iso_utc(kolkata_to_utc(*parse_iso_date("2026-11-24"))), "2026-11-23T18:30:00Z");
  EXPECT_EQ(iso_utc(kolkata_to_utc(*parse_iso_date("2026-11-24"), 600)), "2026-11-24T04:30:00Z");
  EXPECT_EQ(kolkata_date(1795458600), *parse_iso_date("2026-11-24"));
  EXPECT_EQ(kolkata_iso(*parse_iso_utc("2026-11-24T04:30:00Z")), "2026-11-24T10:00:00+05:30");
  EXPECT_EQ(kolkata_human(*parse_iso_utc("2026-11-24T04:30:00Z")), "Tue 24 Nov 2026, 10:00 IST");
}

}  // namespace
}  // namespace griha
