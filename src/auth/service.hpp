// The rules of accounts and sign-in: registration, passwords, tokens and sessions, email
// and phone verification, password reset, lockout and rate limits, social sign-in and the
// admin's powers over users. Every method blocks (database, Argon2id, providers): handlers
// call them on the worker pool. Only authenticate() is cheap enough for an I/O thread.
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "auth/jwt.hpp"
#include "auth/model.hpp"
#include "auth/oidc.hpp"
#include "auth/options.hpp"
#include "auth/password.hpp"
#include "auth/rate_limiter.hpp"
#include "core/principal.hpp"
#include "core/verification_codes.hpp"
#include "storage/database.hpp"

namespace griha::auth {

struct Tokens {
  std::string access_token;
  std::int64_t expires_in = 0;
  std::string refresh_token;
  std::string session_id;
  std::int64_t user_id = 0;
};

struct Registration {
  std::optional<std::string> email;
  std::optional<std::string> password;
  std::optional<std::string> name;
  std::optional<std::string> phone;
  std::optional<std::string> role;
  std::optional<std::string> agency;
  std::optional<std::string> rera_number;
};

// The fields a user may change about themselves; absent ones stay as they are.
struct ProfileChange {
  std::optional<std::string> name;
  std::optional<std::string> phone;
  std::optional<std::string> agency;
  std::optional<std::string> rera_number;
};

struct OidcStart {
  std::string url;    // where to send the browser
  std::string state;  // also set as a cookie, so the callback is bound to this browser
};

struct UserPage {
  std::vector<User> users;
  std::optional<std::int64_t> next_after;  // cursor for the next page
};

class AuthService {
 public:
  using Clock = std::function<std::int64_t()>;  // seconds since the epoch

  std::uint64_t password_verifications() const { return hasher_.verifications(); }

  // Emails and SMS go through the outbox in the transaction that causes them; `wake` tells
  // the dispatcher after the commit.
  AuthService(AuthOptions options, storage::Database& db, std::function<void()> wake,
              Clock clock = {});
  ~AuthService();

  // Loads the signing keys, creating the first one on a new database.
  Result<void> start();

  // Cheap: signature and claims only, plus this process's revocations.
  Result<AccessClaims> authenticate(std::string_view access_token);
  boost::json::object jwks() const;

  Result<void> register_account(const Registration& r, const Principal& caller);
  Result<Tokens> sign_in(const std::string& identifier, const std::string& password,
                         const Principal& caller);
  Result<Tokens> refresh(const std::string& refresh_token, const Principal& caller);
  Result<void> sign_out(std::int64_t user_id, const std::string& session_id);
  Result<std::vector<Session>> sessions(std::int64_t user_id);
  Result<void> revoke_session(std::int64_t user_id, const std::string& session_id);

  Result<User> user(std::int64_t user_id);
  Result<User> update_profile(std::int64_t user_id, const ProfileChange& change);
  Result<void> change_password(std::int64_t user_id, const std::string& current,
                               const std::string& next);

  Result<void> send_email_verification(std::int64_t user_id);
  Result<void> verify_email(const std::string& token);
  Result<void> forgot_password(const std::string& email, const Principal& caller);
  Result<void> reset_password(const std::string& token, const std::string& password);

  Result<void> request_otp(const std::string& phone, const Principal& caller);
  Result<Tokens> verify_otp(const std::string& phone, const std::string& code,
                            const Principal& caller);

  bool oidc_enabled() const { return oidc_.enabled(); }
  Result<OidcStart> oidc_start();
  Result<Tokens> oidc_finish(const std::string& code, const std::string& state,
                             const std::string& browser_state, const Principal& caller);

  Result<UserPage> list_users(const std::string& query, std::int64_t after, int limit);
  Result<User> set_status(std::int64_t admin_id, std::int64_t user_id, const std::string& status);
  Result<User> set_role(std::int64_t admin_id, std::int64_t user_id, const std::string& role);
  // `griha user create`: an account made by the operator, email already trusted.
  Result<User> create_user(const std::string& email, const std::string& password,
                           const std::string& role, const std::string& name);

  const AuthOptions& options() const { return options_; }

 private:
  std::int64_t now() const { return clock_(); }
  Result<void> refresh_keys(bool force);
  Result<void> check_rate(const std::string& action, const Principal& caller,
                          const std::string& account);
  Result<Tokens> open_session(storage::Transaction& tx, const User& u, const Principal& caller);
  Tokens access_for(const User& u, Tokens t);
  void revoke_locally(const std::vector<std::string>& session_ids);
  // Renders templates/<template_name>.* and enqueues it in `tx`.
  Result<void> email_later(storage::Transaction& tx, const std::string& to,
                           std::string_view template_name, const boost::json::object& values);
  Result<std::string> issue_link_token(storage::Transaction& tx, std::int64_t user_id,
                                       const std::string& purpose, std::int64_t ttl);

  AuthOptions options_;
  storage::Database& db_;
  std::function<void()> wake_;
  Clock clock_;
  PasswordHasher hasher_;
  std::string dummy_hash_;  // verified against when there is no account, to equalise timing
  KeyRing keys_;
  TokenPolicy policy_;
  RevocationList revocations_;
  RateLimiter ip_limiter_;
  RateLimiter account_limiter_;
  OidcClient oidc_;
  VerificationCodes otp_codes_;
  std::mutex key_mu_;
  std::int64_t keys_checked_at_ = 0;
  std::int64_t next_rotation_at_ = 0;
  // Emails and SMS leave after the response, so that whether one was sent (and how slowly
  // the provider took it) cannot be timed from outside.
};

}  // namespace griha::auth
