#include "auth/handlers.hpp"

#include <boost/json.hpp>

#include "core/text.hpp"
#include "core/validation.hpp"
#include "http/problem.hpp"

namespace griha::auth {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::bhttp::field;
using http::bhttp::status;

// The body of an auth call: a JSON object whose members are all in `allowed` (anything else
// is refused rather than ignored, so that a client can never set what it was not offered),
// all strings; the service checks their values.
Result<json::object> json_body(const http::Request& req,
                               std::initializer_list<std::string_view> allowed) {
  // Every auth call carries fields, so an empty body is not read as {} here.
  if (req.raw.body().empty())
    return req.raw[field::content_type].starts_with("application/json")
               ? Error::make(ErrorKind::invalid, "invalid_json", "The body must be a JSON object.")
               : Error::make(ErrorKind::unsupported, "unsupported_media_type",
                             "Send the body as application/json.");
  auto body = http::json_object_body(req);
  if (!body) return body.error();
  Problems problems;
  for (const auto& [key, value] : *body) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(key)) == allowed.end())
      problems.add(json_pointer(key), FieldCode::not_writable, "cannot be set here");
    else if (!value.is_string() && !value.is_null())
      problems.add(json_pointer(key), FieldCode::invalid_type, "must be a string");
  }
  if (!problems.empty()) return problems.error();
  return std::move(*body);
}

std::optional<std::string> opt(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

// The members a call cannot do without, all checked at once.
Result<std::vector<std::string>> required(const json::object& o,
                                          std::initializer_list<std::string_view> keys) {
  Problems problems;
  std::vector<std::string> out;
  for (auto key : keys) {
    auto v = opt(o, key);
    if (!v || v->empty()) problems.add(json_pointer(key), FieldCode::required, "is required");
    out.push_back(v.value_or(""));
  }
  if (!problems.empty()) return problems.error();
  return out;
}

json::value nullable(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object user_json(const User& u) {
  return {{"id", u.id},
          {"email", nullable(u.email)},
          {"phone", nullable(u.phone)},
          {"name", u.name},
          {"role", u.role},
          {"status", u.status},
          {"email_verified", u.email_verified},
          {"phone_verified", u.phone_verified},
          {"agency", nullable(u.agency)},
          {"rera_number", nullable(u.rera_number)},
          {"created_at", u.created_at},
          {"updated_at", u.updated_at}};
}

// Token responses must not be cached anywhere (RFC 6749 5.1).
http::Response tokens_response(const Tokens& t) {
  auto res = http::json_response(json::object{{"access_token", t.access_token},
                                              {"token_type", "Bearer"},
                                              {"expires_in", t.expires_in},
                                              {"refresh_token", t.refresh_token},
                                              {"session_id", t.session_id},
                                              {"user_id", t.user_id}});
  res.set(field::cache_control, "no-store");
  res.set(field::pragma, "no-cache");
  return res;
}

http::Response accepted(std::string_view message) {
  return http::json_response(json::object{{"status", "accepted"}, {"message", message}},
                             status::accepted);
}

std::string cookie_value(std::string_view header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    auto end = header.find(';', pos);
    if (end == std::string_view::npos) end = header.size();
    auto item = header.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.size() > name.size() && item.starts_with(name) && item[name.size()] == '=')
      return std::string(item.substr(name.size() + 1));
    pos = end + 1;
  }
  return {};
}

constexpr std::string_view k_state_cookie = "griha_oidc_state";

std::string state_cookie(const AuthService& s, std::string_view value, int max_age) {
  std::string c =
      std::string(k_state_cookie) + "=" + std::string(value) +
      "; Path=/api/v1/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
  if (s.options().public_url.starts_with("https://")) c += "; Secure";
  return c;
}

template <class F>
auto on_workers(HandlerDeps d, F fn) {
  return d.workers->run(std::move(fn));
}

}  // namespace

