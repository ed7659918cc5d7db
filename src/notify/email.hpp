// Outgoing email behind one interface: SMTP through libcurl, or the log for local runs.
// Sending blocks: callers run it on the worker pool.
#pragma once

#include <memory>
#include <string>

#include "core/error.hpp"
#include "notify/options.hpp"

namespace griha::notify {

struct Email {
  std::string to;
  std::string subject;
  std::string text;  // plain-text body
};

class EmailSender {
 public:
  virtual ~EmailSender() = default;
  virtual Result<void> send(const Email& email) = 0;
};

std::unique_ptr<EmailSender> make_email_sender(const EmailOptions& options);

// The RFC 5322 message (headers and CRLF body) that SMTP carries; public for its tests.
std::string format_message(const Email& email, const std::string& from,
                           const std::string& message_id, const std::string& date);

}  // namespace griha::notify
