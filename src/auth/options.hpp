// Settings of accounts and sign-in (config [auth] and [oidc]).
#pragma once

#include <cstdint>
#include <string>

namespace griha::auth {

struct OidcOptions {
  std::string issuer;  // empty: social sign-in is off
  std::string client_id;
  std::string client_secret;
  std::string redirect_uri;  // griha's /api/v1/auth/oidc/callback as the provider sees it
  std::string scopes = "openid email profile";
};

struct AuthOptions {
  std::string issuer = "griha";
  std::string audience = "griha-api";
  std::string public_url = "http://localhost:8080";  // base of links in emails
  std::int64_t access_ttl_seconds = 900;
  std::int64_t refresh_ttl_seconds = 30LL * 24 * 3600;
  std::int64_t key_rotation_seconds = 30LL * 24 * 3600;
  int ip_rate_per_minute = 60;       // sign-in, registration, OTP and reset requests per IP
  int account_rate_per_minute = 10;  // the same, per email or phone number
  int lockout_threshold = 5;         // consecutive failures before the backoff starts
  std::int64_t otp_resend_seconds = 60;
  // SMS codes to one number in any 24 hours: SMS costs money and can harass a stranger.
  std::int64_t otp_per_phone_per_day = 10;
  // Argon2id cost; OWASP's minimum is 19 MiB with t=2 (p is always 1 in libsodium).
  std::int64_t argon2_memory_kib = 19 * 1024;
  std::int64_t argon2_iterations = 2;
  OidcOptions oidc;
};

}  // namespace griha::auth
