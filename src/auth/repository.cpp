#include "auth/repository.hpp"

#include <cstring>

#include "core/crypto.hpp"

namespace griha::auth::repo {
namespace {

using storage::params;
using storage::Query;
using storage::Row;

#define GRIHA_USER_COLUMNS                                                                \
  "id, email, phone, name, role, status, password_hash, email_verified, phone_verified, " \
  "agency, rera_number, created_at, updated_at"

constexpr Query k_insert_user{
    "auth.insert_user",
    "INSERT INTO users (email, phone, name, role, status, password_hash, email_verified, "
    "phone_verified, agency, rera_number, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id"};
constexpr Query k_user_by_id{"auth.user_by_id",
                             "SELECT " GRIHA_USER_COLUMNS " FROM users WHERE id = $1"};
constexpr Query k_user_by_email{"auth.user_by_email",
                                "SELECT " GRIHA_USER_COLUMNS " FROM users WHERE email = $1"};
constexpr Query k_user_by_phone{"auth.user_by_phone",
                                "SELECT " GRIHA_USER_COLUMNS " FROM users WHERE phone = $1"};
constexpr Query k_update_profile{
    "auth.update_profile",
    "UPDATE users SET name = $2, phone = $3, phone_verified = $4, agency = $5, "
    "rera_number = $6, updated_at = $7 WHERE id = $1"};
constexpr Query k_set_password{
    "auth.set_password", "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1"};
constexpr Query k_set_email_verified{
    "auth.set_email_verified",
    "UPDATE users SET email_verified = 1, updated_at = $2 WHERE id = $1"};
constexpr Query k_set_phone_verified{
    "auth.set_phone_verified",
    "UPDATE users SET phone_verified = 1, updated_at = $2 WHERE id = $1"};
constexpr Query k_set_status{"auth.set_status",
                             "UPDATE users SET status = $2, updated_at = $3 WHERE id = $1"};
constexpr Query k_set_role{"auth.set_role",
                           "UPDATE users SET role = $2, updated_at = $3 WHERE id = $1"};
constexpr Query k_search_users{
    "auth.search_users",
    "SELECT " GRIHA_USER_COLUMNS
    " FROM users WHERE id > $1 AND ($2 = '' OR "
    "lower(coalesce(email, '')) LIKE $3 ESCAPE '\\' OR lower(name) LIKE $3 ESCAPE '\\' OR "
    "coalesce(phone, '') LIKE $3 ESCAPE '\\') ORDER BY id LIMIT $4"};

constexpr Query k_insert_session{
    "auth.insert_session",
    "INSERT INTO auth_sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, "
    "ip) VALUES ($1, $2, $3, $3, $4, $5, $6)"};
constexpr Query k_live_sessions{
    "auth.live_sessions",
    "SELECT id, created_at, last_used_at, expires_at, user_agent, ip FROM auth_sessions "
    "WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 "
    "ORDER BY last_used_at DESC, id"};
constexpr Query k_revoke_session{
    "auth.revoke_session",
    "UPDATE auth_sessions SET revoked_at = $3 WHERE id = $2 AND user_id = $1 AND "
    "revoked_at IS NULL"};
constexpr Query k_revoke_all_sessions{
    "auth.revoke_all_sessions",
    "UPDATE auth_sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL "
    "RETURNING id"};
constexpr Query k_touch_session{"auth.touch_session",
                                "UPDATE auth_sessions SET last_used_at = $2 WHERE id = $1"};

constexpr Query k_insert_refresh{
    "auth.insert_refresh",
    "INSERT INTO auth_refresh_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3)"};
constexpr Query k_refresh_token{
    "auth.refresh_token",
    "SELECT r.session_id, r.used_at, s.user_id, s.revoked_at, s.expires_at "
    "FROM auth_refresh_tokens r JOIN auth_sessions s ON s.id = r.session_id "
    "WHERE r.token_hash = $1"};
constexpr Query k_mark_refresh_used{
    "auth.mark_refresh_used",
    "UPDATE auth_refresh_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL"};

constexpr Query k_insert_ott{
    "auth.insert_one_time_token",
    "INSERT INTO auth_one_time_tokens (token_hash, purpose, user_id, expires_at) "
    "VALUES ($1, $2, $3, $4)"};
constexpr Query k_consume_ott{
    "auth.consume_one_time_token",
    "UPDATE auth_one_time_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 "
    "AND used_at IS NULL AND expires_at > $3 RETURNING user_id"};
constexpr Query k_expire_otts{
    "auth.expire_one_time_tokens",
    "UPDATE auth_one_time_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 "
    "AND used_at IS NULL"};

constexpr Query k_failures{
    "auth.login_failures",
    "SELECT failures, last_failure, locked_until FROM auth_login_failures WHERE identifier = $1"};
constexpr Query k_put_failures{
    "auth.put_login_failures",
    "INSERT INTO auth_login_failures (identifier, failures, last_failure, locked_until) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (identifier) DO UPDATE SET "
    "failures = excluded.failures, last_failure = excluded.last_failure, "
    "locked_until = excluded.locked_until"};
constexpr Query k_clear_failures{"auth.clear_login_failures",
                                 "DELETE FROM auth_login_failures WHERE identifier = $1"};

constexpr Query k_signing_keys{
    "auth.signing_keys",
    "SELECT kid, public_key, secret_key, created_at, retired_at FROM auth_signing_keys "
    "ORDER BY created_at DESC, kid"};
constexpr Query k_retire_keys{"auth.retire_signing_keys",
                              "UPDATE auth_signing_keys SET retired_at = $1 "
                              "WHERE retired_at IS NULL"};
constexpr Query k_insert_key{
    "auth.insert_signing_key",
    "INSERT INTO auth_signing_keys (kid, public_key, secret_key, created_at) "
    "VALUES ($1, $2, $3, $4)"};
constexpr Query k_delete_keys{
    "auth.delete_signing_keys",
    "DELETE FROM auth_signing_keys WHERE retired_at IS NOT NULL AND retired_at < $1"};

constexpr Query k_identity_user{
    "auth.identity_user", "SELECT user_id FROM auth_identities WHERE issuer = $1 AND subject = $2"};
constexpr Query k_insert_identity{
    "auth.insert_identity",
    "INSERT INTO auth_identities (issuer, subject, user_id, created_at) VALUES ($1, $2, $3, $4)"};

constexpr Query k_insert_oidc_state{
    "auth.insert_oidc_state",
    "INSERT INTO auth_oidc_states (state_hash, nonce, code_verifier, expires_at) "
    "VALUES ($1, $2, $3, $4)"};
constexpr Query k_take_oidc_state{
    "auth.take_oidc_state",
    "DELETE FROM auth_oidc_states WHERE state_hash = $1 AND expires_at > $2 "
    "RETURNING nonce, code_verifier"};

User user_from(const Row& r) {
  User u;
  u.id = r.i64(0);
  u.email = r.opt_text(1);
  u.phone = r.opt_text(2);
  u.name = r.text(3);
  u.role = r.text(4);
  u.status = r.text(5);
  u.password_hash = r.opt_text(6);
  u.email_verified = r.i64(7) != 0;
  u.phone_verified = r.i64(8) != 0;
  u.agency = r.opt_text(9);
  u.rera_number = r.opt_text(10);
  u.created_at = r.text(11);
  u.updated_at = r.text(12);
  return u;
}

Result<std::optional<User>> one_user(Result<storage::Rows> rows) {
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<User>{};
  return std::optional<User>{user_from(rows->rows.front())};
}

Result<void> just(Result<storage::Rows> rows) {
  if (!rows) return rows.error();
  return {};
}

// LIKE treats % and _ as wildcards: a search for "50%" must find the text "50%".
std::string like_pattern(const std::string& needle) {
  std::string out = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out + "%";
}

}  // namespace

Result<std::int64_t> insert_user(Transaction& tx, const User& u) {
  auto rows = tx.exec(k_insert_user, params(u.email, u.phone, u.name, u.role, u.status,
                                            u.password_hash, u.email_verified, u.phone_verified,
                                            u.agency, u.rera_number, u.created_at));
  if (!rows) return rows.error();
  return rows->rows.at(0).i64(0);
}

Result<std::optional<User>> user_by_id(Transaction& tx, std::int64_t id) {
  return one_user(tx.exec(k_user_by_id, params(id)));
}
Result<std::optional<User>> user_by_email(Transaction& tx, const std::string& email) {
  return one_user(tx.exec(k_user_by_email, params(email)));
}
Result<std::optional<User>> user_by_phone(Transaction& tx, const std::string& phone) {
  return one_user(tx.exec(k_user_by_phone, params(phone)));
}

Result<void> update_profile(Transaction& tx, const User& u) {
  return just(tx.exec(k_update_profile, params(u.id, u.name, u.phone, u.phone_verified, u.agency,
                                               u.rera_number, u.updated_at)));
}
Result<void> set_password(Transaction& tx, std::int64_t id, const std::string& hash,
                          const std::string& now) {
  return just(tx.exec(k_set_password, params(id, hash, now)));
}
Result<void> set_email_verified(Transaction& tx, std::int64_t id, const std::string& now) {
  return just(tx.exec(k_set_email_verified, params(id, now)));
}
Result<void> set_phone_verified(Transaction& tx, std::int64_t id, const std::string& now) {
  return just(tx.exec(k_set_phone_verified, params(id, now)));
}
Result<void> set_status(Transaction& tx, std::int64_t id, const std::string& status,
                        const std::string& now) {
  return just(tx.exec(k_set_status, params(id, status, now)));
}
Result<void> set_role(Transaction& tx, std::int64_t id, const std::string& role,
                      const std::string& now) {
  return just(tx.exec(k_set_role, params(id, role, now)));
}

Result<std::vector<User>> search_users(Transaction& tx, const std::string& needle,
                                       std::int64_t after_id, int limit) {
  auto rows = tx.exec(k_search_users, params(after_id, needle, like_pattern(needle), limit));
  if (!rows) return rows.error();
  std::vector<User> out;
  for (const auto& r : rows->rows) out.push_back(user_from(r));
  return out;
}

Result<void> insert_session(Transaction& tx, std::int64_t user_id, const Session& s) {
  return just(tx.exec(k_insert_session,
                      params(s.id, user_id, s.created_at, s.expires_at, s.user_agent, s.ip)));
}

Result<std::vector<Session>> live_sessions(Transaction& tx, std::int64_t user_id,
                                           const std::string& now) {
  auto rows = tx.exec(k_live_sessions, params(user_id, now));
  if (!rows) return rows.error();
  std::vector<Session> out;
  for (const auto& r : rows->rows)
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5)});
  return out;
}

