// Small cryptographic building blocks for auth, over libsodium: random tokens, hashing of
// stored secrets, base64url and constant-time comparison.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace griha::auth {

// Initialises libsodium once; safe to call from any thread, any number of times.
void ensure_sodium();

std::string base64url_encode(std::span<const unsigned char> bytes);
inline std::string base64url_encode(std::string_view s) {
  return base64url_encode(std::span(reinterpret_cast<const unsigned char*>(s.data()), s.size()));
}
// Unpadded base64url only: anything else (padding, '+', '/', whitespace) is refused.
std::optional<std::string> base64url_decode(std::string_view s);

// `bytes` random bytes as base64url: 32 bytes is 256 bits, unguessable.
std::string random_token(std::size_t bytes = 32);
// A uniformly random decimal code of `digits` digits, e.g. an SMS OTP.
std::string random_digits(int digits);
// SHA-256 as lower-case hex: how refresh tokens, links and codes are stored.
std::string sha256_hex(std::string_view data);
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace griha::auth
