#include "search/cursor.hpp"

#include <array>
#include <stdexcept>

namespace griha::search {

namespace {
constexpr std::uint8_t k_version = 2;
constexpr std::size_t k_payload = 1 + 1 + 1 + 8 + 8 + 8;

void put_u64(unsigned char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint64_t get_u64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t{p[i]} << (8 * i);
  return v;
}

Error bad_cursor(std::string detail) {
  Error e = Error::field("/cursor", FieldCode::invalid_value,
                         "The cursor is not one this server issued for this sort.", FieldIn::query);
  e.detail = std::move(detail);
  return e;
}

std::string_view checked_key(std::string_view key) {
  if (!key.empty() && key.size() < 16)
    throw std::invalid_argument("cursor key must be at least 16 bytes");
  return key;
}
}  // namespace

CursorCodec::CursorCodec(std::string_view key) : tokens_("search.cursor", checked_key(key)) {}

std::string CursorCodec::encode(const Cursor& c) const {
  std::array<unsigned char, k_payload> raw{};
  raw[0] = k_version;
  raw[1] = static_cast<unsigned char>(c.sort);
  raw[2] = c.after.tier;
  put_u64(&raw[3], c.after.key);
  put_u64(&raw[11], static_cast<std::uint64_t>(c.after.id));
  put_u64(&raw[19], c.filters);
  return tokens_.sign(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

Result<Cursor> CursorCodec::decode(std::string_view text) const {
  const auto v = tokens_.verify(text, 0, SignedTokens::token_chars(k_payload));
  if (!v) return bad_cursor("cursor does not verify");
  if (v->payload.size() != k_payload) return bad_cursor("cursor is not of the right length");
  const auto* raw = reinterpret_cast<const unsigned char*>(v->payload.data());
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