Result<bool> revoke_session(Transaction& tx, std::int64_t user_id, const std::string& id,
                            const std::string& now) {
  auto rows = tx.exec(k_revoke_session, params(user_id, id, now));
  if (!rows) return rows.error();
  return rows->affected > 0;
}

Result<std::vector<std::string>> revoke_all_sessions(Transaction& tx, std::int64_t user_id,
                                                     const std::string& now) {
  auto rows = tx.exec(k_revoke_all_sessions, params(user_id, now));
  if (!rows) return rows.error();
  std::vector<std::string> ids;
  for (const auto& r : rows->rows) ids.push_back(r.text(0));
  return ids;
}

Result<void> touch_session(Transaction& tx, const std::string& id, const std::string& now) {
  return just(tx.exec(k_touch_session, params(id, now)));
}

Result<void> insert_refresh_token(Transaction& tx, const std::string& hash,
                                  const std::string& session_id, const std::string& now) {
  return just(tx.exec(k_insert_refresh, params(hash, session_id, now)));
}

Result<std::optional<RefreshRecord>> refresh_token(Transaction& tx, const std::string& hash) {
  auto rows = tx.exec(k_refresh_token, params(hash));
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<RefreshRecord>{};
  const auto& r = rows->rows.front();
  return std::optional<RefreshRecord>{
      RefreshRecord{r.text(0), !r.is_null(1), r.i64(2), !r.is_null(3), r.text(4)}};
}

