// Verification codes: a short numeric code sent to a phone or a mailbox, proving that whoever
// types it back controls it. One algorithm for every use (sign-in OTPs, guests' contact
// codes): the code is stored only as a hash, lives k_code_ttl_seconds, allows
// k_code_max_attempts wrong tries, may be re-sent after a wait, and one subject gets at most
// so many a day. Everything runs inside the caller's transaction, so the code, its message
// (which the caller enqueues) and the count commit or roll back together. The tables
// (verification_codes, verification_sends) belong to this unit alone.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "storage/database.hpp"

namespace griha {

// The constants, in one place.
inline constexpr int k_code_digits = 6;
inline constexpr std::int64_t k_code_ttl_seconds = 10 * 60;
inline constexpr int k_code_max_attempts = 5;
// The daily cap counts the codes sent in any window this long.
inline constexpr std::int64_t k_code_cap_window_seconds = 24 * 3600;

struct CodePolicy {
  // What the codes are for ("auth.otp", "leads.contact"): codes and counts of two purposes
  // never mix.
  std::string purpose;
  // The stable error codes are "<prefix>_resend_throttled", "<prefix>_daily_cap" and
  // "<prefix>_invalid".
  std::string error_prefix;
  std::int64_t resend_seconds = 60;  // wait between two codes to one subject
  // Codes to one subject in any k_code_cap_window_seconds: texts cost money, and a patient
  // sender could otherwise flood a stranger's phone within the other limits.
  std::int64_t per_day = 10;
};

class VerificationCodes {
 public:
  explicit VerificationCodes(CodePolicy policy) : policy_(std::move(policy)) {}

  // A new code for `subject` (a phone number, "email:…"), replacing any earlier one, for
  // the caller to send in the same transaction. 429 <prefix>_resend_throttled while the last
  // code is younger than resend_seconds, 429 <prefix>_daily_cap at the cap; both carry
  // Retry-After. Concurrent requests for one subject queue (PostgreSQL: an advisory lock).
  Result<std::string> issue(storage::Transaction& tx, std::string_view subject,
                            std::time_t now) const;

  enum class Check { accepted, rejected };
  // accepted: the code was right and is used up. rejected: no code, expired, wrong, or too
  // many tries; a wrong try has been counted (the last one burns the code), so the caller
  // commits tx and then answers invalid().
  Result<Check> verify(storage::Transaction& tx, std::string_view subject, std::string_view code,
                       std::time_t now) const;

  // 400 <prefix>_invalid: one answer for wrong, expired and unknown.
  Error invalid() const;
  const CodePolicy& policy() const { return policy_; }

  // Housekeeping: drops expired codes and sends older than the cap window, every purpose.
  static Result<void> purge(storage::Database& db, std::time_t now);

 private:
  CodePolicy policy_;
};

}  // namespace griha
