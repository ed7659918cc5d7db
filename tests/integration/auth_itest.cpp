// Accounts and sign-in through the real binary, on SQLite and PostgreSQL: one test per rule,
// each failing if its rule is taken out. Emails and SMS use the `log` provider and are read
// back from griha's log (tests/js drives a real SMTP server and OIDC provider).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <regex>
#include <thread>

#include "support/griha_process.hpp"
#include "support/http_client.hpp"

namespace griha::test {
namespace {

using bhttp::verb;
namespace json = boost::json;

constexpr const char* k_password = "monsoon over the western ghats";

HttpResponse post(std::uint16_t port, const std::string& target, const json::object& body,
                  const std::string& token = {}) {
  Headers h = {{"Content-Type", "application/json"}};
  if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
  return http_request(port, verb::post, target, json::serialize(body), h);
}

HttpResponse send(std::uint16_t port, verb method, const std::string& target,
                  const std::string& token, const std::string& body = {}) {
  Headers h = {{"Authorization", "Bearer " + token}};
  if (!body.empty()) h.emplace_back("Content-Type", "application/json");
  return http_request(port, method, target, body, h);
}

std::string code_of(const HttpResponse& res) {
  return std::string(json_body(res).at("code").as_string());
}

// The newest match of `pattern` (its first group) in griha's log, waiting for it to appear:
// mail and SMS leave after the response.
std::string await_in_log(const GrihaProcess& g, const std::regex& pattern,
                         std::size_t previous_matches = 0) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < end) {
    const std::string log = g.log();
    std::vector<std::string> found;
    for (std::sregex_iterator it(log.begin(), log.end(), pattern), e; it != e; ++it)
      found.push_back((*it)[1]);
    if (found.size() > previous_matches) return found.back();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("not in the log: " + g.log());
}

std::size_t count_in_log(const GrihaProcess& g, const std::regex& pattern) {
  const std::string log = g.log();
  return static_cast<std::size_t>(
      std::distance(std::sregex_iterator(log.begin(), log.end(), pattern), std::sregex_iterator()));
}

const std::regex k_verify_link(R"(/account/verify-email\?token=([A-Za-z0-9_-]+))");
const std::regex k_reset_link(R"(/account/reset-password\?token=([A-Za-z0-9_-]+))");

// `griha user create`, with the password on standard input as an operator would type it.
int create_user_cli(const GrihaProcess& g, const std::string& email, const std::string& role,
                    const std::string& password) {
  const std::string cmd = "GRIHA_DATABASE_URL='" + g.database_url() +
                          "' GRIHA_DEMO_SEED=false " GRIHA_BINARY " user create --email '" + email +
                          "' --role " + role + " >/dev/null 2>&1";
  FILE* p = ::popen(cmd.c_str(), "w");
  if (!p) return -1;
  std::fputs((password + "\n").c_str(), p);
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class AuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new GrihaProcess({{"GRIHA_AUTH_IP_RATE_PER_MINUTE", "100000"},
                                {"GRIHA_AUTH_ACCOUNT_RATE_PER_MINUTE", "1000"},
                                {"GRIHA_AUTH_LOCKOUT_THRESHOLD", "5"},
                                {"GRIHA_AUTH_PUBLIC_URL", "http://griha.test"}});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static std::uint16_t port() { return server_->port(); }

  static std::string unique_email(const std::string& tag) {
    static int n = 0;
    return tag + "." + std::to_string(++n) + "@example.in";
  }
  static void register_user(const std::string& email, const std::string& password = k_password) {
    auto res = post(port(), "/api/v1/auth/register",
                    {{"email", email}, {"password", password}, {"name", "Test"}});
    ASSERT_EQ(res.result_int(), 202) << res.body();
  }
  static json::object sign_in(const std::string& email, const std::string& password = k_password) {
    auto res = post(port(), "/api/v1/auth/signin", {{"email", email}, {"password", password}});
    EXPECT_EQ(res.result_int(), 200) << res.body();
    return json_body(res).as_object();
  }
  static std::string token_of(const json::object& t) {
    return std::string(t.at("access_token").as_string());
  }
  static std::string refresh_of(const json::object& t) {
    return std::string(t.at("refresh_token").as_string());
  }

  static GrihaProcess* server_;
};
GrihaProcess* AuthTest::server_ = nullptr;

TEST_F(AuthTest, SignedInRoutesNeedAValidBearerToken) {
  auto none = http_get(port(), "/api/v1/me");
  EXPECT_EQ(none.result_int(), 401);
  EXPECT_EQ(none[bhttp::field::www_authenticate], "Bearer");
  auto junk = http_get(port(), "/api/v1/me", {{"Authorization", "Bearer not.a.token"}});
  EXPECT_EQ(junk.result_int(), 401);
  EXPECT_EQ(code_of(junk), "invalid_token");
  auto basic = http_get(port(), "/api/v1/me", {{"Authorization", "Basic YTpi"}});
  EXPECT_EQ(basic.result_int(), 401);
}

TEST_F(AuthTest, RegisterSignInAndProfileAllowlist) {
  const auto email = unique_email("profile");
  register_user(email);
  const auto t = sign_in(email);
  auto me = http_get(port(), "/api/v1/me", {{"Authorization", "Bearer " + token_of(t)}});
  ASSERT_EQ(me.result_int(), 200) << me.body();
  EXPECT_EQ(json_body(me).at("email").as_string(), email);
  EXPECT_EQ(json_body(me).at("role").as_string(), "seeker");

  auto patched = send(port(), verb::patch, "/api/v1/me", token_of(t),
                      R"({"name":"Priya","phone":"98765 43210"})");
  ASSERT_EQ(patched.result_int(), 200) << patched.body();
  EXPECT_EQ(json_body(patched).at("phone").as_string(), "+919876543210");

  for (const char* body :
       {R"({"role":"admin"})", R"({"status":"active"})", R"({"email_verified":"1"})"}) {
    auto refused = send(port(), verb::patch, "/api/v1/me", token_of(t), body);
    EXPECT_EQ(refused.result_int(), 400) << body;
    EXPECT_EQ(json_body(refused).at("errors").at(0).at("code").as_string(), "not_writable");
  }
  auto again = http_get(port(), "/api/v1/me", {{"Authorization", "Bearer " + token_of(t)}});
  EXPECT_EQ(json_body(again).at("role").as_string(), "seeker");
}

TEST_F(AuthTest, RegistrationValidatesFields) {
  auto res = post(port(), "/api/v1/auth/register",
                  {{"email", "not-an-email"}, {"password", "password1234"}, {"role", "admin"}});
  ASSERT_EQ(res.result_int(), 400);
  auto body = json_body(res).as_object();
  EXPECT_EQ(body.at("code").as_string(), "validation_failed");
  std::set<std::string> fields;
  for (const auto& e : body.at("errors").as_array())
    fields.insert(std::string(e.at("field").as_string()) + ":" +
                  std::string(e.at("code").as_string()));
  EXPECT_TRUE(fields.count("/email:invalid_value"));
  EXPECT_TRUE(fields.count("/password:invalid_value"));
  EXPECT_TRUE(fields.count("/role:invalid_value"));
}

TEST_F(AuthTest, SameResponseForKnownAndUnknownAccounts) {
  const auto known = unique_email("known");
  const auto unknown = unique_email("nobody");
  register_user(known);

  auto wrong_known =
      post(port(), "/api/v1/auth/signin", {{"email", known}, {"password", "wrong password 1"}});
  auto wrong_unknown =
      post(port(), "/api/v1/auth/signin", {{"email", unknown}, {"password", "wrong password 1"}});
  EXPECT_EQ(wrong_known.result_int(), 401);
  EXPECT_EQ(wrong_known.result_int(), wrong_unknown.result_int());
  EXPECT_EQ(wrong_known.body(), wrong_unknown.body());

  auto forgot_known = post(port(), "/api/v1/auth/password/forgot", {{"email", known}});
  auto forgot_unknown = post(port(), "/api/v1/auth/password/forgot", {{"email", unknown}});
  EXPECT_EQ(forgot_known.result_int(), 202);
  EXPECT_EQ(forgot_known.result_int(), forgot_unknown.result_int());
  EXPECT_EQ(forgot_known.body(), forgot_unknown.body());

  auto again = post(port(), "/api/v1/auth/register", {{"email", known}, {"password", k_password}});
  auto fresh =
      post(port(), "/api/v1/auth/register", {{"email", unknown}, {"password", k_password}});
  EXPECT_EQ(again.result_int(), 202);
  EXPECT_EQ(again.body(), fresh.body());

  // Similar timing: a sign-in for an unknown account pays for one Argon2id verification, as
  // a known account's does. Counted, not timed: tests do not assert on wall-clock time.
  auto verifications = [&] {
    const std::string text = http_get(port(), "/metrics").body();
    const std::string sample = "\ngriha_auth_password_verifications_total ";
    return std::stoll(text.substr(text.find(sample) + sample.size()));
  };
  for (const auto& email : {known, unknown}) {
    const auto before = verifications();
    post(port(), "/api/v1/auth/signin", {{"email", email}, {"password", "wrong password 2"}});
    EXPECT_EQ(verifications(), before + 1) << email;
  }
}

TEST_F(AuthTest, RefreshRotatesAndReuseRevokesTheFamily) {
  const auto email = unique_email("refresh");
  register_user(email);
  const auto first = sign_in(email);
  auto r2 = post(port(), "/api/v1/auth/refresh", {{"refresh_token", refresh_of(first)}});
  ASSERT_EQ(r2.result_int(), 200) << r2.body();
  const auto second = json_body(r2).as_object();
  EXPECT_NE(refresh_of(second), refresh_of(first));
  EXPECT_EQ(second.at("session_id"), first.at("session_id"));
  EXPECT_EQ(r2[bhttp::field::cache_control], "no-store");

  // The first token again: someone holds a copy. The whole family dies.
  auto reuse = post(port(), "/api/v1/auth/refresh", {{"refresh_token", refresh_of(first)}});
  EXPECT_EQ(reuse.result_int(), 401);
  EXPECT_EQ(code_of(reuse), "refresh_token_reused");
  auto latest = post(port(), "/api/v1/auth/refresh", {{"refresh_token", refresh_of(second)}});
  EXPECT_EQ(latest.result_int(), 401);
  EXPECT_EQ(code_of(latest), "invalid_refresh_token");
  auto me = http_get(port(), "/api/v1/me", {{"Authorization", "Bearer " + token_of(second)}});
  EXPECT_EQ(me.result_int(), 401) << "the family's access tokens stop working too";
}

TEST_F(AuthTest, SignOutAndSessions) {
  const auto email = unique_email("sessions");
  register_user(email);
  const auto phone_session = sign_in(email);
  const auto laptop_session = sign_in(email);
  auto list = http_get(port(), "/api/v1/me/sessions",
                       {{"Authorization", "Bearer " + token_of(laptop_session)}});
  ASSERT_EQ(list.result_int(), 200);
  EXPECT_EQ(json_body(list).at("items").as_array().size(), 2u);

  const std::string other = std::string(phone_session.at("session_id").as_string());
  EXPECT_EQ(send(port(), verb::delete_, "/api/v1/me/sessions/" + other, token_of(laptop_session))
                .result_int(),
            204);
  EXPECT_EQ(post(port(), "/api/v1/auth/refresh", {{"refresh_token", refresh_of(phone_session)}})
                .result_int(),
            401);
  EXPECT_EQ(send(port(), verb::delete_, "/api/v1/me/sessions/nope", token_of(laptop_session))
                .result_int(),
            404);

  EXPECT_EQ(post(port(), "/api/v1/auth/signout", {}, token_of(laptop_session)).result_int(), 204);
  EXPECT_EQ(
      http_get(port(), "/api/v1/me", {{"Authorization", "Bearer " + token_of(laptop_session)}})
          .result_int(),
      401);
  EXPECT_EQ(post(port(), "/api/v1/auth/refresh", {{"refresh_token", refresh_of(laptop_session)}})
                .result_int(),
            401);
}

TEST_F(AuthTest, EmailVerificationLinkWorksOnce) {
  const auto email = unique_email("verify");
  const auto before = count_in_log(*server_, k_verify_link);
  register_user(email);
  const auto token = await_in_log(*server_, k_verify_link, before);
  auto page = http_get(port(), "/account/verify-email?token=" + token);
  EXPECT_EQ(page.result_int(), 200);
  EXPECT_NE(page.body().find("Email verified"), std::string::npos);
  const auto t = sign_in(email);
  auto me = http_get(port(), "/api/v1/me", {{"Authorization", "Bearer " + token_of(t)}});
  EXPECT_TRUE(json_body(me).at("email_verified").as_bool());
  EXPECT_EQ(http_get(port(), "/account/verify-email?token=" + token).result_int(), 400);
}

TEST_F(AuthTest, ResetTokenWorksOnceAndEndsSessions) {
  const auto email = unique_email("reset");
  register_user(email);
  const auto old_session = sign_in(email);
  const auto before = count_in_log(*server_, k_reset_link);
  ASSERT_EQ(post(port(), "/api/v1/auth/password/forgot", {{"email", email}}).result_int(), 202);
  const auto token = await_in_log(*server_, k_reset_link, before);

  auto form = http_get(port(), "/account/reset-password?token=" + token);
  EXPECT_EQ(form.result_int(), 200);
  EXPECT_NE(form.body().find("name=\"token\" value=\"" + token + "\""), std::string::npos);

  auto weak =
      post(port(), "/api/v1/auth/password/reset", {{"token", token}, {"password", "short"}});
  EXPECT_EQ(weak.result_int(), 400) << "a weak password must not use up the link";
  const std::string fresh = "a brand new passphrase for griha";
  auto first = post(port(), "/api/v1/auth/password/reset", {{"token", token}, {"password", fresh}});
  EXPECT_EQ(first.result_int(), 204) << first.body();
  auto second = post(port(), "/api/v1/auth/password/reset",
                     {{"token", token}, {"password", "yet another passphrase here"}});
  EXPECT_EQ(second.result_int(), 400);
  EXPECT_EQ(code_of(second), "reset_token_invalid");

  EXPECT_EQ(post(port(), "/api/v1/auth/signin", {{"email", email}, {"password", k_password}})
                .result_int(),
            401);
  sign_in(email, fresh);
  EXPECT_EQ(post(port(), "/api/v1/auth/refresh", {{"refresh_token", refresh_of(old_session)}})
                .result_int(),
            401);
  EXPECT_EQ(http_get(port(), "/api/v1/me", {{"Authorization", "Bearer " + token_of(old_session)}})
                .result_int(),
            401);
}

TEST_F(AuthTest, LockoutAfterRepeatedFailures) {
  const auto email = unique_email("lockout");
  register_user(email);
  for (int i = 0; i < 5; ++i) {
    auto r = post(port(), "/api/v1/auth/signin",
                  {{"email", email}, {"password", "guess number " + std::to_string(i)}});
    EXPECT_EQ(r.result_int(), 401);
  }
  // Even the right password waits now.
  auto locked = post(port(), "/api/v1/auth/signin", {{"email", email}, {"password", k_password}});
  EXPECT_EQ(locked.result_int(), 429);
  EXPECT_EQ(code_of(locked), "too_many_attempts");
  const int retry = std::stoi(std::string(locked[bhttp::field::retry_after]));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 30);

