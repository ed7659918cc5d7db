#include "http/types.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/parse_query.hpp>

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

std::optional<std::string> Request::query_param(std::string_view name) const {
  auto parsed = boost::urls::parse_query(query);
  if (!parsed) return std::nullopt;
  for (auto param : *parsed)
    if (param.key == name) return std::string(param.value);
  return std::nullopt;
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

}  // namespace griha::http
