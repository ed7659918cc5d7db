// Settings for site visits (config [visits]) and what the visit emails need to know about
// this deployment.
#pragma once

#include <string>

namespace griha::visits {

struct VisitOptions {
  // A slot is offered and bookable only if it starts at least this long from now.
  int min_notice_minutes = 60;
  // ... and at most this many days ahead.
  int horizon_days = 60;
  // Filled in by the app from other sections, not [visits]:
  std::string public_url = "http://localhost:8080";  // base of links in emails (auth.public_url)
  std::string organizer_email = "no-reply@griha.local";  // the invites' ORGANIZER (email.from)
  std::string organizer_name = "Griha";
};

}  // namespace griha::visits
