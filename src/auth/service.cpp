#include "auth/service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "auth/repository.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "core/validation.hpp"
#include "notify/outbox.hpp"
#include "notify/templates.hpp"

namespace griha::auth {
namespace {

constexpr std::int64_t k_verify_email_ttl = 24 * 3600;
constexpr std::int64_t k_reset_ttl = 30 * 60;
constexpr std::int64_t k_oidc_state_ttl = 10 * 60;
constexpr std::int64_t k_key_reload_seconds = 60;
// Lockout backoff: 30 s after the threshold, doubling, at most 15 minutes; failures older
// than an hour are forgotten. At most ~15 guesses an hour get through (ASVS 2.2.1: <= 100).
constexpr std::int64_t k_lock_base_seconds = 30;
constexpr std::int64_t k_lock_max_seconds = 15 * 60;
constexpr std::int64_t k_failure_memory_seconds = 3600;

Error invalid_credentials() {
  return Error::make(ErrorKind::unauthenticated, "invalid_credentials",
                     "The email, phone number or password is not right.");
}

Error too_many(std::string code, std::int64_t seconds) {
  Error e = Error::make(ErrorKind::rate_limited, std::move(code),
                        "Too many attempts; wait before trying again.");
  e.retry_after_seconds = static_cast<int>(std::max<std::int64_t>(1, seconds));
  return e;
}

Error not_found_user() {
  return Error::make(ErrorKind::not_found, "user_not_found", "No such user.");
}

// A registration's or profile's optional text field: trimmed, bounded.
std::optional<std::string> clean(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  return std::string(trim(*v, " \t"));
}

bool has_control(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

AuthService::AuthService(AuthOptions options, storage::Database& db, std::function<void()> wake,
                         Clock clock)
    : options_(std::move(options)),
      db_(db),
      wake_(wake ? std::move(wake) : [] {}),
      clock_(clock ? std::move(clock) : Clock([] { return std::int64_t(std::time(nullptr)); })),
      hasher_(options_.argon2_memory_kib, options_.argon2_iterations),
      policy_{options_.issuer, options_.audience, options_.access_ttl_seconds},
      ip_limiter_(options_.ip_rate_per_minute),
      account_limiter_(options_.account_rate_per_minute),
      oidc_(options_.oidc),
      otp_codes_({"auth.otp", "otp", options_.otp_resend_seconds, options_.otp_per_phone_per_day}) {
}

AuthService::~AuthService() = default;

Result<void> AuthService::start() {
  dummy_hash_ = hasher_.hash(random_token(16));
  return refresh_keys(true);
}

// Rotation: the newest unretired key signs. When it is older than the rotation period a new
// key is made and the old ones are retired, but they keep verifying until every token they
// signed has expired; then they are deleted. Every copy of griha reads the same table.
Result<void> AuthService::refresh_keys(bool force) {
  std::lock_guard lock(key_mu_);
  const auto t = now();
  if (!force && t < next_rotation_at_ && t - keys_checked_at_ < k_key_reload_seconds) return {};
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto stored = repo::signing_keys(*tx);
  if (!stored) return stored.error();
  const repo::StoredKey* active = nullptr;
  for (const auto& k : *stored)
    if (!k.retired_at) {
      active = &k;
      break;
    }
  if (!active ||
      parse_iso_utc(active->created_at).value_or(0) + options_.key_rotation_seconds <= t) {
    if (auto r = repo::retire_signing_keys(*tx, iso_utc(t)); !r) return r.error();
    if (auto r = repo::insert_signing_key(*tx, generate_signing_key(), iso_utc(t)); !r)
      return r.error();
    if (auto r = repo::delete_signing_keys_retired_before(
            *tx, iso_utc(t - options_.access_ttl_seconds - 60));
        !r)
      return r.error();
    stored = repo::signing_keys(*tx);
    if (!stored) return stored.error();
  }
  if (auto c = tx->commit(); !c) return c.error();
  KeySet set;
  std::int64_t active_created = t;
  for (const auto& k : *stored)
    if (!k.retired_at && set.keys.empty()) {
      set.keys.push_back(k.key);
      active_created = parse_iso_utc(k.created_at).value_or(0);
    }
  for (const auto& k : *stored)
    if (k.retired_at) set.keys.push_back(k.key);
  keys_.replace(std::move(set));
  keys_checked_at_ = t;
  next_rotation_at_ = active_created + options_.key_rotation_seconds;
  return {};
}

Result<AccessClaims> AuthService::authenticate(std::string_view access_token) {
  const auto t = now();
  auto claims = verify_access_token(*keys_.current(), policy_, access_token, t);
  if (!claims) return claims.error();
  if (revocations_.revoked(claims->session_id, t))
    return Error::make(ErrorKind::unauthenticated, "invalid_token",
                       "The access token is invalid or has expired.", "session revoked");
  return claims;
}

boost::json::object AuthService::jwks() const {
  return auth::jwks(*keys_.current());
}

Result<void> AuthService::check_rate(const std::string& action, const Principal& caller,
                                     const std::string& account) {
  const double t =
      std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  if (int wait = ip_limiter_.take(action + "|ip|" + caller.ip, t))
    return too_many("rate_limited", wait);
  if (!account.empty())
    if (int wait = account_limiter_.take(action + "|account|" + account, t))
      return too_many("rate_limited", wait);
  return {};
}

Result<void> AuthService::email_later(storage::Transaction& tx, const std::string& to,
                                      std::string_view template_name,
                                      const boost::json::object& values) {
  auto content = notify::render(template_name, values);
  if (!content) return content.error();
  notify::Outgoing m{notify::Channel::email, "auth.email",  to,
                     content->subject,       content->text, content->html};
  return notify::enqueue(tx, m, iso_utc(now()));
}

void AuthService::revoke_locally(const std::vector<std::string>& session_ids) {
  const auto until = now() + options_.access_ttl_seconds + 60;
  for (const auto& id : session_ids) revocations_.revoke_session(id, until);
}

Tokens AuthService::access_for(const User& u, Tokens t) {
  AccessClaims c;
  c.user_id = u.id;
  // The users table only holds known roles; anything else would get the least power.
  c.role = role_from_string(u.role).value_or(Role::seeker);
  c.session_id = t.session_id;
  c.jti = random_token(16);
  c.issued_at = now();
  t.access_token = sign_access_token(*keys_.current(), policy_, c);
  t.expires_in = options_.access_ttl_seconds;
  t.user_id = u.id;
  return t;
}

Result<Tokens> AuthService::open_session(storage::Transaction& tx, const User& u,
                                         const Principal& caller) {
  const auto t = now();
  Session s;
  s.id = random_token(16);
  s.created_at = iso_utc(t);
  s.expires_at = iso_utc(t + options_.refresh_ttl_seconds);
  s.user_agent = caller.user_agent.substr(0, 256);
  s.ip = caller.ip;
  if (auto r = repo::insert_session(tx, u.id, s); !r) return r.error();
  Tokens out;
  out.refresh_token = random_token(32);
  out.session_id = s.id;
  if (auto r = repo::insert_refresh_token(tx, sha256_hex(out.refresh_token), s.id, s.created_at);
      !r)
    return r.error();
  return out;
}

Result<std::string> AuthService::issue_link_token(storage::Transaction& tx, std::int64_t user_id,
                                                  const std::string& purpose, std::int64_t ttl) {
  const auto t = now();
  // A new link makes the older ones useless: only the latest email works.
  if (auto r = repo::expire_one_time_tokens(tx, user_id, purpose, iso_utc(t)); !r) return r.error();
  std::string token = random_token(32);
  if (auto r =
          repo::insert_one_time_token(tx, sha256_hex(token), purpose, user_id, iso_utc(t + ttl));
      !r)
    return r.error();
  return token;
}

Result<void> AuthService::register_account(const Registration& in, const Principal& caller) {
  Problems e;
  auto email = in.email ? normalize_email(*in.email) : std::nullopt;
  if (!in.email)
    e.add("/email", FieldCode::required, "An email address is required.");
  else if (!email)
    e.add("/email", FieldCode::invalid_value, "This is not a valid email address.");
  if (!in.password)
    e.add("/password", FieldCode::required, "A password is required.");
  else if (auto f = check_password_policy(*in.password))
    e.add(*f);
  const auto name = clean(in.name).value_or("");
  if (name.size() > 100 || has_control(name))
    e.add("/name", FieldCode::invalid_value, "Use at most 100 printable characters.");
  std::optional<std::string> phone;
  if (in.phone) {
    phone = normalize_indian_mobile(*in.phone);
    if (!phone)
      e.add("/phone", FieldCode::invalid_value, "Use an Indian mobile number: +91 and 10 digits.");
  }
  const std::string role = in.role.value_or("seeker");
  if (!is_self_service_role(role))
    e.add("/role", FieldCode::invalid_value, "Choose seeker, owner, agent or builder.");
  const auto agency = clean(in.agency);
  const auto rera = clean(in.rera_number);
  if (agency && (agency->size() > 200 || has_control(*agency)))
    e.add("/agency", FieldCode::invalid_value, "Use at most 200 printable characters.");
  if (rera && !plausible_rera_number(*rera))
    e.add("/rera_number", FieldCode::invalid_value, "This is not a RERA registration number.");
  if ((agency || rera) && role != "agent")
    e.add(agency ? "/agency" : "/rera_number", FieldCode::not_writable, "Only agents have these.");
  if (!e.empty()) return e.error();
  if (auto r = check_rate("register", caller, *email); !r) return r.error();

  // Hashed before knowing whether the address is taken, so both answers take as long.
  const std::string hash = hasher_.hash(*in.password);
  const auto t = now();
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto existing = repo::user_by_email(*tx, *email);
  if (!existing) return existing.error();
  if (*existing) {
    // Same answer as a new account; the owner of the address learns of the attempt.
    if (auto r = email_later(*tx, *email, "auth_register_exists",
                             {{"link", options_.public_url + "/account/reset-password"}});
        !r)
      return r.error();
    if (auto c = tx->commit(); !c) return c.error();
    wake_();
    return {};
  }
  if (phone) {
    auto taken = repo::user_by_phone(*tx, *phone);
    if (!taken) return taken.error();
    // The phone stays unset rather than telling a stranger whose number it is.
    if (*taken) phone.reset();
  }
  User u;
  u.email = email;
  u.phone = phone;
  u.name = name;
  u.role = role;
  u.password_hash = hash;
  u.agency = agency;
  u.rera_number = rera;
  u.created_at = u.updated_at = iso_utc(t);
  auto id = repo::insert_user(*tx, u);
  if (!id) return id.error();
  auto token = issue_link_token(*tx, *id, "verify_email", k_verify_email_ttl);
  if (!token) return token.error();
  if (auto r =
          email_later(*tx, *email, "auth_verify_email",
                      {{"name", name},
                       {"link", options_.public_url + "/account/verify-email?token=" + *token}});
      !r)
    return r.error();
  if (auto c = tx->commit(); !c) return c.error();
  wake_();
  return {};
}

Result<Tokens> AuthService::sign_in(const std::string& identifier, const std::string& password,
                                    const Principal& caller) {
  auto key = normalize_email(identifier);
  bool by_phone = false;
  if (!key) {
    key = normalize_indian_mobile(identifier);
    by_phone = true;
  }
  if (!key || password.empty() || password.size() > 512) return invalid_credentials();
  if (auto r = check_rate("signin", caller, *key); !r) return r.error();
  if (auto r = refresh_keys(false); !r) return r.error();

  const auto t = now();
  std::optional<User> found;
  repo::Failures failures;
  {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto f = repo::login_failures(*tx, *key);
    if (!f) return f.error();
    failures = *f;
    auto u = by_phone ? repo::user_by_phone(*tx, *key) : repo::user_by_email(*tx, *key);
    if (!u) return u.error();
    found = *u;
  }
  // Locked out the same way whether or not the account exists: the table is by identifier.
  if (failures.locked_until) {
    const auto until = parse_iso_utc(*failures.locked_until).value_or(0);
    if (until > t) return too_many("too_many_attempts", until - t);
  }
  if (found && found->status == "deleted") found.reset();
  const bool has_password = found && found->password_hash;
  // Without an account the dummy hash is verified instead, so both take as long.
  const bool ok =
      hasher_.verify(has_password ? *found->password_hash : dummy_hash_, password) && has_password;

  auto tx = db_.begin();
  if (!tx) return tx.error();
  if (!ok) {
    int count = failures.count;
    if (parse_iso_utc(failures.last_failure).value_or(0) + k_failure_memory_seconds < t) count = 0;
    ++count;
    std::optional<std::string> locked_until;
    if (count >= options_.lockout_threshold) {
      const int steps = std::min(count - options_.lockout_threshold, 16);
      locked_until = iso_utc(
          t + std::min(k_lock_max_seconds, k_lock_base_seconds * (std::int64_t{1} << steps)));
    }
    if (auto r = repo::put_login_failures(*tx, *key, count, iso_utc(t), locked_until); !r)
      return r.error();
    if (auto c = tx->commit(); !c) return c.error();
    return invalid_credentials();
  }
  if (found->status != "active")
    return Error::make(ErrorKind::forbidden, "account_locked",
                       "This account is locked; contact support.");
  if (failures.count > 0)
    if (auto r = repo::clear_login_failures(*tx, *key); !r) return r.error();
  if (hasher_.needs_rehash(*found->password_hash))
    if (auto r = repo::set_password(*tx, found->id, hasher_.hash(password), iso_utc(t)); !r)
      return r.error();
  auto tokens = open_session(*tx, *found, caller);
  if (!tokens) return tokens.error();
  if (auto c = tx->commit(); !c) return c.error();
  return access_for(*found, std::move(*tokens));
}

Result<Tokens> AuthService::refresh(const std::string& refresh_token, const Principal& caller) {
  const Error invalid = Error::make(ErrorKind::unauthenticated, "invalid_refresh_token",
                                    "The refresh token is invalid, expired or revoked.");
  if (refresh_token.empty() || refresh_token.size() > 200) return invalid;
  if (auto r = check_rate("refresh", caller, ""); !r) return r.error();
  if (auto r = refresh_keys(false); !r) return r.error();
  const auto t = now();
  const std::string hash = sha256_hex(refresh_token);
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto rec = repo::refresh_token(*tx, hash);
  if (!rec) return rec.error();
  if (!*rec) return invalid;
  const auto& r = **rec;
  if (r.session_revoked || parse_iso_utc(r.session_expires_at).value_or(0) <= t) return invalid;
  auto fresh = r.used ? Result<bool>(false) : repo::mark_refresh_used(*tx, hash, iso_utc(t));
  if (!fresh) return fresh.error();
  if (!*fresh) {
    // RFC 9700 4.14.2: a rotated token coming back means it was copied; whoever holds the
    // family now, attacker or user, loses it.
    if (auto x = repo::revoke_session(*tx, r.user_id, r.session_id, iso_utc(t)); !x)
      return x.error();
    if (auto c = tx->commit(); !c) return c.error();
    revoke_locally({r.session_id});
    spdlog::warn("refresh token reuse: session {} of user {} revoked", r.session_id, r.user_id);
    return Error::make(ErrorKind::unauthenticated, "refresh_token_reused",
                       "This refresh token was already used; the session has been ended.");
  }
  auto u = repo::user_by_id(*tx, r.user_id);
  if (!u) return u.error();
  if (!*u || (*u)->status != "active") return invalid;
  Tokens out;
  out.refresh_token = random_token(32);
  out.session_id = r.session_id;
  if (auto x =
          repo::insert_refresh_token(*tx, sha256_hex(out.refresh_token), r.session_id, iso_utc(t));
      !x)
    return x.error();
  if (auto x = repo::touch_session(*tx, r.session_id, iso_utc(t)); !x) return x.error();
  if (auto c = tx->commit(); !c) return c.error();
  (void)caller;
  return access_for(**u, std::move(out));
}

Result<void> AuthService::sign_out(std::int64_t user_id, const std::string& session_id) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  if (auto r = repo::revoke_session(*tx, user_id, session_id, iso_utc(now())); !r) return r.error();
  if (auto c = tx->commit(); !c) return c.error();
  revoke_locally({session_id});
  return {};
}

Result<std::vector<Session>> AuthService::sessions(std::int64_t user_id) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  return repo::live_sessions(*tx, user_id, iso_utc(now()));
}

Result<void> AuthService::revoke_session(std::int64_t user_id, const std::string& session_id) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto done = repo::revoke_session(*tx, user_id, session_id, iso_utc(now()));
  if (!done) return done.error();
  // Someone else's session id answers the same as none: ids are not confirmed to strangers.
  if (!*done) return Error::make(ErrorKind::not_found, "session_not_found", "No such session.");
  if (auto c = tx->commit(); !c) return c.error();
  revoke_locally({session_id});
  return {};
}