  // An unknown address locks out the same way: lockout reveals nothing.
  const auto nobody = unique_email("lockout-nobody");
  for (int i = 0; i < 5; ++i)
    post(port(), "/api/v1/auth/signin", {{"email", nobody}, {"password", "guess number x"}});
  auto also = post(port(), "/api/v1/auth/signin", {{"email", nobody}, {"password", k_password}});
  EXPECT_EQ(also.result_int(), 429);
  EXPECT_EQ(also.body(), locked.body());
}

TEST_F(AuthTest, OtpSignInWithAttemptLimitAndResendThrottle) {
  const std::regex code_re(R"(to=\+919812345678 text="(\d{6}) is your Griha)");
  ASSERT_EQ(post(port(), "/api/v1/auth/otp/request", {{"phone", "98123 45678"}}).result_int(), 202);
  const auto code = await_in_log(*server_, code_re);
  auto resend = post(port(), "/api/v1/auth/otp/request", {{"phone", "+91 98123 45678"}});
  EXPECT_EQ(resend.result_int(), 429);
  EXPECT_EQ(code_of(resend), "otp_resend_throttled");
  EXPECT_FALSE(resend[bhttp::field::retry_after].empty());

  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(post(port(), "/api/v1/auth/otp/verify", {{"phone", "9812345678"}, {"code", wrong}})
                  .result_int(),
              400);
  auto exhausted =
      post(port(), "/api/v1/auth/otp/verify", {{"phone", "9812345678"}, {"code", code}});
  EXPECT_EQ(exhausted.result_int(), 400) << "five wrong tries burn the code";
  EXPECT_EQ(code_of(exhausted), "otp_invalid");
}

