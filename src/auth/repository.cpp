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
constexpr Query k_set_agency_id{"auth.set_agency_id",
                                "UPDATE users SET agency_id = $2, updated_at = $3 WHERE id = $1"};
constexpr Query k_lock_user{"auth.lock_user", "SELECT id FROM users WHERE id = $1",
                            "SELECT id FROM users WHERE id = $1 FOR UPDATE"};
#define GRIHA_MEMBER_COLUMNS \
  "id, name, email, phone, role, status, agency_id, email_verified, phone_verified"
constexpr Query k_member{"auth.member", "SELECT " GRIHA_MEMBER_COLUMNS " FROM users WHERE id = $1"};
constexpr Query k_agency_agents{
    "auth.agency_agents",
    "SELECT " GRIHA_MEMBER_COLUMNS
    " FROM users WHERE agency_id = $1 AND role = 'agent' AND status = 'active' ORDER BY name, id"};
#undef GRIHA_MEMBER_COLUMNS
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
  u.id = r.i64("id");
  u.email = r.opt_text("email");
  u.phone = r.opt_text("phone");
  u.name = r.text("name");
  u.role = r.text("role");
  u.status = r.text("status");
  u.password_hash = r.opt_text("password_hash");
  u.email_verified = r.flag("email_verified");
  u.phone_verified = r.flag("phone_verified");
  u.agency = r.opt_text("agency");
  u.rera_number = r.opt_text("rera_number");
  u.created_at = r.text("created_at");
  u.updated_at = r.text("updated_at");
  return u;
}

Member member_from(const Row& r) {
  return Member{r.i64("id"),
                r.text("name"),
                r.opt_text("email"),
                r.opt_text("phone"),
                r.text("role"),
                r.text("status"),
                r.opt_i64("agency_id"),
                r.flag("email_verified"),
                r.flag("phone_verified")};
}

