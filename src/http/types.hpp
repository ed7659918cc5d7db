// The request and response types every handler sees, and the handler signature.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

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

struct Request {
  RawRequest raw;
  std::string_view path;   // decoded path, no query
  std::string_view query;  // raw query string, no '?'
  std::vector<PathParam> params;
  std::string request_id;
  std::string remote_ip;

  const PathParam* param(std::string_view name) const;
  std::int64_t int_param(std::string_view name) const;  // router guarantees it parsed
  std::optional<std::string> query_param(std::string_view name) const;
};

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

// Builders used by handlers. Status defaults to 200.
Response json_response(const boost::json::value& body, bhttp::status status = bhttp::status::ok);
Response text_response(std::string body, std::string_view content_type,
                       bhttp::status status = bhttp::status::ok);

}  // namespace griha::http
