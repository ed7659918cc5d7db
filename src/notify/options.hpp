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
  // The log provider also appends each email here as a JSON line (notify/sink.hpp), for
  // tests; empty: off.
  std::string sink_file;
};

struct SmsOptions {
  std::string provider = "log";  // "log" or "http"
  std::string http_url;          // the gateway's endpoint, POSTed to
  // The request body; {{to}}, {{text}} and {{id}} (the delivery id, also sent as the
  // Idempotency-Key header) are replaced, JSON-escaped.
  std::string http_body_template = R"({"to":"{{to}}","text":"{{text}}"})";
  std::string http_content_type = "application/json";
  std::string http_authorization;  // sent as the Authorization header when set
  // The log provider also appends each SMS here as a JSON line (notify/sink.hpp), for tests;
  // empty: off.
  std::string sink_file;
};

// How the outbox dispatcher retries (config [notify]).
struct DispatchOptions {
  int max_attempts = 8;         // then the message is dead-lettered
  int retry_base_seconds = 30;  // backoff: base * 2^(attempt-1), capped, with jitter
  int retry_max_seconds = 3600;
  int poll_seconds = 2;         // how often the loop looks for due messages
  // A claim must outlast the batch it covers (batch × the providers' 15 s timeout), or
  // another node could take over messages still being sent.
  int batch = 10;            // messages claimed per round
  int claim_seconds = 300;   // a claimed message is retried by others after this
};

}  // namespace griha::notify
