#include "auth/jwt.hpp"

#include <charconv>

#include <sodium.h>

#include <boost/json.hpp>

#include "core/crypto.hpp"

namespace griha::auth {
namespace {

Error invalid(std::string detail) {
  return Error::make(ErrorKind::unauthenticated, "invalid_token",
                     "The access token is invalid or has expired.", std::move(detail));
}

const boost::json::string* string_at(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_string() : nullptr;
}

std::optional<std::int64_t> int_at(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= INT64_MAX)
    return static_cast<std::int64_t>(v->as_uint64());
  return std::nullopt;
}

// Allowed clock difference between copies of griha, for `iat` only: `exp` is exact.
constexpr std::int64_t k_leeway_seconds = 30;

}  // namespace

SigningKey generate_signing_key() {
  ensure_sodium();
  SigningKey k;
  crypto_sign_keypair(k.public_key.data(), k.secret_key.data());
  k.kid = random_token(12);
  return k;
}

const SigningKey* KeySet::find(std::string_view kid) const {
  for (const auto& k : keys)
    if (k.kid == kid) return &k;
  return nullptr;
}

std::shared_ptr<const KeySet> KeyRing::current() const {
  std::lock_guard lock(mu_);
  return keys_;
}

void KeyRing::replace(KeySet keys) {
  auto next = std::make_shared<const KeySet>(std::move(keys));
  std::lock_guard lock(mu_);
  keys_ = std::move(next);
}

std::string sign_access_token(const KeySet& keys, const TokenPolicy& policy,
                              const AccessClaims& claims) {
  const SigningKey& key = keys.keys.at(0);
  const boost::json::object header{{"alg", "EdDSA"}, {"typ", "at+jwt"}, {"kid", key.kid}};
  const boost::json::object payload{{"iss", policy.issuer},
                                    {"aud", policy.audience},
                                    {"sub", std::to_string(claims.user_id)},
                                    {"iat", claims.issued_at},
                                    {"exp", claims.issued_at + policy.ttl_seconds},
                                    {"jti", claims.jti},
                                    {"client_id", policy.issuer},
                                    {"role", to_string(claims.role)},
                                    {"sid", claims.session_id}};
  std::string input = base64url_encode(boost::json::serialize(header)) + "." +
                      base64url_encode(boost::json::serialize(payload));
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(input.data()),
                       input.size(), key.secret_key.data());
  return input + "." + base64url_encode(sig);
}

Result<JwsParts> split_jws(std::string_view token) {
  const auto d1 = token.find('.');
  const auto d2 = d1 == std::string_view::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string_view::npos || token.find('.', d2 + 1) != std::string_view::npos)
    return invalid("not a compact JWS");
  auto header = base64url_decode(token.substr(0, d1));
  auto payload = base64url_decode(token.substr(d1 + 1, d2 - d1 - 1));
  auto signature = base64url_decode(token.substr(d2 + 1));
  if (!header || !payload || !signature) return invalid("bad base64url");
  boost::system::error_code ec1, ec2;
  auto h = boost::json::parse(*header, ec1);
  auto p = boost::json::parse(*payload, ec2);
  if (ec1 || ec2 || !h.is_object() || !p.is_object()) return invalid("bad JSON");
  return JwsParts{std::move(h.as_object()), std::move(p.as_object()),
                  std::string(token.substr(0, d2)), std::move(*signature)};
}

Result<AccessClaims> verify_access_token(const KeySet& keys, const TokenPolicy& policy,
                                         std::string_view token, std::int64_t now) {
  if (token.size() > 4096) return invalid("token too long");
  auto parts = split_jws(token);
  if (!parts) return parts.error();
  const auto& h = parts->header;
  // The algorithm is ours to choose, never the token's: "none", HS256 with our public key as
  // the secret, or any other switch is refused before a key is even looked up.
  const auto* alg = string_at(h, "alg");
  if (!alg || *alg != "EdDSA") return invalid("algorithm not allowed");
  const auto* typ = string_at(h, "typ");
  if (!typ || *typ != "at+jwt") return invalid("wrong typ");
  if (h.contains("crit") || h.contains("jku") || h.contains("jwk") || h.contains("x5u"))
    return invalid("unsupported header parameter");
  const auto* kid = string_at(h, "kid");
  const SigningKey* key = kid ? keys.find(*kid) : nullptr;
  if (!key) return invalid("unknown kid");
  if (parts->signature.size() != crypto_sign_BYTES ||
      crypto_sign_verify_detached(
          reinterpret_cast<const unsigned char*>(parts->signature.data()),
          reinterpret_cast<const unsigned char*>(parts->signing_input.data()),
          parts->signing_input.size(), key->public_key.data()) != 0)
    return invalid("bad signature");

  const auto& p = parts->payload;
  const auto* iss = string_at(p, "iss");
  if (!iss || *iss != policy.issuer) return invalid("wrong issuer");
  const auto* aud = string_at(p, "aud");
  if (!aud || *aud != policy.audience) return invalid("wrong audience");
  const auto exp = int_at(p, "exp");
  const auto iat = int_at(p, "iat");
  if (!exp || !iat) return invalid("missing exp or iat");
  if (now >= *exp) return invalid("expired");
  if (*iat > now + k_leeway_seconds) return invalid("issued in the future");
  if (*exp - *iat > policy.ttl_seconds) return invalid("lifetime longer than policy");
  const auto* sub = string_at(p, "sub");
  const auto* jti = string_at(p, "jti");
  const auto* role = string_at(p, "role");
  const auto* sid = string_at(p, "sid");
  if (!sub || !jti || !role || !sid) return invalid("missing claim");
  AccessClaims c;
  const auto [end, ec] = std::from_chars(sub->data(), sub->data() + sub->size(), c.user_id);
  if (ec != std::errc{} || end != sub->data() + sub->size() || c.user_id <= 0)
    return invalid("bad sub");
  const auto known_role = role_from_string(*role);
  if (!known_role) return invalid("unknown role");
  c.role = *known_role;
  c.session_id = std::string(*sid);
  c.jti = std::string(*jti);
  c.issued_at = *iat;
  c.expires_at = *exp;
  return c;
}

boost::json::object jwks(const KeySet& keys) {
  boost::json::array list;
  for (const auto& k : keys.keys)
    list.push_back(boost::json::object{{"kty", "OKP"},
                                       {"crv", "Ed25519"},
                                       {"x", base64url_encode(k.public_key)},
                                       {"kid", k.kid},
                                       {"alg", "EdDSA"},
                                       {"use", "sig"}});
  return {{"keys", std::move(list)}};
}

}  // namespace griha::auth
