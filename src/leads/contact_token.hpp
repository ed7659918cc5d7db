// Contact tokens: proof that a guest verified a phone number or an email address, so that
// an inquiry can name that contact without an account. A token is the contact and its expiry,
// signed with core's SignedTokens (purpose "leads.contact") under a server key; nothing is
// stored.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto.hpp"

namespace griha::leads {

struct VerifiedContact {
  std::string contact;  // "phone:+919812345678" or "email:asha@example.in"
  std::time_t expires_at = 0;
};

class ContactTokens {
 public:
  // `key`: any secret text (it is hashed to the MAC key); empty draws a random one.
  explicit ContactTokens(std::string_view key);

  std::string issue(std::string_view contact, std::time_t expires_at) const;
  // nullopt when the token is malformed, signed under another key, altered, or expired.
  std::optional<VerifiedContact> verify(std::string_view token, std::time_t now) const;

 private:
  SignedTokens tokens_;
};

}  // namespace griha::leads
