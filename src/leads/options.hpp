// Settings of inquiries and the lead pipeline (config [leads]).
#pragma once

#include <cstdint>
#include <string>

namespace griha::leads {

struct LeadOptions {
  // Signs guests' contact tokens; the same on every node. Empty: random per process (tokens
  // then work on the node that issued them only).
  std::string contact_key;
  std::int64_t contact_token_ttl_seconds = 3600;  // how long a verified contact may inquire
  std::int64_t code_resend_seconds = 60;          // wait between two codes to one contact
  int ip_rate_per_minute = 20;                    // inquiries, and code requests and checks, per IP
  int seeker_rate_per_minute = 5;      // the same per account, phone number or email address
  int guest_daily_cap = 10;            // inquiries per verified guest contact in any 24 hours
  int codes_per_contact_per_day = 10;  // verification codes sent to one contact in any 24 hours
};

}  // namespace griha::leads