Result<bool> mark_refresh_used(Transaction& tx, const std::string& hash, const std::string& now) {
  auto rows = tx.exec(k_mark_refresh_used, params(hash, now));
  if (!rows) return rows.error();
  return rows->affected == 1;
}

Result<void> insert_one_time_token(Transaction& tx, const std::string& hash,
                                   const std::string& purpose, std::int64_t user_id,
                                   const std::string& expires_at) {
  return just(tx.exec(k_insert_ott, params(hash, purpose, user_id, expires_at)));
}

Result<std::optional<std::int64_t>> consume_one_time_token(Transaction& tx, const std::string& hash,
                                                           const std::string& purpose,
                                                           const std::string& now) {
  auto rows = tx.exec(k_consume_ott, params(hash, purpose, now));
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{rows->rows.front().i64(0)};
}

Result<void> expire_one_time_tokens(Transaction& tx, std::int64_t user_id,
                                    const std::string& purpose, const std::string& now) {
  return just(tx.exec(k_expire_otts, params(user_id, purpose, now)));
}

Result<Failures> login_failures(Transaction& tx, const std::string& identifier) {
  auto rows = tx.exec(k_failures, params(identifier));
  if (!rows) return rows.error();
  if (rows->empty()) return Failures{};
  const auto& r = rows->rows.front();
  return Failures{static_cast<int>(r.i64(0)), r.text(1), r.opt_text(2)};
}

