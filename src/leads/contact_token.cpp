#include "leads/contact_token.hpp"

#include <sodium.h>

#include <charconv>

#include "auth/crypto.hpp"

namespace griha::leads {
namespace {

// A version tag inside what is signed, so that a future format cannot be confused with this.
constexpr std::string_view k_prefix = "lc1|";

}  // namespace

ContactTokens::ContactTokens(std::string_view key) {
  auth::ensure_sodium();
  key_.resize(crypto_auth_KEYBYTES);
  auto* out = reinterpret_cast<unsigned char*>(key_.data());
  if (key.empty()) {
    randombytes_buf(out, key_.size());
  } else {
    // A domain-separated hash, so that a key shared with another use gives a different MAC key.
    crypto_generichash(out, key_.size(), reinterpret_cast<const unsigned char*>(key.data()),
                       key.size(), reinterpret_cast<const unsigned char*>("griha.leads.contact"),
                       19);
  }
}

std::string ContactTokens::issue(std::string_view contact, std::time_t expires_at) const {
  const std::string payload =
      std::string(k_prefix) + std::string(contact) + "|" + std::to_string(expires_at);
  unsigned char mac[crypto_auth_BYTES];
  crypto_auth(mac, reinterpret_cast<const unsigned char*>(payload.data()), payload.size(),
              reinterpret_cast<const unsigned char*>(key_.data()));
  return auth::base64url_encode(payload) + "." +
         auth::base64url_encode(std::span<const unsigned char>(mac, sizeof mac));
}

std::optional<VerifiedContact> ContactTokens::verify(std::string_view token,
                                                     std::time_t now) const {
  if (token.size() > 1024) return std::nullopt;
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto payload = auth::base64url_decode(token.substr(0, dot));
  const auto mac = auth::base64url_decode(token.substr(dot + 1));
  if (!payload || !mac || mac->size() != crypto_auth_BYTES) return std::nullopt;
  if (crypto_auth_verify(reinterpret_cast<const unsigned char*>(mac->data()),
                         reinterpret_cast<const unsigned char*>(payload->data()), payload->size(),
                         reinterpret_cast<const unsigned char*>(key_.data())) != 0)
    return std::nullopt;
  // Signed by us, so well-formed; checked anyway.
  const std::string_view p = *payload;
  if (!p.starts_with(k_prefix)) return std::nullopt;
  const auto bar = p.rfind('|');
  if (bar < k_prefix.size()) return std::nullopt;
  VerifiedContact v;
  v.contact = std::string(p.substr(k_prefix.size(), bar - k_prefix.size()));
  const auto exp = p.substr(bar + 1);
  long long e = 0;
  auto [end, ec] = std::from_chars(exp.data(), exp.data() + exp.size(), e);
  if (ec != std::errc{} || end != exp.data() + exp.size()) return std::nullopt;
  v.expires_at = static_cast<std::time_t>(e);
  if (v.expires_at <= now) return std::nullopt;
  return v;
}

}  // namespace griha::leads