Result<User> AuthService::user(std::int64_t user_id) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto u = repo::user_by_id(*tx, user_id);
  if (!u) return u.error();
  if (!*u || (*u)->status == "deleted") return not_found_user();
  return **u;
}

Result<User> AuthService::update_profile(std::int64_t user_id, const ProfileChange& change) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto found = repo::user_by_id(*tx, user_id);
  if (!found) return found.error();
  if (!*found) return not_found_user();
  User u = **found;
  Problems e;
  if (change.name) {
    u.name = *clean(change.name);
    if (u.name.size() > 100 || has_control(u.name))
      e.add("/name", FieldCode::invalid_value, "Use at most 100 printable characters.");
  }
  if (change.phone) {
    auto phone = normalize_indian_mobile(*change.phone);
    if (!phone) {
      e.add("/phone", FieldCode::invalid_value, "Use an Indian mobile number: +91 and 10 digits.");
    } else if (phone != u.phone) {
      auto taken = repo::user_by_phone(*tx, *phone);
      if (!taken) return taken.error();
      if (*taken) e.add("/phone", FieldCode::duplicate_value, "Another account has this number.");
      u.phone = phone;
      u.phone_verified = false;  // a new number is proven again by OTP
    }
  }
  if (change.agency || change.rera_number) {
    if (u.role != "agent")
      e.add(change.agency ? "/agency" : "/rera_number", FieldCode::not_writable,
            "Only agents have these.");
    if (change.agency) {
      u.agency = clean(change.agency);
      if (u.agency->size() > 200 || has_control(*u.agency))
        e.add("/agency", FieldCode::invalid_value, "Use at most 200 printable characters.");
    }
    if (change.rera_number) {
      u.rera_number = clean(change.rera_number);
      if (!plausible_rera_number(*u.rera_number))
        e.add("/rera_number", FieldCode::invalid_value, "This is not a RERA registration number.");
    }
  }
  if (!e.empty()) return e.error();
  u.updated_at = iso_utc(now());
  if (auto r = repo::update_profile(*tx, u); !r) return r.error();
  if (auto c = tx->commit(); !c) return c.error();
  return u;
}

