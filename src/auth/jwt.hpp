// Griha's access tokens: JWTs signed with EdDSA (Ed25519), typ "at+jwt" (RFC 9068), checked
// the way RFC 8725 asks: the algorithm is pinned, the key is found only by `kid` among our
// own, and every claim is verified. The keys live in a KeyRing that rotation replaces whole.
#pragma once

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/principal.hpp"

namespace griha::auth {

struct SigningKey {
  std::string kid;
  std::array<unsigned char, 32> public_key{};
  std::array<unsigned char, 64> secret_key{};
};

// Generates a new Ed25519 key with a random kid.
SigningKey generate_signing_key();

// The keys in force: the newest signs, all of them verify.
struct KeySet {
  std::vector<SigningKey> keys;  // keys.front() signs
  const SigningKey* find(std::string_view kid) const;
};

// Readers take a snapshot without blocking writers for long; rotation swaps the whole set.
class KeyRing {
 public:
  std::shared_ptr<const KeySet> current() const;
  void replace(KeySet keys);

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const KeySet> keys_ = std::make_shared<KeySet>();
};

struct TokenPolicy {
  std::string issuer;
  std::string audience;
  std::int64_t ttl_seconds = 900;
};

struct AccessClaims {
  std::int64_t user_id = 0;
  Role role = Role::seeker;  // a token naming a role we do not know is refused
  std::string session_id;
  std::string jti;
  std::int64_t issued_at = 0;
  std::int64_t expires_at = 0;
};

// Signs an access token with keys.front(); `claims.issued_at` is now.
std::string sign_access_token(const KeySet& keys, const TokenPolicy& policy,
                              const AccessClaims& claims);

// Every failure is unauthenticated/invalid_token; `detail` says which check failed.
Result<AccessClaims> verify_access_token(const KeySet& keys, const TokenPolicy& policy,
                                         std::string_view token, std::int64_t now);

// {"keys":[{"kty":"OKP","crv":"Ed25519","x":...,"kid":...,"alg":"EdDSA","use":"sig"}]}
boost::json::object jwks(const KeySet& keys);

// The three parts of a compact JWS, base64url-decoded where they are JSON.
struct JwsParts {
  boost::json::object header;
  boost::json::object payload;
  std::string signing_input;  // "header.payload" as sent
  std::string signature;      // raw bytes
};
Result<JwsParts> split_jws(std::string_view token);

}  // namespace griha::auth
