// Accounts and sign-in through the real binary, on SQLite and PostgreSQL: one test per rule,
// each failing if its rule is taken out. Emails and SMS use the `log` provider and are read
// back from its message sink (tests/js drives a real SMTP server and OIDC provider).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "support/api.hpp"

namespace griha::test {
namespace {

using bhttp::verb;
namespace json = boost::json;

constexpr const char* k_password = "monsoon over the western ghats";

const std::regex k_verify_link(R"(/account/verify-email\?token=([A-Za-z0-9_-]+))");
const std::regex k_reset_link(R"(/account/reset-password\?token=([A-Za-z0-9_-]+))");
const std::regex k_otp_code(R"(^(\d{6}) is your Griha)");

// The caller holding a sign-in's access token.
TestUser holder_of(const json::object& tokens) {
  TestUser u;
  u.access_token = std::string(tokens.at("access_token").as_string());
  return u;
}

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
  static Api api() { return Api(*server_); }
  static HttpResponse post(const std::string& target, const json::object& body,
                           const TestUser* as = nullptr) {
    return api().call(verb::post, target, as, body);
  }

  static std::string unique_email(const std::string& tag) {
    static int n = 0;
    return tag + "." + std::to_string(++n) + "@example.in";
  }
  static void register_user(const std::string& email, const std::string& password = k_password) {
    api().sign_up(email, password);
  }
  static json::object sign_in(const std::string& email, const std::string& password = k_password) {
    return api().sign_in(email, password);
  }
  static std::string refresh_of(const json::object& t) {
    return std::string(t.at("refresh_token").as_string());
  }