Result<void> just(const Result<storage::Rows>& rows) {
  return storage::done(rows);
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

Result<std::int64_t> insert_user(Executor ex, const User& u) {
  return ex.one_value<std::int64_t>(
      k_insert_user,
      params(u.email, u.phone, u.name, u.role, u.status, u.password_hash, u.email_verified,
             u.phone_verified, u.agency, u.rera_number, u.created_at),
      "id");
}

Result<std::optional<User>> user_by_id(Executor ex, std::int64_t id) {
  return ex.maybe(k_user_by_id, params(id), user_from);
}
Result<std::optional<User>> user_by_email(Executor ex, const std::string& email) {
  return ex.maybe(k_user_by_email, params(email), user_from);
}
Result<std::optional<User>> user_by_phone(Executor ex, const std::string& phone) {
  return ex.maybe(k_user_by_phone, params(phone), user_from);
}

Result<void> update_profile(Executor ex, const User& u) {
  return just(ex.exec(k_update_profile, params(u.id, u.name, u.phone, u.phone_verified, u.agency,
                                               u.rera_number, u.updated_at)));
}
Result<void> set_password(Executor ex, std::int64_t id, const std::string& hash,
                          const std::string& now) {
  return just(ex.exec(k_set_password, params(id, hash, now)));
}
Result<void> set_email_verified(Executor ex, std::int64_t id, const std::string& now) {
  return just(ex.exec(k_set_email_verified, params(id, now)));
}
Result<void> set_phone_verified(Executor ex, std::int64_t id, const std::string& now) {
  return just(ex.exec(k_set_phone_verified, params(id, now)));
}
Result<void> set_status(Executor ex, std::int64_t id, const std::string& status,
                        const std::string& now) {
  return just(ex.exec(k_set_status, params(id, status, now)));
}
Result<void> set_role(Executor ex, std::int64_t id, const std::string& role,
                      const std::string& now) {
  return just(ex.exec(k_set_role, params(id, role, now)));
}

Result<bool> set_agency_id(Executor ex, std::int64_t id, std::optional<std::int64_t> agency_id,
                           const std::string& now) {
  auto changed = ex.execute(k_set_agency_id, params(id, agency_id, now));
  if (!changed) return changed.error();
  return *changed == 1;
}

Result<void> lock_user(Executor ex, std::int64_t id) {
  return just(ex.exec(k_lock_user, params(id)));
}

Result<std::optional<Member>> member(Executor ex, std::int64_t id) {
  return ex.maybe(k_member, params(id), member_from);
}

Result<std::vector<Member>> agency_agents(Executor ex, std::int64_t agency_id) {
  return ex.all(k_agency_agents, params(agency_id), member_from);
}

Result<std::vector<User>> search_users(Executor ex, const std::string& needle,
                                       std::int64_t after_id, int limit) {
  return ex.all(k_search_users, params(after_id, needle, like_pattern(needle), limit), user_from);
}

Result<void> insert_session(Executor ex, std::int64_t user_id, const Session& s) {
  return just(ex.exec(k_insert_session,
                      params(s.id, user_id, s.created_at, s.expires_at, s.user_agent, s.ip)));
}

Result<std::vector<Session>> live_sessions(Executor ex, std::int64_t user_id,
                                           const std::string& now) {
  return ex.all(k_live_sessions, params(user_id, now), [](const Row& r) {
    return Session{r.text("id"),         r.text("created_at"), r.text("last_used_at"),
                   r.text("expires_at"), r.text("user_agent"), r.text("ip")};
  });
}

Result<bool> revoke_session(Executor ex, std::int64_t user_id, const std::string& id,
                            const std::string& now) {
  auto changed = ex.execute(k_revoke_session, params(user_id, id, now));
  if (!changed) return changed.error();
  return *changed > 0;
}

Result<std::vector<std::string>> revoke_all_sessions(Executor ex, std::int64_t user_id,
                                                     const std::string& now) {
  return ex.all(k_revoke_all_sessions, params(user_id, now),
                [](const Row& r) { return r.text("id"); });
}

Result<void> touch_session(Executor ex, const std::string& id, const std::string& now) {
  return just(ex.exec(k_touch_session, params(id, now)));
}

Result<void> insert_refresh_token(Executor ex, const std::string& hash,
                                  const std::string& session_id, const std::string& now) {
  return just(ex.exec(k_insert_refresh, params(hash, session_id, now)));
}

Result<std::optional<RefreshRecord>> refresh_token(Executor ex, const std::string& hash) {
  return ex.maybe(k_refresh_token, params(hash), [](const Row& r) {
    return RefreshRecord{r.text("session_id"), !r.is_null("used_at"), r.i64("user_id"),
                         !r.is_null("revoked_at"), r.text("expires_at")};
  });
}

Result<bool> mark_refresh_used(Executor ex, const std::string& hash, const std::string& now) {
  auto changed = ex.execute(k_mark_refresh_used, params(hash, now));
  if (!changed) return changed.error();
  return *changed == 1;
}

Result<void> insert_one_time_token(Executor ex, const std::string& hash, const std::string& purpose,
                                   std::int64_t user_id, const std::string& expires_at) {
  return just(ex.exec(k_insert_ott, params(hash, purpose, user_id, expires_at)));
}

Result<std::optional<std::int64_t>> consume_one_time_token(Executor ex, const std::string& hash,
                                                           const std::string& purpose,
                                                           const std::string& now) {
  return ex.maybe_value<std::int64_t>(k_consume_ott, params(hash, purpose, now), "user_id");
}

Result<void> expire_one_time_tokens(Executor ex, std::int64_t user_id, const std::string& purpose,
                                    const std::string& now) {
  return just(ex.exec(k_expire_otts, params(user_id, purpose, now)));
}

Result<Failures> login_failures(Executor ex, const std::string& identifier) {
  auto found = ex.maybe(k_failures, params(identifier), [](const Row& r) {
    return Failures{r.get<int>("failures"), r.text("last_failure"), r.opt_text("locked_until")};
  });
  if (!found) return found.error();
  return found->value_or(Failures{});
}

Result<void> put_login_failures(Executor ex, const std::string& identifier, int count,
                                const std::string& now,
                                const std::optional<std::string>& locked_until) {
  return just(ex.exec(k_put_failures, params(identifier, count, now, locked_until)));
}
Result<void> clear_login_failures(Executor ex, const std::string& identifier) {
  return just(ex.exec(k_clear_failures, params(identifier)));
}

Result<std::vector<StoredKey>> signing_keys(Executor ex) {
  auto rows = ex.exec(k_signing_keys);
  if (!rows) return rows.error();
  std::vector<StoredKey> out;
  for (const auto& r : rows->rows) {
    auto pub = base64url_decode(r.text("public_key"));
    auto sec = base64url_decode(r.text("secret_key"));
    if (!pub || !sec || pub->size() != 32 || sec->size() != 64)
      return Error::internal("signing key " + r.text("kid") + " is malformed");
    StoredKey k;
    k.key.kid = r.text("kid");
    std::memcpy(k.key.public_key.data(), pub->data(), 32);
    std::memcpy(k.key.secret_key.data(), sec->data(), 64);
    k.created_at = r.text("created_at");
    k.retired_at = r.opt_text("retired_at");
    out.push_back(std::move(k));
  }
  return out;
}

Result<void> retire_signing_keys(Executor ex, const std::string& now) {
  return just(ex.exec(k_retire_keys, params(now)));
}

Result<void> insert_signing_key(Executor ex, const SigningKey& key, const std::string& now) {
  return just(ex.exec(k_insert_key, params(key.kid, base64url_encode(key.public_key),
                                           base64url_encode(key.secret_key), now)));
}

Result<void> delete_signing_keys_retired_before(Executor ex, const std::string& cutoff) {
  return just(ex.exec(k_delete_keys, params(cutoff)));
}

Result<std::optional<std::int64_t>> identity_user(Executor ex, const std::string& issuer,
                                                  const std::string& subject) {
  return ex.maybe_value<std::int64_t>(k_identity_user, params(issuer, subject), "user_id");
}

Result<void> insert_identity(Executor ex, const std::string& issuer, const std::string& subject,
                             std::int64_t user_id, const std::string& now) {
  return just(ex.exec(k_insert_identity, params(issuer, subject, user_id, now)));
}

Result<void> insert_oidc_state(Executor ex, const std::string& state_hash, const std::string& nonce,
                               const std::string& code_verifier, const std::string& expires_at) {
  return just(ex.exec(k_insert_oidc_state, params(state_hash, nonce, code_verifier, expires_at)));
}

Result<std::optional<OidcState>> take_oidc_state(Executor ex, const std::string& state_hash,
                                                 const std::string& now) {
  return ex.maybe(k_take_oidc_state, params(state_hash, now), [](const Row& r) {
    return OidcState{r.text("nonce"), r.text("code_verifier")};
  });
}

}  // namespace griha::auth::repo