TEST(AuthOtpCap, OneNumberGetsAtMostTheDailyNumberOfCodes) {
  GrihaProcess server(
      std::map<std::string, std::string>{{"GRIHA_AUTH_OTP_PER_PHONE_PER_DAY", "2"},
                                         {"GRIHA_AUTH_OTP_RESEND_SECONDS", "0"},
                                         {"GRIHA_AUTH_IP_RATE_PER_MINUTE", "100000"},
                                         {"GRIHA_AUTH_ACCOUNT_RATE_PER_MINUTE", "1000"}});
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(
        post(server.port(), "/api/v1/auth/otp/request", {{"phone", "9822000001"}}).result_int(),
        202);
  auto third = post(server.port(), "/api/v1/auth/otp/request", {{"phone", "+91 98220 00001"}});
  EXPECT_EQ(third.result_int(), 429);
  EXPECT_EQ(code_of(third), "otp_daily_cap");
  EXPECT_FALSE(third[bhttp::field::retry_after].empty());
  // The codes leave through the outbox: wait for the two, then make sure no third follows.
  const std::regex sms(R"(to=\+919822000001 text=")");
  for (int i = 0; i < 100 && count_in_log(server, sms) < 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(count_in_log(server, sms), 2u) << "no third SMS was sent";
  EXPECT_EQ(post(server.port(), "/api/v1/auth/otp/request", {{"phone", "9822000002"}}).result_int(),
            202)
      << "another number is not affected";
}

TEST_F(AuthTest, OtpCreatesAPhoneAccount) {
  const std::regex code_re(R"(to=\+917012345678 text="(\d{6}) is your Griha)");
  ASSERT_EQ(post(port(), "/api/v1/auth/otp/request", {{"phone", "7012345678"}}).result_int(), 202);
  const auto code = await_in_log(*server_, code_re);
  auto ok = post(port(), "/api/v1/auth/otp/verify", {{"phone", "07012345678"}, {"code", code}});
  ASSERT_EQ(ok.result_int(), 200) << ok.body();
  auto me = http_get(port(), "/api/v1/me",
                     {{"Authorization", "Bearer " + token_of(json_body(ok).as_object())}});
  EXPECT_EQ(json_body(me).at("phone").as_string(), "+917012345678");
  EXPECT_TRUE(json_body(me).at("phone_verified").as_bool());
  EXPECT_EQ(post(port(), "/api/v1/auth/otp/verify", {{"phone", "7012345678"}, {"code", code}})
                .result_int(),
            400)
      << "a code works once";
}

TEST_F(AuthTest, RoleChangeIsForAdminsOnly) {
  const auto admin_email = unique_email("admin");
  ASSERT_EQ(create_user_cli(*server_, admin_email, "admin", "the admin's own long passphrase"), 0);
  const auto admin = sign_in(admin_email, "the admin's own long passphrase");
  const auto seeker_email = unique_email("seeker");
  register_user(seeker_email);
  const auto seeker = sign_in(seeker_email);
  const auto seeker_id = std::to_string(seeker.at("user_id").as_int64());
  const auto admin_id = std::to_string(admin.at("user_id").as_int64());

  // A non-admin cannot promote anyone, themselves included.
  auto refused = send(port(), verb::put, "/api/v1/admin/users/" + seeker_id + "/role",
                      token_of(seeker), R"({"role":"admin"})");
  EXPECT_EQ(refused.result_int(), 403);
  EXPECT_EQ(code_of(refused), "forbidden");
  EXPECT_EQ(send(port(), verb::get, "/api/v1/admin/users", token_of(seeker)).result_int(), 403);

  auto changed = send(port(), verb::put, "/api/v1/admin/users/" + seeker_id + "/role",
                      token_of(admin), R"({"role":"agent"})");
  ASSERT_EQ(changed.result_int(), 200) << changed.body();
  EXPECT_EQ(json_body(changed).at("role").as_string(), "agent");
  EXPECT_EQ(send(port(), verb::put, "/api/v1/admin/users/" + admin_id + "/role", token_of(admin),
                 R"({"role":"seeker"})")
                .result_int(),
            409);
  // Tokens carry the role, so the old ones stop; a new sign-in carries the new role.
  EXPECT_EQ(http_get(port(), "/api/v1/me", {{"Authorization", "Bearer " + token_of(seeker)}})
                .result_int(),
            401);
  const auto agent = sign_in(seeker_email);
  EXPECT_EQ(
      json_body(http_get(port(), "/api/v1/me", {{"Authorization", "Bearer " + token_of(agent)}}))
          .at("role")
          .as_string(),
      "agent");

  auto found = send(port(), verb::get, "/api/v1/admin/users?q=" + seeker_email.substr(0, 8),
                    token_of(admin));
  ASSERT_EQ(found.result_int(), 200);
  EXPECT_GE(json_body(found).at("items").as_array().size(), 1u);

  EXPECT_EQ(send(port(), verb::post, "/api/v1/admin/users/" + seeker_id + "/lock", token_of(admin))
                .result_int(),
            200);
  auto locked =
      post(port(), "/api/v1/auth/signin", {{"email", seeker_email}, {"password", k_password}});
  EXPECT_EQ(locked.result_int(), 403);
  EXPECT_EQ(code_of(locked), "account_locked");
  EXPECT_EQ(
      send(port(), verb::post, "/api/v1/admin/users/" + seeker_id + "/unlock", token_of(admin))
          .result_int(),
      200);
  sign_in(seeker_email);
}

TEST(AuthRateLimit, TooManyRequestsWithRetryAfter) {
  GrihaProcess g(std::map<std::string, std::string>{{"GRIHA_AUTH_IP_RATE_PER_MINUTE", "3"}});
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(post(g.port(), "/api/v1/auth/password/forgot",
                   {{"email", "a" + std::to_string(i) + "@example.in"}})
                  .result_int(),
              202);
  auto limited = post(g.port(), "/api/v1/auth/password/forgot", {{"email", "z@example.in"}});
  EXPECT_EQ(limited.result_int(), 429);
  EXPECT_EQ(code_of(limited), "rate_limited");
  const int retry = std::stoi(std::string(limited[bhttp::field::retry_after]));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 20);
}

