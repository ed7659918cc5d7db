#include "visits/ics.hpp"

#include <libical/ical.h>

#include <memory>

namespace griha::visits {
namespace {

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentDeleter>;

icaltimetype utc_time(std::time_t t) {
  return icaltime_from_timet_with_zone(t, 0, icaltimezone_get_utc_timezone());
}

// A parameter value may not hold a double quote or control characters (RFC 5545 3.1:
// param-value is SAFE-CHAR or a quoted string of QSAFE-CHAR); libical quotes the rest.
std::string param_safe(const std::string& s) {
  std::string out;
  for (unsigned char c : s)
    if (c >= 0x20 && c != '"' && c != 0x7f) out += static_cast<char>(c);
  return out;
}

icalproperty* person(icalproperty* p, const InvitePerson& who) {
  if (!who.name.empty())
    icalproperty_add_parameter(p, icalparameter_new_cn(param_safe(who.name).c_str()));
  return p;
}

}  // namespace

std::string ics_content_type(Invite::Method method) {
  return std::string("text/calendar; method=") +
         (method == Invite::Method::cancel ? "CANCEL" : "REQUEST") + "; charset=utf-8";
}

Result<std::string> make_ics(const Invite& inv) {
  const bool cancel = inv.method == Invite::Method::cancel;
  icalerror_clear_errno();  // a thread-wide flag: start clean so that only our errors count
  Component cal(icalcomponent_new_vcalendar());
  icalcomponent_add_property(cal.get(), icalproperty_new_prodid("-//Griha//Site visits//EN"));
  icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(
      cal.get(), icalproperty_new_method(cancel ? ICAL_METHOD_CANCEL : ICAL_METHOD_REQUEST));

  icalcomponent* event = icalcomponent_new_vevent();
  icalcomponent_add_property(event, icalproperty_new_uid(inv.uid.c_str()));
  icalcomponent_add_property(event, icalproperty_new_sequence(inv.sequence));
  icalcomponent_add_property(event, icalproperty_new_dtstamp(utc_time(inv.stamp)));
  icalcomponent_add_property(event, icalproperty_new_dtstart(utc_time(inv.start)));
  icalcomponent_add_property(event, icalproperty_new_dtend(utc_time(inv.end)));
  icalcomponent_add_property(event, icalproperty_new_summary(inv.summary.c_str()));
  if (!inv.description.empty())
    icalcomponent_add_property(event, icalproperty_new_description(inv.description.c_str()));
  if (!inv.location.empty())
    icalcomponent_add_property(event, icalproperty_new_location(inv.location.c_str()));
  if (!inv.url.empty()) icalcomponent_add_property(event, icalproperty_new_url(inv.url.c_str()));
  icalcomponent_add_property(
      event, icalproperty_new_status(cancel ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
  icalcomponent_add_property(event, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
  icalcomponent_add_property(
      event,
      person(icalproperty_new_organizer(("mailto:" + inv.organizer.email).c_str()), inv.organizer));
  for (const auto& a : inv.attendees) {
    if (a.email.empty()) continue;
    icalproperty* p = person(icalproperty_new_attendee(("mailto:" + a.email).c_str()), a);
    icalproperty_add_parameter(p, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
    // The visit is already agreed when the invite goes out: it informs, it does not ask.
    if (!cancel) icalproperty_add_parameter(p, icalparameter_new_partstat(ICAL_PARTSTAT_ACCEPTED));
    icalproperty_add_parameter(p, icalparameter_new_rsvp(ICAL_RSVP_FALSE));
    icalcomponent_add_property(event, p);
  }
  icalcomponent_add_component(cal.get(), event);  // cal owns it now

  if (icalerrno != ICAL_NO_ERROR) {
    const std::string why = icalerror_strerror(icalerrno);
    icalerror_clear_errno();
    return Error::internal("libical: " + why);
  }
  char* text = icalcomponent_as_ical_string_r(cal.get());
  if (!text) return Error::internal("libical produced no text");
  std::string out(text);
  free(text);
  return out;
}

}  // namespace griha::visits
