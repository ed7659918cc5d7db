#include "core/verification_codes.hpp"

#include <algorithm>

#include "core/crypto.hpp"
#include "core/time.hpp"

namespace griha {
namespace {

using storage::params;
using storage::Query;

constexpr Query k_lock{"codes.lock", "SELECT length($1)",
                       "SELECT pg_advisory_xact_lock(hashtextextended($1, 11))"};
constexpr Query k_code{"codes.get",
                       "SELECT code_hash, expires_at, attempts, sent_at FROM verification_codes "
                       "WHERE purpose = $1 AND subject = $2"};
constexpr Query k_put_code{
    "codes.put",
    "INSERT INTO verification_codes (purpose, subject, code_hash, expires_at, attempts, sent_at) "
    "VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (purpose, subject) DO UPDATE SET "
    "code_hash = $3, expires_at = $4, attempts = 0, sent_at = $5"};
constexpr Query k_count_attempt{"codes.count_attempt",
                                "UPDATE verification_codes SET attempts = attempts + 1 "
                                "WHERE purpose = $1 AND subject = $2"};
constexpr Query k_delete_code{"codes.delete",
                              "DELETE FROM verification_codes WHERE purpose = $1 AND subject = $2"};
constexpr Query k_sends_since{"codes.sends_since",
                              "SELECT COUNT(*), COALESCE(MIN(sent_at), '') FROM verification_sends "
                              "WHERE purpose = $1 AND subject = $2 AND sent_at > $3"};
constexpr Query k_record_send{
    "codes.record_send",
    "INSERT INTO verification_sends (purpose, subject, sent_at) VALUES ($1, $2, $3)"};
constexpr Query k_forget_sends{"codes.forget_sends",
                               "DELETE FROM verification_sends WHERE purpose = $1 AND subject = $2 "
                               "AND sent_at <= $3"};
constexpr Query k_purge_codes{"codes.purge",
                              "DELETE FROM verification_codes WHERE expires_at <= $1"};
constexpr Query k_purge_sends{"codes.purge_sends",
                              "DELETE FROM verification_sends WHERE sent_at <= $1"};

Error too_many(std::string code, std::string message, std::int64_t seconds) {
  Error e = Error::make(ErrorKind::rate_limited, std::move(code), std::move(message));
  e.retry_after_seconds = static_cast<int>(std::max<std::int64_t>(1, seconds));
  return e;
}

// Bound to the subject, so a hash copied from one row never matches another's code.
std::string hash_of(std::string_view subject, std::string_view code) {
  return sha256_hex(std::string(subject) + ":" + std::string(code));
}

Result<void> done(Result<storage::Rows> r) {
  if (!r) return r.error();
  return {};
}

}  // namespace

Result<std::string> VerificationCodes::issue(storage::Transaction& tx, std::string_view subject,
                                             std::time_t now) const {
  const auto& p = policy_;
  const std::string s(subject);
  if (auto r = done(tx.exec(k_lock, params(p.purpose + "|" + s))); !r) return r.error();
  // The cap first: a subject at its cap learns when the window frees up, not merely to wait
  // for the resend throttle and then be refused again.
  const std::string window_start = iso_utc(now - k_code_cap_window_seconds);
  auto sent = tx.exec(k_sends_since, params(p.purpose, s, window_start));
  if (!sent) return sent.error();
  if (sent->rows.at(0).i64(0) >= p.per_day) {
    const auto oldest = parse_iso_utc(sent->rows[0].text(1)).value_or(now);
    return too_many(p.error_prefix + "_daily_cap",
                    "This phone number or email address has been sent as many codes as a day "
                    "allows; try again later.",
                    oldest + k_code_cap_window_seconds - now);
  }
  auto current = tx.exec(k_code, params(p.purpose, s));
  if (!current) return current.error();
  if (!current->empty()) {
    const auto last = parse_iso_utc(current->rows[0].text(3)).value_or(0);
    if (const auto wait = last + p.resend_seconds - now; wait > 0)
      return too_many(p.error_prefix + "_resend_throttled",
                      "A code was sent a moment ago; wait before asking again.", wait);
  }
  std::string code = random_digits(k_code_digits);
  const std::string at = iso_utc(now);
  if (auto r = done(tx.exec(k_put_code, params(p.purpose, s, hash_of(s, code),
                                               iso_utc(now + k_code_ttl_seconds), at)));
      !r)
    return r.error();
  // Sends that fell out of the window are of no more use.
  if (auto r = done(tx.exec(k_forget_sends, params(p.purpose, s, window_start))); !r)
    return r.error();
  if (auto r = done(tx.exec(k_record_send, params(p.purpose, s, at))); !r) return r.error();
  return code;
}

Result<VerificationCodes::Check> VerificationCodes::verify(storage::Transaction& tx,
                                                           std::string_view subject,
                                                           std::string_view code,
                                                           std::time_t now) const {
  const auto& p = policy_;
  const std::string s(subject);
  if (code.size() != static_cast<std::size_t>(k_code_digits) ||
      code.find_first_not_of("0123456789") != std::string_view::npos)
    return Check::rejected;
  auto stored = tx.exec(k_code, params(p.purpose, s));
  if (!stored) return stored.error();
  if (stored->empty()) return Check::rejected;
  const auto& row = stored->rows[0];
  if (parse_iso_utc(row.text(1)).value_or(0) <= now) return Check::rejected;
  if (row.i64(2) >= k_code_max_attempts) {
    // Too many wrong tries burn the code.
    if (auto r = done(tx.exec(k_delete_code, params(p.purpose, s))); !r) return r.error();
    return Check::rejected;
  }
  if (!constant_time_equal(hash_of(s, code), row.text(0))) {
    if (auto r = done(tx.exec(k_count_attempt, params(p.purpose, s))); !r) return r.error();
    return Check::rejected;
  }
  if (auto r = done(tx.exec(k_delete_code, params(p.purpose, s))); !r) return r.error();
  return Check::accepted;
}

Error VerificationCodes::invalid() const {
  return Error::make(ErrorKind::invalid, policy_.error_prefix + "_invalid",
                     "The code is wrong or has expired; request a new one.");
}

Result<void> VerificationCodes::purge(storage::Database& db, std::time_t now) {
  auto tx = db.begin();
  if (!tx) return tx.error();
  if (auto r = done(tx->exec(k_purge_codes, params(iso_utc(now)))); !r) return r.error();
  if (auto r = done(tx->exec(k_purge_sends, params(iso_utc(now - k_code_cap_window_seconds)))); !r)
    return r.error();
  return tx->commit();
}

}  // namespace griha