  static GrihaProcess* server_;
};
GrihaProcess* AuthTest::server_ = nullptr;

TEST_F(AuthTest, SignedInRoutesNeedAValidBearerToken) {
  TestUser junk;
  junk.access_token = "not.a.token";
  api().run({
      {.name = "no token",
       .path = "/api/v1/me",
       .expected_status = 401,
       .expected_headers = {{"WWW-Authenticate", "Bearer"}}},
      {.name = "junk token",
       .path = "/api/v1/me",
       .as = &junk,
       .expected_status = 401,
       .expected_code = "invalid_token"},
      {.name = "basic credentials",
       .path = "/api/v1/me",
       .headers = {{"Authorization", "Basic YTpi"}},
       .expected_status = 401},
  });
}

TEST_F(AuthTest, RegisterSignInAndProfileAllowlist) {
  const auto email = unique_email("profile");
  register_user(email);
  const auto who = holder_of(sign_in(email));
  api().run({.name = "me",
             .path = "/api/v1/me",
             .as = &who,
             .expected_fields = {{"/email", json::value(email)}, {"/role", "seeker"}}});
  api().run({.name = "phone normalised",
             .method = verb::patch,
             .path = "/api/v1/me",
             .body = R"({"name":"Priya","phone":"98765 43210"})",
             .as = &who,
             .expected_fields = {{"/phone", "+919876543210"}}});
  for (const char* body :
       {R"({"role":"admin"})", R"({"status":"active"})", R"({"email_verified":"1"})"})
    api().run({.name = body,
               .method = verb::patch,
               .path = "/api/v1/me",
               .body = body,
               .as = &who,
               .expected_status = 400,
               .expected_fields = {{"/errors/0/code", "not_writable"}}});
  api().run({.name = "role unchanged",
             .path = "/api/v1/me",
             .as = &who,
             .expected_fields = {{"/role", "seeker"}}});
}

TEST_F(AuthTest, RegistrationValidatesFields) {
  auto res =
      api().run({.method = verb::post,
                 .path = "/api/v1/auth/register",
                 .body = R"({"email":"not-an-email","password":"password1234","role":"admin"})",
                 .expected_status = 400,
                 .expected_code = "validation_failed"});
  ASSERT_EQ(res.result_int(), 400);
  auto body = json_body(res).as_object();
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
      post("/api/v1/auth/signin", {{"email", known}, {"password", "wrong password 1"}});
  auto wrong_unknown =
      post("/api/v1/auth/signin", {{"email", unknown}, {"password", "wrong password 1"}});
  EXPECT_EQ(wrong_known.result_int(), 401);
  EXPECT_EQ(wrong_known.result_int(), wrong_unknown.result_int());
  EXPECT_EQ(wrong_known.body(), wrong_unknown.body());

  auto forgot_known = post("/api/v1/auth/password/forgot", {{"email", known}});
  auto forgot_unknown = post("/api/v1/auth/password/forgot", {{"email", unknown}});
  EXPECT_EQ(forgot_known.result_int(), 202);
  EXPECT_EQ(forgot_known.result_int(), forgot_unknown.result_int());
  EXPECT_EQ(forgot_known.body(), forgot_unknown.body());

  auto again = post("/api/v1/auth/register", {{"email", known}, {"password", k_password}});
  auto fresh = post("/api/v1/auth/register", {{"email", unknown}, {"password", k_password}});
  EXPECT_EQ(again.result_int(), 202);
  EXPECT_EQ(again.body(), fresh.body());

  // Similar timing: a sign-in for an unknown account pays for one Argon2id verification, as
  // a known account's does. Counted, not timed: tests do not assert on wall-clock time.
  auto verifications = [&] {
    const std::string text = api().get("/metrics").body();
    const std::string sample = "\ngriha_auth_password_verifications_total ";
    return std::stoll(text.substr(text.find(sample) + sample.size()));
  };
  for (const auto& email : {known, unknown}) {
    const auto before = verifications();
    post("/api/v1/auth/signin", {{"email", email}, {"password", "wrong password 2"}});
    EXPECT_EQ(verifications(), before + 1) << email;
  }
}

TEST_F(AuthTest, RefreshRotatesAndReuseRevokesTheFamily) {
  const auto email = unique_email("refresh");
  register_user(email);
  const auto first = sign_in(email);
  auto r2 = api().run({.method = verb::post,
                       .path = "/api/v1/auth/refresh",
                       .body = json::serialize(json::object{{"refresh_token", refresh_of(first)}}),
                       .expected_fields = {{"/session_id", first.at("session_id")}},
                       .expected_headers = {{"Cache-Control", "no-store"}}});
  ASSERT_EQ(r2.result_int(), 200) << r2.body();
  const auto second = json_body(r2).as_object();
  EXPECT_NE(refresh_of(second), refresh_of(first));

  // The first token again: someone holds a copy. The whole family dies.
  const auto second_holder = holder_of(second);
  api().run({
      {.name = "reused",
       .method = verb::post,
       .path = "/api/v1/auth/refresh",
       .body = json::serialize(json::object{{"refresh_token", refresh_of(first)}}),
       .expected_status = 401,
       .expected_code = "refresh_token_reused"},
      {.name = "the family's latest",
       .method = verb::post,
       .path = "/api/v1/auth/refresh",
       .body = json::serialize(json::object{{"refresh_token", refresh_of(second)}}),
       .expected_status = 401,
       .expected_code = "invalid_refresh_token"},
      {.name = "the family's access tokens stop working too",
       .path = "/api/v1/me",
       .as = &second_holder,
       .expected_status = 401},
  });
}

TEST_F(AuthTest, SignOutAndSessions) {
  const auto email = unique_email("sessions");
  register_user(email);
  const auto phone_session = sign_in(email);
  const auto laptop_session = sign_in(email);
  const auto laptop = holder_of(laptop_session);
  auto list = api().get("/api/v1/me/sessions", &laptop);
  ASSERT_EQ(list.result_int(), 200);
  EXPECT_EQ(json_body(list).at("items").as_array().size(), 2u);

  const std::string other = std::string(phone_session.at("session_id").as_string());
  const auto refresh = [](const json::object& session) {
    return json::serialize(json::object{{"refresh_token", session.at("refresh_token")}});
  };
  api().run({
      {.name = "end the other session",
       .method = verb::delete_,
       .path = "/api/v1/me/sessions/" + other,
       .as = &laptop,
       .expected_status = 204},
      {.name = "its refresh token is dead",
       .method = verb::post,
       .path = "/api/v1/auth/refresh",
       .body = refresh(phone_session),
       .expected_status = 401},
      {.name = "no such session",
       .method = verb::delete_,
       .path = "/api/v1/me/sessions/nope",
       .as = &laptop,
       .expected_status = 404},
      {.name = "sign out",
       .method = verb::post,
       .path = "/api/v1/auth/signout",
       .body = "{}",
       .as = &laptop,
       .expected_status = 204},
      {.name = "signed out: the access token is dead",
       .path = "/api/v1/me",
       .as = &laptop,
       .expected_status = 401},
      {.name = "signed out: the refresh token is dead",
       .method = verb::post,
       .path = "/api/v1/auth/refresh",
       .body = refresh(laptop_session),
       .expected_status = 401},
  });
}

TEST_F(AuthTest, EmailVerificationLinkWorksOnce) {
  const auto email = unique_email("verify");
  const auto mail = api().messages();
  register_user(email);
  const auto token = mail.await("email", email, k_verify_link);
  api().run(
      {.path = "/account/verify-email?token=" + token, .expected_content = {"Email verified"}});
  const auto who = holder_of(sign_in(email));
  api().run({.path = "/api/v1/me", .as = &who, .expected_fields = {{"/email_verified", true}}});
  api().run({.name = "the link works once",
             .path = "/account/verify-email?token=" + token,
             .expected_status = 400});
}

TEST_F(AuthTest, ResetTokenWorksOnceAndEndsSessions) {
  const auto email = unique_email("reset");
  register_user(email);
  const auto old_session = sign_in(email);
  const auto mail = api().messages();
  const auto before = mail.count("email", email, k_reset_link);
  ASSERT_EQ(post("/api/v1/auth/password/forgot", {{"email", email}}).result_int(), 202);
  const auto token = mail.await("email", email, k_reset_link, before);

  api().run({.name = "the form carries the token",
             .path = "/account/reset-password?token=" + token,
             .expected_content = {"name=\"token\" value=\"" + token + "\""}});

  const auto reset = [&](const std::string& password) {
    return json::serialize(json::object{{"token", token}, {"password", password}});
  };
  const std::string fresh = "a brand new passphrase for griha";
  const auto old_holder = holder_of(old_session);
  api().run({
      {.name = "a weak password must not use up the link",
       .method = verb::post,
       .path = "/api/v1/auth/password/reset",
       .body = reset("short"),
       .expected_status = 400},
      {.name = "first use",
       .method = verb::post,
       .path = "/api/v1/auth/password/reset",
       .body = reset(fresh),
       .expected_status = 204},
      {.name = "second use",
       .method = verb::post,
       .path = "/api/v1/auth/password/reset",
       .body = reset("yet another passphrase here"),
       .expected_status = 400,
       .expected_code = "reset_token_invalid"},
      {.name = "the old password is gone",
       .method = verb::post,
       .path = "/api/v1/auth/signin",
       .body = json::serialize(json::object{{"email", email}, {"password", k_password}}),
       .expected_status = 401},
  });
  sign_in(email, fresh);
  api().run({
      {.name = "old refresh token",
       .method = verb::post,
       .path = "/api/v1/auth/refresh",
       .body = json::serialize(json::object{{"refresh_token", refresh_of(old_session)}}),
       .expected_status = 401},
      {.name = "old access token", .path = "/api/v1/me", .as = &old_holder, .expected_status = 401},
  });
}

TEST_F(AuthTest, LockoutAfterRepeatedFailures) {
  const auto email = unique_email("lockout");
  register_user(email);
  for (int i = 0; i < 5; ++i) {
    auto r = post("/api/v1/auth/signin",
                  {{"email", email}, {"password", "guess number " + std::to_string(i)}});
    EXPECT_EQ(r.result_int(), 401);
  }
  // Even the right password waits now.
  auto locked = post("/api/v1/auth/signin", {{"email", email}, {"password", k_password}});
  EXPECT_EQ(locked.result_int(), 429);
  EXPECT_EQ(code_of(locked), "too_many_attempts");
  const int retry = std::stoi(std::string(locked[bhttp::field::retry_after]));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 30);