Result<void> AuthService::change_password(std::int64_t user_id, const std::string& current,
                                          const std::string& next) {
  if (auto f = check_password_policy(next, "new_password")) {
    Problems e;
    e.add(*f);
    return e.error();
  }
  auto u = user(user_id);
  if (!u) return u.error();
  if (!u->password_hash || !hasher_.verify(*u->password_hash, current)) {
    return Error::field("/current_password", FieldCode::invalid_value,
                        "The current password is not right.");
  }
  const std::string hash = hasher_.hash(next);
  auto tx = db_.begin();
  if (!tx) return tx.error();
  const auto t = iso_utc(now());
  if (auto r = repo::set_password(*tx, user_id, hash, t); !r) return r.error();
  auto revoked = repo::revoke_all_sessions(*tx, user_id, t);
  if (!revoked) return revoked.error();
  if (auto c = tx->commit(); !c) return c.error();
  revoke_locally(*revoked);
  return {};
}

Result<void> AuthService::send_email_verification(std::int64_t user_id) {
  auto u = user(user_id);
  if (!u) return u.error();
  if (!u->email)
    return Error::make(ErrorKind::conflict, "no_email", "This account has no email address.");
  if (u->email_verified)
    return Error::make(ErrorKind::conflict, "email_already_verified",
                       "This email address is already verified.");
  if (auto r = check_rate("verify_email", Principal{}, *u->email); !r) return r.error();
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto token = issue_link_token(*tx, user_id, "verify_email", k_verify_email_ttl);
  if (!token) return token.error();
  if (auto r =
          email_later(*tx, *u->email, "auth_verify_email",
                      {{"name", u->name},
                       {"link", options_.public_url + "/account/verify-email?token=" + *token}});
      !r)
    return r.error();
  if (auto c = tx->commit(); !c) return c.error();
  wake_();
  return {};
}

