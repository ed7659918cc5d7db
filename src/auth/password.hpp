// Passwords: Argon2id hashing through libsodium, and the policy a new password must meet
// (ASVS 2.1: 12 to 128 characters, not a known common or breached password).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace griha::auth {

class PasswordHasher {
 public:
  PasswordHasher(std::int64_t memory_kib, std::int64_t iterations);

  // Costly by design (tens of milliseconds): call it on the worker pool.
  std::string hash(std::string_view password) const;
  bool verify(std::string_view stored_hash, std::string_view password) const;
  // True when the stored hash was made with other parameters than the current ones.
  bool needs_rehash(std::string_view stored_hash) const;
  // How many verifications ran: exported as a metric, and what shows that a sign-in for an
  // unknown account costs the same hash as one for a known account.
  std::uint64_t verifications() const { return verifications_.load(std::memory_order_relaxed); }

 private:
  std::size_t memlimit_;
  unsigned long long opslimit_;
  mutable std::atomic<std::uint64_t> verifications_{0};
};

// Why `password` may not be used, as a field error on `field`; nullopt when it is fine.
std::optional<FieldError> check_password_policy(std::string_view password,
                                                std::string_view field = "password");

// True when the shipped list of common passwords has it (case-insensitively).
bool is_common_password(std::string_view password);

}  // namespace griha::auth