  // An unknown address locks out the same way: lockout reveals nothing.
  const auto nobody = unique_email("lockout-nobody");
  for (int i = 0; i < 5; ++i)
    post("/api/v1/auth/signin", {{"email", nobody}, {"password", "guess number x"}});
  auto also = post("/api/v1/auth/signin", {{"email", nobody}, {"password", k_password}});
  EXPECT_EQ(also.result_int(), 429);
  EXPECT_EQ(also.body(), locked.body());
}

TEST_F(AuthTest, OtpSignInWithAttemptLimitAndResendThrottle) {
  ASSERT_EQ(post("/api/v1/auth/otp/request", {{"phone", "98123 45678"}}).result_int(), 202);
  const auto code = api().messages().await("sms", "+919812345678", k_otp_code);
  auto resend = api().run({.method = verb::post,
                           .path = "/api/v1/auth/otp/request",
                           .body = R"({"phone":"+91 98123 45678"})",
                           .expected_status = 429,
                           .expected_code = "otp_resend_throttled"});
  EXPECT_FALSE(resend[bhttp::field::retry_after].empty());

  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(
        post("/api/v1/auth/otp/verify", {{"phone", "9812345678"}, {"code", wrong}}).result_int(),
        400);
  api().run({.name = "five wrong tries burn the code",
             .method = verb::post,
             .path = "/api/v1/auth/otp/verify",
             .body = json::serialize(json::object{{"phone", "9812345678"}, {"code", code}}),
             .expected_status = 400,
             .expected_code = "otp_invalid"});
}

