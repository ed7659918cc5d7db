// The request and response types every handler sees, and the handler signature.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/before_commit.hpp"
#include "core/error.hpp"
#include "core/principal.hpp"

namespace griha::http {

namespace bhttp = boost::beast::http;
using RawRequest = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

// A typed path parameter captured by the router ("{id:int}" -> int, "{slug}" -> string).
struct PathParam {
  std::string_view name;
  std::string value;
  std::int64_t as_int = 0;
};

// What a route requires of the caller, declared in the route table and enforced by the
// server before the handler runs: 401 without a valid credential, 403 with the wrong role.
// Object-level checks (is this listing yours?) are the services' job.
struct Access {
  enum class Kind { anyone, signed_in, roles } kind = Kind::anyone;
  std::vector<Role> roles;  // with Kind::roles: any of these

  static Access anyone() { return {}; }
  static Access signed_in() { return {Kind::signed_in, {}}; }
  static Access role(std::vector<Role> any_of) { return {Kind::roles, std::move(any_of)}; }
};

struct Request {
  RawRequest raw;
  std::string_view path;   // decoded path, no query
  std::string_view query;  // raw query string, no '?'
  std::vector<PathParam> params;
  std::string request_id;
  std::string remote_ip;
  std::optional<Principal> principal;  // set when the request carried a valid credential
  // Set by app::idempotent() on a request with an Idempotency-Key: stores `answer` as the
  // key's answer inside `tx`. A handler whose service writes passes it down (keep_answer()
  // below), so that the writes and the stored answer commit together.
  std::function<Result<void>(storage::Transaction& tx, const Response& answer)> keep_answer;

  // Who is asking, as services take it: the principal (or nobody, user_id 0) with the
  // request's IP address and User-Agent.
  Principal caller() const;

  const PathParam* param(std::string_view name) const;
  std::int64_t int_param(std::string_view name) const;  // router guarantees it parsed
  // The first value of a query parameter, percent-decoded (+ is a space).
  std::optional<std::string> query_param(std::string_view name) const;
  // Every query parameter in order, percent-decoded (repeats kept: bhk=2&bhk=3).
  std::vector<std::pair<std::string, std::string>> query_params() const;
};

// A handler answers with a response or an Error; the server renders every Error as
// problem+json in one place (http/problem.cpp), so handlers never build problems themselves.
using Reply = boost::asio::awaitable<Result<Response>>;
using Handler = std::function<Reply(Request&)>;

// The hook a service runs before it commits, storing the response `render` makes of its
// result as the request's idempotent answer; empty when the request has no Idempotency-Key.
template <class T, class Render>
BeforeCommit<T> keep_answer(const Request& req, Render render) {
  if (!req.keep_answer) return {};
  return [&req, render](storage::Transaction& tx, const T& result) -> Result<void> {
    return req.keep_answer(tx, render(result));
  };
}

// Turns a request's credentials (the Authorization header) into a Principal: nullopt when it
// carries none, an error when it carries a bad one. Runs on the I/O thread, so it must not
// block (signature checks only; no database).
using Authenticator = std::function<Result<std::optional<Principal>>(const RawRequest&)>;

// The request body as a JSON object: 415 unless Content-Type is application/json, 400 with
// code invalid_json when it does not parse or is not an object. An empty body is {}.
Result<boost::json::object> json_object_body(const Request& req);

// A query parameter as an integer in [lo, hi] (default when absent), or a 400 naming it
// ("/name", in the query). For several parameters, a QueryReader (core/validation.hpp)
// reports every problem at once.
Result<std::int64_t> int_query_param(const Request& req, std::string_view name,
                                     std::int64_t default_value, std::int64_t lo, std::int64_t hi);

// Builders used by handlers. Status defaults to 200.
Response json_response(const boost::json::value& body, bhttp::status status = bhttp::status::ok);
Response text_response(std::string body, std::string_view content_type,
                       bhttp::status status = bhttp::status::ok);
Response no_content();  // 204
// A small server-rendered page for links opened from emails (verify, reset, unsubscribe):
// `title` is escaped, `body_html` is inserted as given. The link's token is in the URL, so
// the page is kept out of caches and Referer headers.
Response link_page(std::string_view title, const std::string& body_html,
                   bhttp::status status = bhttp::status::ok);

// & < > " ' as HTML entities.
std::string html_escape(std::string_view s);

}  // namespace griha::http
