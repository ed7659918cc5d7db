#include "http/types.hpp"

#include "core/validation.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "core/text.hpp"

namespace griha::http {

const PathParam* Request::param(std::string_view name) const {
  for (const auto& p : params)
    if (p.name == name) return &p;
  return nullptr;
}

std::int64_t Request::int_param(std::string_view name) const {
  const PathParam* p = param(name);
  return p ? p->as_int : 0;
}

std::vector<std::pair<std::string, std::string>> Request::query_params() const {
  return parse_form(query);
}

Principal Request::caller() const {
  Principal p = principal.value_or(Principal{});
  p.ip = remote_ip;
  p.user_agent = std::string(raw[bhttp::field::user_agent]);
  return p;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  for (auto& [key, value] : query_params())
    if (key == name) return std::move(value);
  return std::nullopt;
}

Result<boost::json::object> json_object_body(const Request& req) {
  if (req.raw.body().empty()) return boost::json::object();
  const std::string_view type = req.raw[bhttp::field::content_type];
  if (!type.starts_with("application/json"))
    return Error::make(ErrorKind::unsupported, "unsupported_media_type",
                       "Send the body as application/json.");
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(req.raw.body(), ec);
  if (ec || !v.is_object())
    return Error::make(ErrorKind::invalid, "invalid_json", "The body must be a JSON object.");
  return std::move(v.as_object());
}

Result<std::int64_t> int_query_param(const Request& req, std::string_view name,
                                     std::int64_t default_value, std::int64_t lo, std::int64_t hi) {
  Problems problems(FieldIn::query);
  QueryReader query(req.query_params(), problems);
  const std::int64_t v = query.integer(name, default_value, lo, hi);
  if (!problems.empty()) return problems.error();
  return v;
}

Response json_response(const boost::json::value& body, bhttp::status status) {
  return text_response(boost::json::serialize(body), "application/json", status);
}

Response text_response(std::string body, std::string_view content_type, bhttp::status status) {
  Response res{status, 11};
  res.set(bhttp::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

Response no_content() {
  return Response{bhttp::status::no_content, 11};
}

Response link_page(std::string_view title, const std::string& body_html, bhttp::status status) {
  auto res = text_response(
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width\"><meta name=\"referrer\" content=\"no-referrer\"><title>" +
          html_escape(title) + " · Griha</title></head><body><main><h1>" + html_escape(title) +
          "</h1>" + body_html + "</main></body></html>",
      "text/html; charset=utf-8", status);
  res.set(bhttp::field::cache_control, "no-store");
  res.set("Referrer-Policy", "no-referrer");
  return res;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace griha::http