TEST(AuthOtpCap, OneNumberGetsAtMostTheDailyNumberOfCodes) {
  GrihaProcess server(
      std::map<std::string, std::string>{{"GRIHA_AUTH_OTP_PER_PHONE_PER_DAY", "2"},
                                         {"GRIHA_AUTH_OTP_RESEND_SECONDS", "0"},
                                         {"GRIHA_AUTH_IP_RATE_PER_MINUTE", "100000"},
                                         {"GRIHA_AUTH_ACCOUNT_RATE_PER_MINUTE", "1000"}});
  Api api(server);
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(api.call(verb::post, "/api/v1/auth/otp/request", nullptr,
                       json::object{{"phone", "9822000001"}})
                  .result_int(),
              202);
  auto third = api.run({.method = verb::post,
                        .path = "/api/v1/auth/otp/request",
                        .body = R"({"phone":"+91 98220 00001"})",
                        .expected_status = 429,
                        .expected_code = "otp_daily_cap"});
  EXPECT_FALSE(third[bhttp::field::retry_after].empty());
  // The codes leave through the outbox: wait for the two, then make sure no third follows.
  const auto sms = api.messages();
  const std::regex any(".");
  sms.await("sms", "+919822000001", any, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(sms.count("sms", "+919822000001", any), 2u) << "no third SMS was sent";
  api.run({.name = "another number is not affected",
           .method = verb::post,
           .path = "/api/v1/auth/otp/request",
           .body = R"({"phone":"9822000002"})",
           .expected_status = 202});
}

TEST_F(AuthTest, OtpCreatesAPhoneAccount) {
  ASSERT_EQ(post("/api/v1/auth/otp/request", {{"phone", "7012345678"}}).result_int(), 202);
  const auto code = api().messages().await("sms", "+917012345678", k_otp_code);
  auto ok = post("/api/v1/auth/otp/verify", {{"phone", "07012345678"}, {"code", code}});
  ASSERT_EQ(ok.result_int(), 200) << ok.body();
  const auto who = holder_of(json_body(ok).as_object());
  api().run({.path = "/api/v1/me",
             .as = &who,
             .expected_fields = {{"/phone", "+917012345678"}, {"/phone_verified", true}}});
  api().run({.name = "a code works once",
             .method = verb::post,
             .path = "/api/v1/auth/otp/verify",
             .body = json::serialize(json::object{{"phone", "7012345678"}, {"code", code}}),
             .expected_status = 400});
}

TEST_F(AuthTest, RoleChangeIsForAdminsOnly) {
  const auto admin_email = unique_email("admin");
  ASSERT_EQ(create_user_cli(*server_, admin_email, "admin", "the admin's own long passphrase"), 0);
  const auto admin_tokens = sign_in(admin_email, "the admin's own long passphrase");
  const auto seeker_email = unique_email("seeker");
  register_user(seeker_email);
  const auto seeker_tokens = sign_in(seeker_email);
  const auto seeker_id = std::to_string(seeker_tokens.at("user_id").as_int64());
  const auto admin_id = std::to_string(admin_tokens.at("user_id").as_int64());
  const auto admin = holder_of(admin_tokens);
  const auto seeker = holder_of(seeker_tokens);

  api().run({
      // A non-admin cannot promote anyone, themselves included.
      {.name = "a seeker promotes themselves",
       .method = verb::put,
       .path = "/api/v1/admin/users/" + seeker_id + "/role",
       .body = R"({"role":"admin"})",
       .as = &seeker,
       .expected_status = 403,
       .expected_code = "forbidden"},
      {.name = "a seeker lists users",
       .path = "/api/v1/admin/users",
       .as = &seeker,
       .expected_status = 403},
      {.name = "an admin makes the seeker an agent",
       .method = verb::put,
       .path = "/api/v1/admin/users/" + seeker_id + "/role",
       .body = R"({"role":"agent"})",
       .as = &admin,
       .expected_fields = {{"/role", "agent"}}},
      {.name = "an admin cannot demote themselves",
       .method = verb::put,
       .path = "/api/v1/admin/users/" + admin_id + "/role",
       .body = R"({"role":"seeker"})",
       .as = &admin,
       .expected_status = 409},
      // Tokens carry the role, so the old ones stop; a new sign-in carries the new role.
      {.name = "the old token stops", .path = "/api/v1/me", .as = &seeker, .expected_status = 401},
  });
  const auto agent = holder_of(sign_in(seeker_email));
  api().run({.path = "/api/v1/me", .as = &agent, .expected_fields = {{"/role", "agent"}}});

  auto found = api().get("/api/v1/admin/users?q=" + seeker_email.substr(0, 8), &admin);
  ASSERT_EQ(found.result_int(), 200);
  EXPECT_GE(json_body(found).at("items").as_array().size(), 1u);

  api().run({
      {.name = "lock",
       .method = verb::post,
       .path = "/api/v1/admin/users/" + seeker_id + "/lock",
       .as = &admin},
      {.name = "a locked account cannot sign in",
       .method = verb::post,
       .path = "/api/v1/auth/signin",
       .body = json::serialize(json::object{{"email", seeker_email}, {"password", k_password}}),
       .expected_status = 403,
       .expected_code = "account_locked"},
      {.name = "unlock",
       .method = verb::post,
       .path = "/api/v1/admin/users/" + seeker_id + "/unlock",
       .as = &admin},
  });
  sign_in(seeker_email);
}

TEST(AuthRateLimit, TooManyRequestsWithRetryAfter) {
  GrihaProcess g(std::map<std::string, std::string>{{"GRIHA_AUTH_IP_RATE_PER_MINUTE", "3"}});
  Api api(g);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(api.call(verb::post, "/api/v1/auth/password/forgot", nullptr,
                       json::object{{"email", "a" + std::to_string(i) + "@example.in"}})
                  .result_int(),
              202);
  auto limited = api.run({.method = verb::post,
                          .path = "/api/v1/auth/password/forgot",
                          .body = R"({"email":"z@example.in"})",
                          .expected_status = 429,
                          .expected_code = "rate_limited"});
  const int retry = std::stoi(std::string(limited[bhttp::field::retry_after]));
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 20);
}

