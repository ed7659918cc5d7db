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
  // Live (booked, not yet started) visits one seeker may hold: per listing, and in all. Without
  // them one account could book every slot of a listing and flood its lister with email.
  int max_per_listing = 2;
  int max_active = 10;
  // Bookings and reschedules per minute (one bucket for both), per IP and per account.
  int ip_rate_per_minute = 30;
  int seeker_rate_per_minute = 10;
  // Filled in by the app from other sections, not [visits]:
  std::string public_url = "http://localhost:8080";  // base of links in emails (auth.public_url)
  std::string organizer_email = "no-reply@griha.local";  // the invites' ORGANIZER (email.from)
  std::string organizer_name = "Griha";
};

}  // namespace griha::visits
