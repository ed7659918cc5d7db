// Calendar invites for site visits: RFC 5545 iCalendar objects with iTIP methods (RFC 5546),
// built with libical so that escaping, folding and the property grammar are its job, not ours.
// A booking sends METHOD:REQUEST; a reschedule sends REQUEST again with the same UID and a
// higher SEQUENCE, which calendars apply as an update; a cancellation sends METHOD:CANCEL.
#pragma once

#include <ctime>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace griha::visits {

struct InvitePerson {
  std::string email;
  std::string name;
};

struct Invite {
  enum class Method { request, cancel } method = Method::request;
  std::string uid;                            // the same for every version of one visit
  int sequence = 0;                           // bumped by every reschedule and the cancellation
  std::time_t start = 0, end = 0, stamp = 0;  // UTC instants
  std::string summary, description, location, url;
  InvitePerson organizer;
  std::vector<InvitePerson> attendees;  // those without an email address are left out
};

// The .ics text (CRLF lines), or an internal error if libical refuses a value.
Result<std::string> make_ics(const Invite& invite);

// The MIME type of an invite attachment, e.g. "text/calendar; method=REQUEST; charset=utf-8".
std::string ics_content_type(Invite::Method method);

}  // namespace griha::visits
