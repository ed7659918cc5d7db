// Auth's SQL, the only code that touches the users and auth_* tables: named queries with bound
// parameters, each run where its Executor says (usually the caller's transaction), so that the
// service decides what is one unit of work. Other modules call these for users.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/jwt.hpp"
#include "auth/model.hpp"
#include "storage/executor.hpp"

namespace griha::auth::repo {

using storage::Executor;
using storage::Transaction;

Result<std::int64_t> insert_user(Executor ex, const User& u);
Result<std::optional<User>> user_by_id(Executor ex, std::int64_t id);
Result<std::optional<User>> user_by_email(Executor ex, const std::string& email);
Result<std::optional<User>> user_by_phone(Executor ex, const std::string& phone);
Result<void> update_profile(Executor ex, const User& u);
Result<void> set_password(Executor ex, std::int64_t id, const std::string& hash,
                          const std::string& now);
Result<void> set_email_verified(Executor ex, std::int64_t id, const std::string& now);
Result<void> set_phone_verified(Executor ex, std::int64_t id, const std::string& now);
Result<void> set_status(Executor ex, std::int64_t id, const std::string& status,
                        const std::string& now);
Result<void> set_role(Executor ex, std::int64_t id, const std::string& role,
                      const std::string& now);
// Puts the user in an agency (nullopt: none). False when there is no such user.
Result<bool> set_agency_id(Executor ex, std::int64_t id, std::optional<std::int64_t> agency_id,
                           const std::string& now);
// Takes the user's row lock until the transaction ends (PostgreSQL; SQLite's writers queue
// anyway), so that one user's count-then-insert writes elsewhere run one at a time.
Result<void> lock_user(Executor ex, std::int64_t id);

// A user as other modules see one: who they are, how to reach them, and their standing.
struct Member {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email, phone;
  std::string role, status;
  std::optional<std::int64_t> agency_id;
  bool email_verified = false, phone_verified = false;
};
Result<std::optional<Member>> member(Executor ex, std::int64_t id);
// The active agents of an agency, by name.
Result<std::vector<Member>> agency_agents(Executor ex, std::int64_t agency_id);
// Users with id > after_id whose email, name or phone contains `needle` (all when empty).
Result<std::vector<User>> search_users(Executor ex, const std::string& needle,
                                       std::int64_t after_id, int limit);

Result<void> insert_session(Executor ex, std::int64_t user_id, const Session& s);
Result<std::vector<Session>> live_sessions(Executor ex, std::int64_t user_id,
                                           const std::string& now);
// True when the session belonged to the user and was live.
Result<bool> revoke_session(Executor ex, std::int64_t user_id, const std::string& id,
                            const std::string& now);
// Returns the ids of the sessions it revoked.
Result<std::vector<std::string>> revoke_all_sessions(Executor ex, std::int64_t user_id,
                                                     const std::string& now);
Result<void> touch_session(Executor ex, const std::string& id, const std::string& now);

struct RefreshRecord {
  std::string session_id;
  bool used = false;
  std::int64_t user_id = 0;
  bool session_revoked = false;
  std::string session_expires_at;
};
Result<void> insert_refresh_token(Executor ex, const std::string& hash,
                                  const std::string& session_id, const std::string& now);
Result<std::optional<RefreshRecord>> refresh_token(Executor ex, const std::string& hash);
// False when another request used it first.
Result<bool> mark_refresh_used(Executor ex, const std::string& hash, const std::string& now);

Result<void> insert_one_time_token(Executor ex, const std::string& hash, const std::string& purpose,
                                   std::int64_t user_id, const std::string& expires_at);
// Marks an unused, unexpired token of this purpose used; returns its user.
Result<std::optional<std::int64_t>> consume_one_time_token(Executor ex, const std::string& hash,
                                                           const std::string& purpose,
                                                           const std::string& now);
Result<void> expire_one_time_tokens(Executor ex, std::int64_t user_id, const std::string& purpose,
                                    const std::string& now);

struct Failures {
  int count = 0;
  std::string last_failure;
  std::optional<std::string> locked_until;
};
Result<Failures> login_failures(Executor ex, const std::string& identifier);
Result<void> put_login_failures(Executor ex, const std::string& identifier, int count,
                                const std::string& now,
                                const std::optional<std::string>& locked_until);
Result<void> clear_login_failures(Executor ex, const std::string& identifier);

struct StoredKey {
  SigningKey key;
  std::string created_at;
  std::optional<std::string> retired_at;
};
Result<std::vector<StoredKey>> signing_keys(Executor ex);  // newest first
Result<void> retire_signing_keys(Executor ex, const std::string& now);
Result<void> insert_signing_key(Executor ex, const SigningKey& key, const std::string& now);
Result<void> delete_signing_keys_retired_before(Executor ex, const std::string& cutoff);

Result<std::optional<std::int64_t>> identity_user(Executor ex, const std::string& issuer,
                                                  const std::string& subject);
Result<void> insert_identity(Executor ex, const std::string& issuer, const std::string& subject,
                             std::int64_t user_id, const std::string& now);

Result<void> insert_oidc_state(Executor ex, const std::string& state_hash, const std::string& nonce,
                               const std::string& code_verifier, const std::string& expires_at);
struct OidcState {
  std::string nonce;
  std::string code_verifier;
};
// Single use: the state is deleted as it is read.
Result<std::optional<OidcState>> take_oidc_state(Executor ex, const std::string& state_hash,
                                                 const std::string& now);

}  // namespace griha::auth::repo