http::Authenticator make_authenticator(AuthService& service) {
  return [&service](const http::RawRequest& raw) -> Result<std::optional<Principal>> {
    const std::string_view header = raw[field::authorization];
    if (header.empty()) return std::optional<Principal>{};
    constexpr std::string_view k_scheme = "bearer ";
    std::string scheme(header.substr(0, k_scheme.size()));
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != k_scheme)
      return Error::make(ErrorKind::unauthenticated, "invalid_token",
                         "Send an access token as 'Authorization: Bearer <token>'.");
    auto claims = service.authenticate(header.substr(k_scheme.size()));
    if (!claims) return claims.error();
    Principal p;
    p.user_id = claims->user_id;
    p.role = claims->role;
    p.session_id = claims->session_id;
    return std::optional<Principal>{std::move(p)};
  };
}

http::Handler jwks(HandlerDeps d) {
  return [d](http::Request&) -> http::Reply {
    auto res = http::json_response(d.service->jwks());
    res.set(field::content_type, "application/jwk-set+json");
    res.set(field::cache_control, "public, max-age=300");
    co_return res;
  };
}

http::Handler register_account(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    auto body =
        json_body(req, {"email", "password", "name", "phone", "role", "agency", "rera_number"});
    if (!body) co_return body.error();
    Registration r{opt(*body, "email"),      opt(*body, "password"), opt(*body, "name"),
                   opt(*body, "phone"),      opt(*body, "role"),     opt(*body, "agency"),
                   opt(*body, "rera_number")};
    auto done =
        co_await on_workers(d, [&] { return d.service->register_account(r, req.caller()); });
    if (!done) co_return done.error();
    co_return accepted("If the address can be used, a verification email is on its way.");
  };
}

http::Handler sign_in(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    auto body = json_body(req, {"email", "phone", "password"});
    if (!body) co_return body.error();
    const auto id = opt(*body, "email").value_or(opt(*body, "phone").value_or(""));
    const auto password = opt(*body, "password").value_or("");
    auto t = co_await on_workers(d, [&] { return d.service->sign_in(id, password, req.caller()); });
    if (!t) co_return t.error();
    co_return tokens_response(*t);
  };
}

http::Handler refresh(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    auto body = json_body(req, {"refresh_token"});
    if (!body) co_return body.error();
    const auto token = opt(*body, "refresh_token").value_or("");
    auto t = co_await on_workers(d, [&] { return d.service->refresh(token, req.caller()); });
    if (!t) co_return t.error();
    co_return tokens_response(*t);
  };
}

http::Handler sign_out(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    const auto& p = *req.principal;
    auto done =
        co_await on_workers(d, [&] { return d.service->sign_out(p.user_id, p.session_id); });
    if (!done) co_return done.error();
    co_return http::no_content();
  };
}

http::Handler verify_email(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    auto body = json_body(req, {"token"});
    if (!body) co_return body.error();
    auto token = required(*body, {"token"});
    if (!token) co_return token.error();
    auto done = co_await on_workers(d, [&] { return d.service->verify_email(token->at(0)); });
    if (!done) co_return done.error();
    co_return http::json_response(json::object{{"status", "verified"}});
  };
}

http::Handler resend_verification(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    const auto id = req.principal->user_id;
    auto done = co_await on_workers(d, [&] { return d.service->send_email_verification(id); });
    if (!done) co_return done.error();
    co_return accepted("A verification email is on its way.");
  };
}

http::Handler forgot_password(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    auto body = json_body(req, {"email"});
    if (!body) co_return body.error();
    auto email = required(*body, {"email"});
    if (!email) co_return email.error();
    auto done = co_await on_workers(
        d, [&] { return d.service->forgot_password(email->at(0), req.caller()); });
    if (!done) co_return done.error();
    co_return accepted("If an account has this address, a reset link is on its way.");
  };
}

http::Handler reset_password(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    auto body = json_body(req, {"token", "password"});
    if (!body) co_return body.error();
    auto token = required(*body, {"token"});
    if (!token) co_return token.error();
    const auto password = opt(*body, "password").value_or("");
    auto done =
        co_await on_workers(d, [&] { return d.service->reset_password(token->at(0), password); });
    if (!done) co_return done.error();
    co_return http::no_content();
  };
}

http::Handler request_otp(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    auto body = json_body(req, {"phone"});
    if (!body) co_return body.error();
    auto phone = required(*body, {"phone"});
    if (!phone) co_return phone.error();
    auto done = co_await on_workers(
        d, [&] { return d.service->request_otp(phone->at(0), req.caller()); });
    if (!done) co_return done.error();
    co_return accepted("A code is on its way by SMS.");
  };
}

