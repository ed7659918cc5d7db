// Calendar invites, read back with libical's own parser as a calendar client would read them.
#include <gtest/gtest.h>

#include <libical/ical.h>

#include <memory>
#include <sstream>

#include "visits/availability.hpp"
#include "visits/ics.hpp"

namespace griha::visits {
namespace {

struct Free {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Parsed = std::unique_ptr<icalcomponent, Free>;

Invite sample() {
  Invite i;
  i.uid = "visit-abc123@griha";
  i.sequence = 0;
  i.start = *parse_instant("2026-11-25T10:00:00+05:30");
  i.end = *parse_instant("2026-11-25T10:30:00+05:30");
  i.stamp = *parse_instant("2026-11-24T06:00:00Z");
  i.summary = "Site visit: 2 BHK, Baner; near \"the\" metro";
  i.description = "Line one\nLine two";
  i.location = "Baner, Pune";
  i.url = "https://griha.example/listings/7";
  i.organizer = {"no-reply@griha.example", "Griha"};
  i.attendees = {{"owner@example.in", "Asha \"Owner\" Rao"},
                 {"seeker@example.in", "Ravi"},
                 {"", "Phone-only visitor"}};
  return i;
}

Parsed parse(const std::string& text) {
  return Parsed(icalparser_parse_string(text.c_str()));
}

icalcomponent* event_of(icalcomponent* cal) {
  return icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
}

std::vector<std::string> attendees(icalcomponent* event) {
  std::vector<std::string> out;
  for (icalproperty* p = icalcomponent_get_first_property(event, ICAL_ATTENDEE_PROPERTY); p;
       p = icalcomponent_get_next_property(event, ICAL_ATTENDEE_PROPERTY))
    out.push_back(icalproperty_get_attendee(p));
  return out;
}

TEST(Ics, ARequestParsesBackWithEveryField) {
  const auto text = make_ics(sample());
  ASSERT_TRUE(text);
  Parsed cal = parse(*text);
  ASSERT_TRUE(cal);
  ASSERT_EQ(icalcomponent_isa(cal.get()), ICAL_VCALENDAR_COMPONENT);
  EXPECT_EQ(icalcomponent_get_method(cal.get()), ICAL_METHOD_REQUEST);
  EXPECT_STREQ(
      icalproperty_get_version(icalcomponent_get_first_property(cal.get(), ICAL_VERSION_PROPERTY)),
      "2.0");
  EXPECT_EQ(icalcomponent_count_components(cal.get(), ICAL_VEVENT_COMPONENT), 1);
  icalcomponent* ev = event_of(cal.get());
  ASSERT_TRUE(ev);
  EXPECT_STREQ(icalcomponent_get_uid(ev), "visit-abc123@griha");
  EXPECT_EQ(icalcomponent_get_sequence(ev), 0);

  // DTSTART/DTEND in UTC: 10:00 IST is 04:30Z.
  const icaltimetype start = icalcomponent_get_dtstart(ev);
  EXPECT_TRUE(icaltime_is_utc(start));
  EXPECT_EQ(icaltime_as_timet(start), *parse_instant("2026-11-25T04:30:00Z"));
  EXPECT_EQ(icaltime_as_timet(icalcomponent_get_dtend(ev)), *parse_instant("2026-11-25T05:00:00Z"));
  EXPECT_NE(text->find("DTSTART:20261125T043000Z\r\n"), std::string::npos) << *text;

  // Text with commas, semicolons, quotes and newlines survives escaping.
  EXPECT_STREQ(icalcomponent_get_summary(ev), "Site visit: 2 BHK, Baner; near \"the\" metro");
  EXPECT_STREQ(icalcomponent_get_description(ev), "Line one\nLine two");
  EXPECT_STREQ(icalcomponent_get_location(ev), "Baner, Pune");
  EXPECT_EQ(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);

  icalproperty* org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
  ASSERT_TRUE(org);
  EXPECT_STREQ(icalproperty_get_organizer(org), "mailto:no-reply@griha.example");
  EXPECT_STREQ(icalparameter_get_cn(icalproperty_get_first_parameter(org, ICAL_CN_PARAMETER)),
               "Griha");
  // The attendee without an address is left out; a quote cannot break out of CN.
  EXPECT_EQ(attendees(ev),
            (std::vector<std::string>{"mailto:owner@example.in", "mailto:seeker@example.in"}));
  icalproperty* first = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
  EXPECT_STREQ(icalparameter_get_cn(icalproperty_get_first_parameter(first, ICAL_CN_PARAMETER)),
               "Asha Owner Rao");
  EXPECT_EQ(
      icalparameter_get_partstat(icalproperty_get_first_parameter(first, ICAL_PARTSTAT_PARAMETER)),
      ICAL_PARTSTAT_ACCEPTED);
}

TEST(Ics, LinesAreCrlfAndFoldedAt75Octets) {
  Invite i = sample();
  i.description = std::string(300, 'x');
  const auto text = make_ics(i).value();
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto eol = text.find("\r\n", pos);
    ASSERT_NE(eol, std::string::npos) << "every line ends with CRLF";
    EXPECT_LE(eol - pos, 75u) << text.substr(pos, eol - pos);
    pos = eol + 2;
  }
  Parsed cal = parse(text);
  EXPECT_EQ(std::string(icalcomponent_get_description(event_of(cal.get()))), std::string(300, 'x'));
}

TEST(Ics, InjectedLinesStayInsideTheirValue) {
  Invite i = sample();
  i.summary = "Nice flat\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil";
  i.location = "A;B:C\\D";
  const auto text = make_ics(i).value();
  Parsed cal = parse(text);
  EXPECT_EQ(icalcomponent_count_components(cal.get(), ICAL_VEVENT_COMPONENT), 1);
  EXPECT_STREQ(icalcomponent_get_uid(event_of(cal.get())), "visit-abc123@griha");
  EXPECT_STREQ(icalcomponent_get_location(event_of(cal.get())), "A;B:C\\D");
}

TEST(Ics, ACancellationKeepsTheUidWithAHigherSequence) {
  Invite i = sample();
  i.method = Invite::Method::cancel;
  i.sequence = 2;
  const auto text = make_ics(i).value();
  Parsed cal = parse(text);
  EXPECT_EQ(icalcomponent_get_method(cal.get()), ICAL_METHOD_CANCEL);
  icalcomponent* ev = event_of(cal.get());
  EXPECT_STREQ(icalcomponent_get_uid(ev), "visit-abc123@griha");
  EXPECT_EQ(icalcomponent_get_sequence(ev), 2);
  EXPECT_EQ(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
  EXPECT_EQ(ics_content_type(Invite::Method::cancel),
            "text/calendar; method=CANCEL; charset=utf-8");
  EXPECT_EQ(ics_content_type(Invite::Method::request),
            "text/calendar; method=REQUEST; charset=utf-8");
}

}  // namespace
}  // namespace griha::visits
