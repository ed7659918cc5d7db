// Auth's SQL: named queries with bound parameters, run inside the caller's transaction so
// that the service decides what is one unit of work.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/jwt.hpp"
#include "auth/model.hpp"
#include "storage/database.hpp"

namespace griha::auth::repo {

using storage::Transaction;

Result<std::int64_t> insert_user(Transaction& tx, const User& u);
Result<std::optional<User>> user_by_id(Transaction& tx, std::int64_t id);
Result<std::optional<User>> user_by_email(Transaction& tx, const std::string& email);
Result<std::optional<User>> user_by_phone(Transaction& tx, const std::string& phone);
Result<void> update_profile(Transaction& tx, const User& u);
Result<void> set_password(Transaction& tx, std::int64_t id, const std::string& hash,
                          const std::string& now);
Result<void> set_email_verified(Transaction& tx, std::int64_t id, const std::string& now);
Result<void> set_phone_verified(Transaction& tx, std::int64_t id, const std::string& now);
Result<void> set_status(Transaction& tx, std::int64_t id, const std::string& status,
                        const std::string& now);
Result<void> set_role(Transaction& tx, std::int64_t id, const std::string& role,
                      const std::string& now);
// Users with id > after_id whose email, name or phone contains `needle` (all when empty).
Result<std::vector<User>> search_users(Transaction& tx, const std::string& needle,
                                       std::int64_t after_id, int limit);

Result<void> insert_session(Transaction& tx, std::int64_t user_id, const Session& s);
Result<std::vector<Session>> live_sessions(Transaction& tx, std::int64_t user_id,
                                           const std::string& now);
// True when the session belonged to the user and was live.
Result<bool> revoke_session(Transaction& tx, std::int64_t user_id, const std::string& id,
                            const std::string& now);
// Returns the ids of the sessions it revoked.
Result<std::vector<std::string>> revoke_all_sessions(Transaction& tx, std::int64_t user_id,
                                                     const std::string& now);
Result<void> touch_session(Transaction& tx, const std::string& id, const std::string& now);

struct RefreshRecord {
  std::string session_id;
  bool used = false;
  std::int64_t user_id = 0;
  bool session_revoked = false;
  std::string session_expires_at;
};
Result<void> insert_refresh_token(Transaction& tx, const std::string& hash,
                                  const std::string& session_id, const std::string& now);
Result<std::optional<RefreshRecord>> refresh_token(Transaction& tx, const std::string& hash);
// False when another request used it first.
Result<bool> mark_refresh_used(Transaction& tx, const std::string& hash, const std::string& now);

Result<void> insert_one_time_token(Transaction& tx, const std::string& hash,
                                   const std::string& purpose, std::int64_t user_id,
                                   const std::string& expires_at);
// Marks an unused, unexpired token of this purpose used; returns its user.
Result<std::optional<std::int64_t>> consume_one_time_token(Transaction& tx, const std::string& hash,
                                                           const std::string& purpose,
                                                           const std::string& now);
Result<void> expire_one_time_tokens(Transaction& tx, std::int64_t user_id,
                                    const std::string& purpose, const std::string& now);

struct Failures {
  int count = 0;
  std::string last_failure;
  std::optional<std::string> locked_until;
};
Result<Failures> login_failures(Transaction& tx, const std::string& identifier);
Result<void> put_login_failures(Transaction& tx, const std::string& identifier, int count,
                                const std::string& now,
                                const std::optional<std::string>& locked_until);
Result<void> clear_login_failures(Transaction& tx, const std::string& identifier);

struct StoredKey {
  SigningKey key;
  std::string created_at;
  std::optional<std::string> retired_at;
};
Result<std::vector<StoredKey>> signing_keys(Transaction& tx);  // newest first
Result<void> retire_signing_keys(Transaction& tx, const std::string& now);
Result<void> insert_signing_key(Transaction& tx, const SigningKey& key, const std::string& now);
Result<void> delete_signing_keys_retired_before(Transaction& tx, const std::string& cutoff);

Result<std::optional<std::int64_t>> identity_user(Transaction& tx, const std::string& issuer,
                                                  const std::string& subject);
Result<void> insert_identity(Transaction& tx, const std::string& issuer, const std::string& subject,
                             std::int64_t user_id, const std::string& now);

Result<void> insert_oidc_state(Transaction& tx, const std::string& state_hash,
                               const std::string& nonce, const std::string& code_verifier,
                               const std::string& expires_at);
struct OidcState {
  std::string nonce;
  std::string code_verifier;
};
// Single use: the state is deleted as it is read.
Result<std::optional<OidcState>> take_oidc_state(Transaction& tx, const std::string& state_hash,
                                                 const std::string& now);

}  // namespace griha::auth::repo