Result<void> AuthService::verify_email(const std::string& token) {
  auto tx = db_.begin();
  if (!tx) return tx.error();
  const auto t = iso_utc(now());
  auto user_id = repo::consume_one_time_token(*tx, sha256_hex(token), "verify_email", t);
  if (!user_id) return user_id.error();
  if (!*user_id)
    return Error::make(ErrorKind::invalid, "verification_token_invalid",
                       "This link is invalid, expired or already used.");
  if (auto r = repo::set_email_verified(*tx, **user_id, t); !r) return r.error();
  return tx->commit();
}

Result<void> AuthService::forgot_password(const std::string& email_in, const Principal& caller) {
  auto email = normalize_email(email_in);
  if (!email)
    return Error::field("/email", FieldCode::invalid_value, "This is not a valid email address.");
  if (auto r = check_rate("reset", caller, *email); !r) return r.error();
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto u = repo::user_by_email(*tx, *email);
  if (!u) return u.error();
  // Unknown and deleted accounts get the same answer, sent just as fast; nothing is mailed.
  if (!*u || (*u)->status == "deleted") return {};
  auto token = issue_link_token(*tx, (*u)->id, "reset_password", k_reset_ttl);
  if (!token) return token.error();
  if (auto r =
          email_later(*tx, *email, "auth_reset_password",
                      {{"link", options_.public_url + "/account/reset-password?token=" + *token}});
      !r)
    return r.error();
  if (auto c = tx->commit(); !c) return c.error();
  wake_();
  return {};
}

