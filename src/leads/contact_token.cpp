#include "leads/contact_token.hpp"

namespace griha::leads {

ContactTokens::ContactTokens(std::string_view key) : tokens_("leads.contact", key) {}

std::string ContactTokens::issue(std::string_view contact, std::time_t expires_at) const {
  return tokens_.sign(contact, expires_at);
}

std::optional<VerifiedContact> ContactTokens::verify(std::string_view token,
                                                     std::time_t now) const {
  auto v = tokens_.verify(token, now);
  // Every contact token expires; one without an expiry was not made here.
  if (!v || v->expires_at == 0) return std::nullopt;
  return VerifiedContact{std::move(v->payload), v->expires_at};
}

}  // namespace griha::leads