http::Handler verify_otp(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    auto body = json_body(req, {"phone", "code"});
    if (!body) co_return body.error();
    auto given = required(*body, {"phone", "code"});
    if (!given) co_return given.error();
    auto t = co_await on_workers(
        d, [&] { return d.service->verify_otp(given->at(0), given->at(1), req.caller()); });
    if (!t) co_return t.error();
    co_return tokens_response(*t);
  };
}

http::Handler oidc_start(HandlerDeps d) {
  return [d](http::Request&) -> http::Reply {
    auto start = co_await on_workers(d, [&] { return d.service->oidc_start(); });
    if (!start) co_return start.error();
    http::Response res{status::found, 11};
    res.set(field::location, start->url);
    res.set(field::set_cookie, state_cookie(*d.service, start->state, 600));
    res.set(field::cache_control, "no-store");
    co_return res;
  };
}

http::Handler oidc_callback(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    if (auto err = req.query_param("error"))
      co_return Error::make(ErrorKind::forbidden, "oidc_denied",
                            "The identity provider did not sign you in.", *err);
    const auto code = req.query_param("code").value_or("");
    const auto state = req.query_param("state").value_or("");
    const auto browser_state = cookie_value(req.raw[field::cookie], k_state_cookie);
    if (code.empty() || code.size() > 2048)
      co_return Error::field("/code", FieldCode::required, "the provider sent no code",
                             FieldIn::query);
    auto t = co_await on_workers(
        d, [&] { return d.service->oidc_finish(code, state, browser_state, req.caller()); });
    if (!t) co_return t.error();
    auto res = tokens_response(*t);
    res.set(field::set_cookie, state_cookie(*d.service, "", 0));
    co_return res;
  };
}

http::Handler me(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    const auto id = req.principal->user_id;
    auto u = co_await on_workers(d, [&] { return d.service->user(id); });
    if (!u) co_return u.error();
    co_return http::json_response(user_json(*u));
  };
}

http::Handler update_me(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    // The allowlist: role, status, email and the verified flags are not offered.
    auto body = json_body(req, {"name", "phone", "agency", "rera_number"});
    if (!body) co_return body.error();
    ProfileChange c{opt(*body, "name"), opt(*body, "phone"), opt(*body, "agency"),
                    opt(*body, "rera_number")};
    const auto id = req.principal->user_id;
    auto u = co_await on_workers(d, [&] { return d.service->update_profile(id, c); });
    if (!u) co_return u.error();
    co_return http::json_response(user_json(*u));
  };
}

http::Handler change_password(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    auto body = json_body(req, {"current_password", "new_password"});
    if (!body) co_return body.error();
    const auto current = opt(*body, "current_password").value_or("");
    const auto next = opt(*body, "new_password").value_or("");
    const auto id = req.principal->user_id;
    auto done =
        co_await on_workers(d, [&] { return d.service->change_password(id, current, next); });
    if (!done) co_return done.error();
    co_return http::no_content();
  };
}

http::Handler list_sessions(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    const auto& p = *req.principal;
    auto list = co_await on_workers(d, [&] { return d.service->sessions(p.user_id); });
    if (!list) co_return list.error();
    json::array items;
    for (const auto& s : *list)
      items.push_back({{"id", s.id},
                       {"created_at", s.created_at},
                       {"last_used_at", s.last_used_at},
                       {"expires_at", s.expires_at},
                       {"user_agent", s.user_agent},
                       {"ip", s.ip},
                       {"current", s.id == p.session_id}});
    co_return http::json_response(json::object{{"items", std::move(items)}});
  };
}

http::Handler revoke_session(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    const auto user_id = req.principal->user_id;
    const std::string id = req.param("id")->value;
    auto done = co_await on_workers(d, [&] { return d.service->revoke_session(user_id, id); });
    if (!done) co_return done.error();
    co_return http::no_content();
  };
}