Result<void> AuthService::reset_password(const std::string& token, const std::string& password) {
  // The password is checked first, so that a weak choice does not use up the link.
  if (auto f = check_password_policy(password)) {
    Problems e;
    e.add(*f);
    return e.error();
  }
  const std::string hash = hasher_.hash(password);
  auto tx = db_.begin();
  if (!tx) return tx.error();
  const auto t = iso_utc(now());
  auto user_id = repo::consume_one_time_token(*tx, sha256_hex(token), "reset_password", t);
  if (!user_id) return user_id.error();
  if (!*user_id)
    return Error::make(ErrorKind::invalid, "reset_token_invalid",
                       "This link is invalid, expired or already used.");
  auto u = repo::user_by_id(*tx, **user_id);
  if (!u) return u.error();
  if (auto r = repo::set_password(*tx, **user_id, hash, t); !r) return r.error();
  // The link proved control of the inbox.
  if (auto r = repo::set_email_verified(*tx, **user_id, t); !r) return r.error();
  if (*u && (*u)->email)
    if (auto r = repo::clear_login_failures(*tx, *(*u)->email); !r) return r.error();
  auto revoked = repo::revoke_all_sessions(*tx, **user_id, t);
  if (!revoked) return revoked.error();
  if (auto c = tx->commit(); !c) return c.error();
  revoke_locally(*revoked);
  return {};
}

