// Outgoing email behind one interface: SMTP through libcurl, or the log for local runs.
// Sending blocks: callers run it on the worker pool.
#pragma once

struct curl_mime;  // libcurl's; only the tests and email.cpp look inside

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

// The message as the SMTP sender hands it to libcurl, public for its tests: the header lines
// (CR and LF dropped from every value, the subject encoded) and the MIME body, built with
// libcurl's curl_mime on the easy handle `curl` (a CURL*): text, its HTML alternative, then
// attachments, each part base64-encoded.
std::vector<std::string> message_headers(const Email& email, const std::string& from,
                                         const std::string& message_id, const std::string& date);
std::unique_ptr<curl_mime, void (*)(curl_mime*)> message_body(void* curl, const Email& email);

}  // namespace griha::notify
