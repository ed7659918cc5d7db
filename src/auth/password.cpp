#include "auth/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

#include "core/crypto.hpp"
#include "core/resources.hpp"

namespace griha::auth {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const std::unordered_set<std::string>& common_passwords() {
  static const auto k_set = [] {
    std::unordered_set<std::string> set;
    auto text = resources::find("src/auth/common_passwords.txt");
    if (!text) throw std::runtime_error("the common password list is not embedded");
    std::size_t pos = 0;
    while (pos < text->size()) {
      auto end = text->find('\n', pos);
      if (end == std::string_view::npos) end = text->size();
      auto line = text->substr(pos, end - pos);
      if (!line.empty() && line.front() != '#') set.insert(lower(line));
      pos = end + 1;
    }
    return set;
  }();
  return k_set;
}

// Characters as a person counts them: UTF-8 code points, not bytes.
std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

PasswordHasher::PasswordHasher(std::int64_t memory_kib, std::int64_t iterations)
    : memlimit_(static_cast<std::size_t>(memory_kib) * 1024),
      opslimit_(static_cast<unsigned long long>(iterations)) {
  ensure_sodium();
}

std::string PasswordHasher::hash(std::string_view password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), opslimit_, memlimit_,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("argon2id hashing ran out of memory");
  return out;
}

bool PasswordHasher::verify(std::string_view stored_hash, std::string_view password) const {
  const std::string h(stored_hash);  // libsodium wants it NUL-terminated
  verifications_.fetch_add(1, std::memory_order_relaxed);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

bool PasswordHasher::needs_rehash(std::string_view stored_hash) const {
  const std::string h(stored_hash);
  return crypto_pwhash_str_needs_rehash(h.c_str(), opslimit_, memlimit_) != 0;
}

std::optional<FieldError> check_password_policy(std::string_view password, std::string_view field) {
  const auto n = code_points(password);
  if (n < 12)
    return FieldError{json_pointer(field), FieldCode::too_short, "Use at least 12 characters."};
  if (n > 128 || password.size() > 512)
    return FieldError{json_pointer(field), FieldCode::too_long, "Use at most 128 characters."};
  if (is_common_password(password))
    return FieldError{json_pointer(field), FieldCode::invalid_value,
                      "This password is too common or has appeared in a breach; choose another."};
  return std::nullopt;
}

bool is_common_password(std::string_view password) {
  return common_passwords().contains(lower(password));
}

}  // namespace griha::auth