Result<void> AuthService::request_otp(const std::string& phone_in, const Principal& caller) {
  auto phone = normalize_indian_mobile(phone_in);
  if (!phone)
    return Error::field("/phone", FieldCode::invalid_value,
                        "Use an Indian mobile number: +91 and 10 digits.");
  if (auto r = check_rate("otp", caller, *phone); !r) return r.error();
  const auto t = now();
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto code = otp_codes_.issue(*tx, *phone, t);
  if (!code) return code.error();
  auto text =
      notify::render("auth_otp_sms", {{"code", *code}, {"minutes", k_code_ttl_seconds / 60}});
  if (!text) return text.error();
  notify::Outgoing sms{notify::Channel::sms, "auth.otp", *phone};
  sms.text = std::move(text->text);
  // An OTP is useless after it expires: the dispatcher's retries are bounded by its backoff,
  // and a late code is simply refused.
  if (auto r = notify::enqueue(*tx, sms, iso_utc(t)); !r) return r.error();
  if (auto c = tx->commit(); !c) return c.error();
  wake_();
  return {};
}

Result<Tokens> AuthService::verify_otp(const std::string& phone_in, const std::string& code,
                                       const Principal& caller) {
  auto phone = normalize_indian_mobile(phone_in);
  if (!phone)
    return Error::field("/phone", FieldCode::invalid_value,
                        "Use an Indian mobile number: +91 and 10 digits.");
  if (auto r = check_rate("otp_verify", caller, *phone); !r) return r.error();
  if (auto r = refresh_keys(false); !r) return r.error();
  const auto t = now();
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto check = otp_codes_.verify(*tx, *phone, code, t);
  if (!check) return check.error();
  if (*check == VerificationCodes::Check::rejected) {
    if (auto c = tx->commit(); !c) return c.error();
    return otp_codes_.invalid();
  }
  auto found = repo::user_by_phone(*tx, *phone);
  if (!found) return found.error();
  User u;
  if (*found) {
    u = **found;
    if (u.status != "active")
      return Error::make(ErrorKind::forbidden, "account_locked",
                         "This account is locked; contact support.");
    if (!u.phone_verified)
      if (auto r = repo::set_phone_verified(*tx, u.id, iso_utc(t)); !r) return r.error();
  } else {
    // Passwordless sign-up: the number is the account.
    u.phone = phone;
    u.phone_verified = true;
    u.created_at = u.updated_at = iso_utc(t);
    auto id = repo::insert_user(*tx, u);
    if (!id) return id.error();
    u.id = *id;
  }
  auto tokens = open_session(*tx, u, caller);
  if (!tokens) return tokens.error();
  if (auto c = tx->commit(); !c) return c.error();
  return access_for(u, std::move(*tokens));
}