TEST(AuthRateLimit, PerAccountLimitAcrossAddresses) {
  GrihaProcess g(std::map<std::string, std::string>{{"GRIHA_AUTH_ACCOUNT_RATE_PER_MINUTE", "2"}});
  for (int i = 0; i < 2; ++i)
    post(g.port(), "/api/v1/auth/signin", {{"email", "target@example.in"}, {"password", "x"}});
  auto limited =
      post(g.port(), "/api/v1/auth/signin", {{"email", "Target@Example.in"}, {"password", "x"}});
  EXPECT_EQ(limited.result_int(), 429);
  EXPECT_FALSE(limited[bhttp::field::retry_after].empty());
}

TEST(AuthKeys, RotationKeepsOldTokensValid) {
  GrihaProcess g(std::map<std::string, std::string>{{"GRIHA_AUTH_KEY_ROTATION_SECONDS", "1"}});
  post(g.port(), "/api/v1/auth/register",
       {{"email", "rotate@example.in"}, {"password", k_password}});
  auto first = json_body(post(g.port(), "/api/v1/auth/signin",
                              {{"email", "rotate@example.in"}, {"password", k_password}}));
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto second = json_body(post(g.port(), "/api/v1/auth/signin",
                               {{"email", "rotate@example.in"}, {"password", k_password}}));
  auto kid = [](const json::value& t) {
    std::string tok(t.at("access_token").as_string());
    return tok.substr(0, tok.find('.'));  // the header, which names the kid
  };
  EXPECT_NE(kid(first), kid(second)) << "a new key signs after the rotation period";
  // At least the old and the new key are published (a slow machine may rotate once more).
  auto keys = json_body(http_get(g.port(), "/.well-known/jwks.json")).at("keys").as_array();
  EXPECT_GE(keys.size(), 2u);
  for (const auto* t : {&first, &second})
    EXPECT_EQ(
        http_get(g.port(), "/api/v1/me",
                 {{"Authorization", "Bearer " + std::string(t->at("access_token").as_string())}})
            .result_int(),
        200);
}

}  // namespace
}  // namespace griha::test
