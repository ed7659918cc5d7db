// OpenID Connect relying party: authorization code flow with PKCE (S256), state and nonce,
// against one configurable provider found by discovery. The id_token is checked as OIDC
// Core 3.1.3.7 asks: signature by a key from the provider's JWKS (RS256, ES256 or EdDSA,
// matched to the key's type), issuer, audience, azp, expiry, issue time and nonce.
// Network calls block: run them on the worker pool.
#pragma once

#include <boost/json/object.hpp>
#include <mutex>
#include <optional>
#include <string>

#include "auth/jwt.hpp"
#include "auth/options.hpp"
#include "core/error.hpp"

namespace griha::auth {

struct OidcIdentity {
  std::string issuer;
  std::string subject;
  std::optional<std::string> email;
  bool email_verified = false;
  std::string name;
};

class OidcClient {
 public:
  explicit OidcClient(OidcOptions options);
  bool enabled() const { return !options_.issuer.empty(); }
  const OidcOptions& options() const { return options_; }

  Result<std::string> authorization_url(const std::string& state, const std::string& nonce,
                                        const std::string& code_challenge);
  // Redeems the code and returns who the verified id_token says signed in.
  Result<OidcIdentity> redeem(const std::string& code, const std::string& code_verifier,
                              const std::string& nonce, std::int64_t now);

 private:
  Result<boost::json::object> discovery();
  Result<boost::json::object> provider_keys(bool refetch);
  Result<OidcIdentity> check_id_token(const std::string& id_token, const std::string& nonce,
                                      std::int64_t now);

  OidcOptions options_;
  std::mutex mu_;
  std::optional<boost::json::object> discovery_;
  std::optional<boost::json::object> jwks_;
};

// Verifies a JWS signature with one JWK (RSA, EC P-256 or OKP Ed25519). The algorithm is the
// one the key's type implies, and the header's "alg" must name exactly that.
Result<void> verify_with_jwk(const JwsParts& jws, const boost::json::object& jwk);

// S256 PKCE challenge of a verifier (RFC 7636).
std::string pkce_challenge(const std::string& verifier);

}  // namespace griha::auth
