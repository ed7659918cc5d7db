// Outgoing email behind one interface: SMTP through libcurl, or the log for local runs.
// Sending blocks: callers run it on the worker pool.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "notify/options.hpp"

namespace griha::notify {

struct Attachment {
  std::string filename;      // e.g. "visit.ics"
  std::string content_type;  // e.g. "text/calendar; method=REQUEST"
  std::string content;
};

struct Email {
  std::string to;
  std::string subject;
  std::string text;  // plain-text body
  std::string html;  // optional HTML alternative
  std::vector<Attachment> attachments;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // The Message-ID's local part: the outbox passes its delivery id so that a resend after a
  // lost acknowledgement carries the same id and receivers can drop the duplicate. Random
  // when empty.
  std::string message_id;
};

class EmailSender {
 public:
  virtual ~EmailSender() = default;
  virtual Result<void> send(const Email& email) = 0;
};

std::unique_ptr<EmailSender> make_email_sender(const EmailOptions& options);

// A header value as RFC 2047 encoded words when it is not ASCII ("Visit at ₹85 L"), split
// into words of at most 75 characters on character boundaries; CR and LF are dropped.
std::string encoded_header(const std::string& value);

// The RFC 5322 message (headers and CRLF body) that SMTP carries; public for its tests.
std::string format_message(const Email& email, const std::string& from,
                           const std::string& message_id, const std::string& date);

}  // namespace griha::notify