TEST(AuthRateLimit, PerAccountLimitAcrossAddresses) {
  GrihaProcess g(std::map<std::string, std::string>{{"GRIHA_AUTH_ACCOUNT_RATE_PER_MINUTE", "2"}});
  Api api(g);
  for (int i = 0; i < 2; ++i)
    api.call(verb::post, "/api/v1/auth/signin", nullptr,
             json::object{{"email", "target@example.in"}, {"password", "x"}});
  auto limited = api.run({.method = verb::post,
                          .path = "/api/v1/auth/signin",
                          .body = R"({"email":"Target@Example.in","password":"x"})",
                          .expected_status = 429});
  EXPECT_FALSE(limited[bhttp::field::retry_after].empty());
}

// The message sink is a test device: a server not told to keep one writes messages only to its
// log, whatever it sends.
TEST(MessageSink, IsWrittenOnlyWhenConfigured) {
  GrihaProcess g(std::map<std::string, std::string>{{"GRIHA_EMAIL_SINK_FILE", ""},
                                                    {"GRIHA_SMS_SINK_FILE", ""}});
  Api api(g);
  ASSERT_EQ(api.call(verb::post, "/api/v1/auth/otp/request", nullptr,
                     json::object{{"phone", "9822000003"}})
                .result_int(),
            202);
  for (int i = 0;
       i < 200 && g.log().find("sms (log provider) to=+919822000003") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_NE(g.log().find("sms (log provider) to=+919822000003"), std::string::npos)
      << "the code was sent";
  EXPECT_FALSE(std::filesystem::exists(g.sink_file()));
  EXPECT_TRUE(api.messages().all().empty());
}

TEST(AuthKeys, RotationKeepsOldTokensValid) {
  GrihaProcess g(std::map<std::string, std::string>{{"GRIHA_AUTH_KEY_ROTATION_SECONDS", "1"}});
  Api api(g);
  api.sign_up("rotate@example.in", k_password);
  const auto first = api.sign_in("rotate@example.in", k_password);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  const auto second = api.sign_in("rotate@example.in", k_password);
  auto kid = [](const json::object& t) {
    std::string tok(t.at("access_token").as_string());
    return tok.substr(0, tok.find('.'));  // the header, which names the kid
  };
  EXPECT_NE(kid(first), kid(second)) << "a new key signs after the rotation period";
  // At least the old and the new key are published (a slow machine may rotate once more).
  auto keys = json_body(api.get("/.well-known/jwks.json")).at("keys").as_array();
  EXPECT_GE(keys.size(), 2u);
  for (const auto* t : {&first, &second}) {
    const auto holder = holder_of(*t);
    api.run({.name = "a token signed by each key", .path = "/api/v1/me", .as = &holder});
  }
}

}  // namespace
}  // namespace griha::test