Result<void> put_login_failures(Transaction& tx, const std::string& identifier, int count,
                                const std::string& now,
                                const std::optional<std::string>& locked_until) {
  return just(tx.exec(k_put_failures, params(identifier, count, now, locked_until)));
}
Result<void> clear_login_failures(Transaction& tx, const std::string& identifier) {
  return just(tx.exec(k_clear_failures, params(identifier)));
}

Result<std::vector<StoredKey>> signing_keys(Transaction& tx) {
  auto rows = tx.exec(k_signing_keys);
  if (!rows) return rows.error();
  std::vector<StoredKey> out;
  for (const auto& r : rows->rows) {
    auto pub = base64url_decode(r.text(1));
    auto sec = base64url_decode(r.text(2));
    if (!pub || !sec || pub->size() != 32 || sec->size() != 64)
      return Error::internal("signing key " + r.text(0) + " is malformed");
    StoredKey k;
    k.key.kid = r.text(0);
    std::memcpy(k.key.public_key.data(), pub->data(), 32);
    std::memcpy(k.key.secret_key.data(), sec->data(), 64);
    k.created_at = r.text(3);
    k.retired_at = r.opt_text(4);
    out.push_back(std::move(k));
  }
  return out;
}

Result<void> retire_signing_keys(Transaction& tx, const std::string& now) {
  return just(tx.exec(k_retire_keys, params(now)));
}

Result<void> insert_signing_key(Transaction& tx, const SigningKey& key, const std::string& now) {
  return just(tx.exec(k_insert_key, params(key.kid, base64url_encode(key.public_key),
                                           base64url_encode(key.secret_key), now)));
}

Result<void> delete_signing_keys_retired_before(Transaction& tx, const std::string& cutoff) {
  return just(tx.exec(k_delete_keys, params(cutoff)));
}

Result<std::optional<std::int64_t>> identity_user(Transaction& tx, const std::string& issuer,
                                                  const std::string& subject) {
  auto rows = tx.exec(k_identity_user, params(issuer, subject));
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{rows->rows.front().i64(0)};
}

Result<void> insert_identity(Transaction& tx, const std::string& issuer, const std::string& subject,
                             std::int64_t user_id, const std::string& now) {
  return just(tx.exec(k_insert_identity, params(issuer, subject, user_id, now)));
}

Result<void> insert_oidc_state(Transaction& tx, const std::string& state_hash,
                               const std::string& nonce, const std::string& code_verifier,
                               const std::string& expires_at) {
  return just(tx.exec(k_insert_oidc_state, params(state_hash, nonce, code_verifier, expires_at)));
}

Result<std::optional<OidcState>> take_oidc_state(Transaction& tx, const std::string& state_hash,
                                                 const std::string& now) {
  auto rows = tx.exec(k_take_oidc_state, params(state_hash, now));
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<OidcState>{};
  return std::optional<OidcState>{OidcState{rows->rows[0].text(0), rows->rows[0].text(1)}};
}

}  // namespace griha::auth::repo
