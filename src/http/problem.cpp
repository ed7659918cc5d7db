#include "http/problem.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

namespace griha::http {

bhttp::status status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid:
      return bhttp::status::bad_request;
    case ErrorKind::unprocessable:
      return bhttp::status::unprocessable_entity;
    case ErrorKind::unauthenticated:
      return bhttp::status::unauthorized;
    case ErrorKind::forbidden:
      return bhttp::status::forbidden;
    case ErrorKind::not_found:
      return bhttp::status::not_found;
    case ErrorKind::conflict:
      return bhttp::status::conflict;
    case ErrorKind::precondition_failed:
      return bhttp::status::precondition_failed;
    case ErrorKind::too_large:
      return bhttp::status::payload_too_large;
    case ErrorKind::unsupported:
      return bhttp::status::unsupported_media_type;
    case ErrorKind::rate_limited:
      return bhttp::status::too_many_requests;
    case ErrorKind::unavailable:
      return bhttp::status::service_unavailable;
    case ErrorKind::internal:
      return bhttp::status::internal_server_error;
  }
  return bhttp::status::internal_server_error;
}

Response problem_response(const Error& error, std::string_view instance,
                          std::optional<bhttp::status> status_override) {
  const auto status = status_override.value_or(status_for(error.kind));
  // The client gets the message; the operator needs the detail of what went wrong here.
  if (static_cast<unsigned>(status) >= 500)
    spdlog::error("{} {}: {} ({})", instance, error.code, error.message, error.detail);
  boost::json::object body;
  // "type" is a stable URI per code so clients can switch on either.
  body["type"] = "https://griha.dev/problems/" + error.code;
  body["title"] = std::string(bhttp::obsolete_reason(status));
  body["status"] = static_cast<int>(status);
  body["code"] = error.code;
  body["detail"] = error.message;
  body["instance"] = instance;
  if (!error.fields.empty()) {
    boost::json::array errors;
    for (const auto& f : error.fields)
      errors.push_back({{"field", f.field},
                        {"in", to_string(f.in)},
                        {"code", to_string(f.code)},
                        {"message", f.message}});
    body["errors"] = std::move(errors);
  }
  Response res = json_response(body, status);
  res.set(bhttp::field::content_type, "application/problem+json");
  if (error.retry_after_seconds > 0)
    res.set(bhttp::field::retry_after, std::to_string(error.retry_after_seconds));
  return res;
}

}  // namespace griha::http