Result<OidcStart> AuthService::oidc_start() {
  if (!oidc_.enabled())
    return Error::make(ErrorKind::not_found, "oidc_disabled", "Social sign-in is not set up.");
  OidcStart out;
  out.state = random_token(32);
  const std::string nonce = random_token(32);
  const std::string verifier = random_token(48);
  auto url = oidc_.authorization_url(out.state, nonce, pkce_challenge(verifier));
  if (!url) return url.error();
  out.url = *url;
  auto tx = db_.begin();
  if (!tx) return tx.error();
  if (auto r = repo::insert_oidc_state(*tx, sha256_hex(out.state), nonce, verifier,
                                       iso_utc(now() + k_oidc_state_ttl));
      !r)
    return r.error();
  if (auto c = tx->commit(); !c) return c.error();
  return out;
}

Result<Tokens> AuthService::oidc_finish(const std::string& code, const std::string& state,
                                        const std::string& browser_state, const Principal& caller) {
  const Error bad_state =
      Error::make(ErrorKind::invalid, "oidc_state_invalid",
                  "The sign-in attempt is unknown or has expired; start again.");
  if (!oidc_.enabled())
    return Error::make(ErrorKind::not_found, "oidc_disabled", "Social sign-in is not set up.");
  // The state must come back both in the URL and in the cookie set on this browser: a
  // callback link planted by someone else (login CSRF) carries their state, not ours.
  if (state.empty() || !constant_time_equal(state, browser_state)) return bad_state;
  if (auto r = check_rate("oidc", caller, ""); !r) return r.error();
  if (auto r = refresh_keys(false); !r) return r.error();
  std::optional<repo::OidcState> saved;
  {
    auto tx = db_.begin();
    if (!tx) return tx.error();
    auto s = repo::take_oidc_state(*tx, sha256_hex(state), iso_utc(now()));
    if (!s) return s.error();
    if (!*s) return bad_state;
    if (auto c = tx->commit(); !c) return c.error();
    saved = std::move(*s);
  }
  auto who = oidc_.redeem(code, saved->code_verifier, saved->nonce, now());
  if (!who) return who.error();

  const auto t = iso_utc(now());
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto linked = repo::identity_user(*tx, who->issuer, who->subject);
  if (!linked) return linked.error();
  std::optional<User> u;
  if (*linked) {
    auto found = repo::user_by_id(*tx, **linked);
    if (!found) return found.error();
    u = *found;
  } else {
    const auto email = who->email ? normalize_email(*who->email) : std::nullopt;
    if (!email || !who->email_verified)
      return Error::make(ErrorKind::forbidden, "oidc_email_unverified",
                         "The identity provider did not confirm an email address.");
    auto found = repo::user_by_email(*tx, *email);
    if (!found) return found.error();
    if (*found) {
      // Linking needs both sides verified: an unverified local account with this address
      // could be someone else's squat, waiting for the real owner to sign in (pre-hijack).
      if (!(*found)->email_verified)
        return Error::make(ErrorKind::conflict, "account_link_unverified",
                           "An account with this email exists but its address is not "
                           "verified; verify it or reset its password first.");
      u = *found;
    } else {
      User fresh;
      fresh.email = email;
      fresh.email_verified = true;
      fresh.name = who->name.substr(0, 100);
      fresh.created_at = fresh.updated_at = t;
      auto id = repo::insert_user(*tx, fresh);
      if (!id) return id.error();
      fresh.id = *id;
      u = fresh;
    }
    if (auto r = repo::insert_identity(*tx, who->issuer, who->subject, u->id, t); !r)
      return r.error();
  }
  if (!u || u->status != "active")
    return Error::make(ErrorKind::forbidden, "account_locked",
                       "This account is locked; contact support.");
  auto tokens = open_session(*tx, *u, caller);
  if (!tokens) return tokens.error();
  if (auto c = tx->commit(); !c) return c.error();
  return access_for(*u, std::move(*tokens));
}

