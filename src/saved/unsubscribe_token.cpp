#include "saved/unsubscribe_token.hpp"

#include <sodium.h>

#include <charconv>
#include <stdexcept>

namespace griha::saved {
namespace {

// Domain separation: a tag made for another purpose with the same key never verifies here.
std::string message_for(std::string_view id_text) {
  return "griha/saved-search/unsubscribe/v1:" + std::string(id_text);
}

}  // namespace

UnsubscribeTokens::UnsubscribeTokens(std::string_view key) {
  static_assert(crypto_auth_KEYBYTES == 32);
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  if (key.empty()) {
    randombytes_buf(key_.data(), key_.size());
  } else {
    crypto_generichash(key_.data(), key_.size(), reinterpret_cast<const unsigned char*>(key.data()),
                       key.size(), nullptr, 0);
  }
}

std::string UnsubscribeTokens::sign(std::int64_t saved_search_id) const {
  const std::string id = std::to_string(saved_search_id);
  const std::string msg = message_for(id);
  unsigned char tag[crypto_auth_BYTES];
  crypto_auth(tag, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), key_.data());
  char b64[sodium_base64_ENCODED_LEN(crypto_auth_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(b64, sizeof b64, tag, sizeof tag, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return id + "." + b64;
}

std::optional<std::int64_t> UnsubscribeTokens::verify(std::string_view token) const {
  const auto dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot > 19) return std::nullopt;
  const std::string_view id_text = token.substr(0, dot);
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc{} || end != id_text.data() + id_text.size() || id <= 0) return std::nullopt;
  const std::string_view b64 = token.substr(dot + 1);
  unsigned char tag[crypto_auth_BYTES];
  std::size_t tag_len = 0;
  const char* b64_end = nullptr;
  if (sodium_base642bin(tag, sizeof tag, b64.data(), b64.size(), nullptr, &tag_len, &b64_end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      tag_len != sizeof tag || b64_end != b64.data() + b64.size())
    return std::nullopt;
  // The id is checked as written: "007" was never signed, so it does not verify.
  const std::string msg = message_for(id_text);
  if (crypto_auth_verify(tag, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                         key_.data()) != 0)
    return std::nullopt;
  return id;
}

}  // namespace griha::saved
