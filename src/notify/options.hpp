// Which email and SMS providers griha uses, and how to reach them (config [email], [sms]).
#pragma once

#include <string>

namespace griha::notify {

struct EmailOptions {
  std::string provider = "log";  // "log" writes messages to the log; "smtp" sends them
  std::string smtp_url = "smtp://127.0.0.1:25";  // smtps://host:465 for implicit TLS
  bool smtp_starttls = false;                    // require STARTTLS on smtp:// URLs
  std::string smtp_username;
  std::string smtp_password;
  std::string from = "Griha <no-reply@griha.local>";
};

struct SmsOptions {
  std::string provider = "log";  // "log" or "http"
  std::string http_url;          // the gateway's endpoint, POSTed to
  // The request body; {{to}} and {{text}} are replaced, JSON-escaped.
  std::string http_body_template = R"({"to":"{{to}}","text":"{{text}}"})";
  std::string http_content_type = "application/json";
  std::string http_authorization;  // sent as the Authorization header when set
};

}  // namespace griha::notify
