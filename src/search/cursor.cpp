#include "search/cursor.hpp"

#include <sodium.h>

#include <array>
#include <cstring>
#include <stdexcept>

namespace griha::search {

namespace {
constexpr std::uint8_t k_version = 2;
constexpr std::size_t k_payload = 1 + 1 + 1 + 8 + 8 + 8;
// A truncated tag is still 2^-128 to forge, and keeps URLs short.
constexpr std::size_t k_tag = 16;

void put_u64(unsigned char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint64_t get_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t{p[i]} << (8 * i);
  return v;
}

void tag_of(const std::string& key, const unsigned char* payload, unsigned char* out) {
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> full{};
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, payload, k_payload);
  crypto_auth_hmacsha256_final(&st, full.data());
  std::memcpy(out, full.data(), k_tag);
}

Error bad_cursor(std::string detail) {
  Error e = Error::field("/cursor", FieldCode::invalid_value,
                         "The cursor is not one this server issued for this sort.", FieldIn::query);
  e.detail = std::move(detail);
  return e;
}
}  // namespace

CursorCodec::CursorCodec(std::string key) : key_(std::move(key)) {
  if (key_.size() < 16) throw std::invalid_argument("cursor key must be at least 16 bytes");
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string CursorCodec::encode(const Cursor& c) const {
  std::array<unsigned char, k_payload + k_tag> raw{};
  raw[0] = k_version;
  raw[1] = static_cast<unsigned char>(c.sort);
  raw[2] = c.after.tier;
  put_u64(&raw[3], c.after.key);
  put_u64(&raw[11], static_cast<std::uint64_t>(c.after.id));
  put_u64(&raw[19], c.filters);
  tag_of(key_, raw.data(), raw.data() + k_payload);
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_encoded_len(raw.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<Cursor> CursorCodec::decode(std::string_view text) const {
  std::array<unsigned char, k_payload + k_tag> raw{};
  std::size_t len = 0;
  if (text.size() > 80 ||
      sodium_base642bin(raw.data(), raw.size(), text.data(), text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      len != raw.size()) {
    return bad_cursor("cursor is not base64url of the right length");
  }
  std::array<unsigned char, k_tag> expect{};
  tag_of(key_, raw.data(), expect.data());
  if (sodium_memcmp(expect.data(), raw.data() + k_payload, k_tag) != 0) {
    return bad_cursor("cursor signature does not verify");
  }
  if (raw[0] != k_version || raw[1] >= k_sort_count || raw[2] > 1) {
    return bad_cursor("cursor fields out of range");
  }
  Cursor c;
  c.sort = static_cast<Sort>(raw[1]);
  c.after.tier = raw[2];
  c.after.key = get_u64(&raw[3]);
  c.after.id = static_cast<std::int64_t>(get_u64(&raw[11]));
  c.filters = get_u64(&raw[19]);
  return c;
}

}  // namespace griha::search
