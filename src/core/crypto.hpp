// Cryptographic building blocks every module uses, over libsodium: one library init, random
// tokens and codes, base64url, SHA-256, constant-time comparison, and the one signed-token
// scheme (SignedTokens) behind search cursors, guest contact tokens and unsubscribe links.
#pragma once

#include <array>
#include <cstdint>
#include <ctime>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace griha {

// Initialises libsodium once; safe to call from any thread, any number of times. Every
// function here calls it, so callers of this header never need to.
void ensure_sodium();

void random_bytes(std::span<unsigned char> out);
// `bytes` random bytes as base64url: 32 bytes is 256 bits, unguessable.
std::string random_token(std::size_t bytes = 32);
// `bytes` random bytes as lower-case hex (2 * bytes characters).
std::string random_hex(std::size_t bytes);
// A uniformly random decimal code of `digits` digits, e.g. an SMS OTP.
std::string random_digits(int digits);
// Uniform in [0, upper).
std::uint32_t random_below(std::uint32_t upper);

std::string base64url_encode(std::span<const unsigned char> bytes);
inline std::string base64url_encode(std::string_view s) {
  return base64url_encode(std::span(reinterpret_cast<const unsigned char*>(s.data()), s.size()));
}
// Unpadded base64url only: anything else (padding, '+', '/', whitespace) is refused.
std::optional<std::string> base64url_decode(std::string_view s);
// Standard base64 with padding (MIME bodies, SMTP AUTH and the like).
std::string base64_encode(std::string_view bytes);

// SHA-256 as lower-case hex: how refresh tokens, links and codes are stored.
std::string sha256_hex(std::string_view data);
std::array<unsigned char, 32> sha256(std::string_view data);
bool constant_time_equal(std::string_view a, std::string_view b);

// Signed tokens: a payload and an expiry that a client may hold and hand back but cannot
// forge or alter. The token is "<body>.<tag>", both base64url: the body is
//   version (1) | key id (4) | expires_at (8, little-endian; 0 = never) | payload
// and the tag is HMAC-SHA-512-256 (libsodium crypto_auth) of the body, truncated to 128 bits. The
// MAC key is derived from the secret *and* the purpose, so a token made for one purpose (a search
// cursor) never verifies as another (a contact token) even when an operator configures the same
// secret for both. The key id names the secret, so a signer can rotate: the first secret signs,
// every listed one verifies.
class SignedTokens {
 public:
  // `purpose`: a fixed name such as "search.cursor". `secrets`: the configured keys, any
  // length (hashed); empty, or only empty strings, draws one random key for this process
  // (tokens then die with it, and work only on the node that issued them).
  SignedTokens(std::string_view purpose, std::vector<std::string> secrets);
  SignedTokens(std::string_view purpose, std::string_view secret)
      : SignedTokens(purpose, std::vector<std::string>{std::string(secret)}) {}

  std::string sign(std::string_view payload, std::time_t expires_at = 0) const;

  struct Verified {
    std::string payload;
    std::time_t expires_at = 0;  // 0: never
  };
  // nullopt when the token is malformed, longer than `max_chars`, signed under another key or
  // for another purpose, altered, or expired (expires_at <= now).
  std::optional<Verified> verify(std::string_view token, std::time_t now,
                                 std::size_t max_chars = 1024) const;

  // The length of a token with a payload of `payload_bytes`.
  static std::size_t token_chars(std::size_t payload_bytes);

 private:
  struct Key {
    std::uint32_t id = 0;
    std::array<unsigned char, 32> mac_key{};
  };
  std::vector<Key> keys_;  // keys_[0] signs
};

}  // namespace griha