Result<UserPage> AuthService::list_users(const std::string& query, std::int64_t after, int limit) {
  if (query.size() > 100)
    return Error::field("/q", FieldCode::too_long, "Search for at most 100 characters.",
                        FieldIn::query);
  if (limit < 1 || limit > 100)
    return Error::field("/limit", FieldCode::out_of_range, "Use 1 to 100.", FieldIn::query);
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto users = repo::search_users(*tx, query, after, limit + 1);
  if (!users) return users.error();
  UserPage page;
  page.users = std::move(*users);
  if (static_cast<int>(page.users.size()) > limit) {
    page.users.resize(static_cast<std::size_t>(limit));
    page.next_after = page.users.back().id;
  }
  return page;
}

Result<User> AuthService::set_status(std::int64_t admin_id, std::int64_t user_id,
                                     const std::string& status) {
  if (status != "active" && status != "locked")
    return Error::field("/status", FieldCode::invalid_value, "Use active or locked.");
  if (admin_id == user_id)
    return Error::make(ErrorKind::conflict, "cannot_change_self",
                       "Admins cannot lock or unlock their own account.");
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto u = repo::user_by_id(*tx, user_id);
  if (!u) return u.error();
  if (!*u || (*u)->status == "deleted") return not_found_user();
  const auto t = iso_utc(now());
  if (auto r = repo::set_status(*tx, user_id, status, t); !r) return r.error();
  std::vector<std::string> revoked;
  if (status == "locked") {
    auto ids = repo::revoke_all_sessions(*tx, user_id, t);
    if (!ids) return ids.error();
    revoked = std::move(*ids);
  } else if ((*u)->email) {
    if (auto r = repo::clear_login_failures(*tx, *(*u)->email); !r) return r.error();
  }
  if (auto c = tx->commit(); !c) return c.error();
  revoke_locally(revoked);
  User out = **u;
  out.status = status;
  out.updated_at = t;
  return out;
}

Result<User> AuthService::set_role(std::int64_t admin_id, std::int64_t user_id,
                                   const std::string& role) {
  if (!is_role(role))
    return Error::field("/role", FieldCode::invalid_value,
                        "Use seeker, owner, agent, builder or admin.");
  if (admin_id == user_id)
    return Error::make(ErrorKind::conflict, "cannot_change_self",
                       "Admins cannot change their own role.");
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto u = repo::user_by_id(*tx, user_id);
  if (!u) return u.error();
  if (!*u || (*u)->status == "deleted") return not_found_user();
  const auto t = iso_utc(now());
  if (auto r = repo::set_role(*tx, user_id, role, t); !r) return r.error();
  // Access tokens carry the role: the user signs in again to get tokens with the new one.
  auto revoked = repo::revoke_all_sessions(*tx, user_id, t);
  if (!revoked) return revoked.error();
  if (auto c = tx->commit(); !c) return c.error();
  revoke_locally(*revoked);
  User out = **u;
  out.role = role;
  out.updated_at = t;
  return out;
}

Result<User> AuthService::create_user(const std::string& email_in, const std::string& password,
                                      const std::string& role, const std::string& name) {
  Problems e;
  auto email = normalize_email(email_in);
  if (!email) e.add("/email", FieldCode::invalid_value, "This is not a valid email address.");
  if (auto f = check_password_policy(password)) e.add(*f);
  if (!is_role(role))
    e.add("/role", FieldCode::invalid_value, "Use seeker, owner, agent, builder or admin.");
  if (!e.empty()) return e.error();
  const std::string hash = hasher_.hash(password);
  auto tx = db_.begin();
  if (!tx) return tx.error();
  auto existing = repo::user_by_email(*tx, *email);
  if (!existing) return existing.error();
  if (*existing)
    return Error::make(ErrorKind::conflict, "email_taken", "A user with this email exists.");
  User u;
  u.email = email;
  u.email_verified = true;
  u.name = name;
  u.role = role;
  u.password_hash = hash;
  u.created_at = u.updated_at = iso_utc(now());
  auto id = repo::insert_user(*tx, u);
  if (!id) return id.error();
  if (auto c = tx->commit(); !c) return c.error();
  u.id = *id;
  return u;
}

}  // namespace griha::auth
