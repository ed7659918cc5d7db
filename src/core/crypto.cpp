#include "core/crypto.hpp"

#include <sodium.h>

#include <cstring>
#include <stdexcept>

namespace griha {

void ensure_sodium() {
  static const int k_init = sodium_init();
  if (k_init < 0) throw std::runtime_error("libsodium failed to initialise");
}

void random_bytes(std::span<unsigned char> out) {
  ensure_sodium();
  randombytes_buf(out.data(), out.size());
}

std::string random_token(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  random_bytes(buf);
  return base64url_encode(buf);
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  random_bytes(buf);
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), buf.data(), buf.size());
  hex.pop_back();
  return hex;
}

std::string random_digits(int digits) {
  std::string out;
  for (int i = 0; i < digits; ++i) out += static_cast<char>('0' + random_below(10));
  return out;
}

std::uint32_t random_below(std::uint32_t upper) {
  ensure_sodium();
  return randombytes_uniform(upper);
}

std::string base64url_encode(std::span<const unsigned char> bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> base64url_decode(std::string_view s) {
  std::string out(s.size() * 3 / 4 + 3, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), s.data(),
                        s.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != s.data() + s.size())
    return std::nullopt;
  out.resize(len);
  return out;
}

std::string base64_encode(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.size() - 1);
  return out;
}

std::array<unsigned char, 32> sha256(std::string_view data) {
  std::array<unsigned char, 32> digest{};
  static_assert(crypto_hash_sha256_BYTES == 32);
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  return digest;
}

std::string sha256_hex(std::string_view data) {
  const auto digest = sha256(data);
  char hex[digest.size() * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest.data(), digest.size());
  return hex;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// ---- signed tokens ----

namespace {

constexpr unsigned char k_token_version = 1;
constexpr std::size_t k_header = 1 + 4 + 8;
// A truncated tag is still 2^-128 to forge, and keeps URLs short.
constexpr std::size_t k_tag = 16;

void put_le(unsigned char* p, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint64_t get_le(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= std::uint64_t{p[i]} << (8 * i);
  return v;
}

void tag_of(const std::array<unsigned char, 32>& key, const unsigned char* data, std::size_t len,
            unsigned char* out) {
  static_assert(crypto_auth_KEYBYTES == 32);
  unsigned char full[crypto_auth_BYTES];
  crypto_auth(full, data, len, key.data());
  std::memcpy(out, full, k_tag);
}

}  // namespace

SignedTokens::SignedTokens(std::string_view purpose, std::vector<std::string> secrets) {
  ensure_sodium();
  std::erase_if(secrets, [](const std::string& s) { return s.empty(); });
  if (secrets.empty()) {
    std::string random(32, '\0');
    random_bytes(std::span(reinterpret_cast<unsigned char*>(random.data()), random.size()));
    secrets.push_back(std::move(random));
  }
  for (const auto& secret : secrets) {
    Key k;
    // The MAC key: a keyed BLAKE2b of the purpose under (a hash of) the secret, so every
    // purpose gets its own key from one secret.
    unsigned char secret_key[crypto_generichash_KEYBYTES];
    crypto_generichash(secret_key, sizeof secret_key,
                       reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                       nullptr, 0);
    const std::string label = "griha.signed-token/" + std::string(purpose);
    crypto_generichash(k.mac_key.data(), k.mac_key.size(),
                       reinterpret_cast<const unsigned char*>(label.data()), label.size(),
                       secret_key, sizeof secret_key);
    // The key id: public, derived from the MAC key by another hash, so it reveals nothing.
    unsigned char id[4];
    crypto_generichash(id, sizeof id, k.mac_key.data(), k.mac_key.size(), nullptr, 0);
    k.id = static_cast<std::uint32_t>(get_le(id, 4));
    sodium_memzero(secret_key, sizeof secret_key);
    keys_.push_back(k);
  }
}

std::size_t SignedTokens::token_chars(std::size_t payload_bytes) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  return sodium_base64_encoded_len(k_header + payload_bytes, variant) - 1 + 1 +
         sodium_base64_encoded_len(k_tag, variant) - 1;
}

std::string SignedTokens::sign(std::string_view payload, std::time_t expires_at) const {
  std::vector<unsigned char> body(k_header + payload.size());
  const Key& key = keys_.front();
  body[0] = k_token_version;
  put_le(&body[1], key.id, 4);
  put_le(&body[5], static_cast<std::uint64_t>(expires_at), 8);
  std::memcpy(&body[k_header], payload.data(), payload.size());
  unsigned char tag[k_tag];
  tag_of(key.mac_key, body.data(), body.size(), tag);
  return base64url_encode(body) + "." + base64url_encode(std::span<const unsigned char>(tag));
}

std::optional<SignedTokens::Verified> SignedTokens::verify(std::string_view token, std::time_t now,
                                                           std::size_t max_chars) const {
  if (token.size() > max_chars) return std::nullopt;
  const auto dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto body = base64url_decode(token.substr(0, dot));
  const auto tag = base64url_decode(token.substr(dot + 1));
  if (!body || !tag || body->size() < k_header || tag->size() != k_tag) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(body->data());
  if (p[0] != k_token_version) return std::nullopt;
  const auto id = static_cast<std::uint32_t>(get_le(p + 1, 4));
  for (const Key& key : keys_) {
    if (key.id != id) continue;
    unsigned char expect[k_tag];
    tag_of(key.mac_key, p, body->size(), expect);
    if (sodium_memcmp(expect, tag->data(), k_tag) != 0) return std::nullopt;
    Verified v;
    v.expires_at = static_cast<std::time_t>(get_le(p + 5, 8));
    if (v.expires_at != 0 && v.expires_at <= now) return std::nullopt;
    v.payload.assign(body->data() + k_header, body->size() - k_header);
    return v;
  }
  return std::nullopt;
}

}  // namespace griha