http::Handler admin_list_users(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    Problems problems(FieldIn::query);
    QueryReader query(req.query_params(), problems);
    const auto q = query.text("q").value_or("");
    const std::int64_t after = query.integer("after", 0, 0, INT64_MAX);
    const int limit = static_cast<int>(query.integer("limit", 20, 1, 100));
    if (!problems.empty()) co_return problems.error();
    auto page = co_await on_workers(d, [&] { return d.service->list_users(q, after, limit); });
    if (!page) co_return page.error();
    json::array items;
    for (const auto& u : page->users) items.push_back(user_json(u));
    json::object body{{"items", std::move(items)}};
    body["next_after"] = page->next_after ? json::value(*page->next_after) : json::value(nullptr);
    co_return http::json_response(body);
  };
}

http::Handler admin_get_user(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    const auto id = req.int_param("id");
    auto u = co_await on_workers(d, [&] { return d.service->user(id); });
    if (!u) co_return u.error();
    co_return http::json_response(user_json(*u));
  };
}

namespace {
http::Handler admin_status(HandlerDeps d, std::string status_to) {
  return [d, status_to](http::Request& req) -> http::Reply {
    const auto admin = req.principal->user_id;
    const auto id = req.int_param("id");
    auto u = co_await on_workers(d, [&] { return d.service->set_status(admin, id, status_to); });
    if (!u) co_return u.error();
    co_return http::json_response(user_json(*u));
  };
}
}  // namespace

http::Handler admin_lock_user(HandlerDeps d) {
  return admin_status(d, "locked");
}
http::Handler admin_unlock_user(HandlerDeps d) {
  return admin_status(d, "active");
}

http::Handler admin_set_role(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    auto body = json_body(req, {"role"});
    if (!body) co_return body.error();
    auto role = required(*body, {"role"});
    if (!role) co_return role.error();
    const auto admin = req.principal->user_id;
    const auto id = req.int_param("id");
    auto u = co_await on_workers(d, [&] { return d.service->set_role(admin, id, role->at(0)); });
    if (!u) co_return u.error();
    co_return http::json_response(user_json(*u));
  };
}

http::Handler verify_email_page(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    const auto token = req.query_param("token").value_or("");
    auto done = co_await on_workers(d, [&] { return d.service->verify_email(token); });
    if (!done)
      co_return http::link_page("Link not valid",
                                "<p>" + http::html_escape(done.error().message) +
                                    "</p><p>Sign in and ask for a new verification email.</p>",
                                http::status_for(done.error().kind));
    co_return http::link_page("Email verified",
                              "<p>Your email address is verified. You can close this page.</p>");
  };
}

http::Handler reset_password_page(HandlerDeps) {
  return [](http::Request& req) -> http::Reply {
    const auto token = req.query_param("token").value_or("");
    if (token.empty())
      co_return http::link_page(
          "Reset your password",
          "<p>Ask for a reset link from the sign-in page; it arrives by email.</p>");
    co_return http::link_page(
        "Choose a new password",
        "<form method=\"post\" action=\"/account/reset-password\">"
        "<input type=\"hidden\" name=\"token\" value=\"" +
            http::html_escape(token) +
            "\"><label>New password (12 to 128 characters) <input type=\"password\" "
            "name=\"password\" minlength=\"12\" maxlength=\"128\" required "
            "autocomplete=\"new-password\"></label> <button type=\"submit\">Save</button></form>");
  };
}

http::Handler reset_password_form(HandlerDeps d) {
  return [d](http::Request& req) -> http::Reply {
    std::string token, password;
    for (auto& [key, value] : parse_form(req.raw.body())) {
      if (key == "token")
        token = std::move(value);
      else if (key == "password")
        password = std::move(value);
    }
    auto done = co_await on_workers(d, [&] { return d.service->reset_password(token, password); });
    if (!done) {
      std::string why = http::html_escape(done.error().message);
      for (const auto& f : done.error().fields) why += " " + http::html_escape(f.message);
      co_return http::link_page("Password not changed", "<p>" + why + "</p>",
                                http::status_for(done.error().kind));
    }
    co_return http::link_page(
        "Password changed",
        "<p>Your password is changed and every device was signed out. Sign in "
        "with the new password.</p>");
  };
}

}  // namespace griha::auth
