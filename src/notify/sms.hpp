// Outgoing SMS behind one interface: an HTTP gateway with a configurable URL and body
// template, or the log for local runs. Sending blocks: callers run it on the worker pool.
#pragma once

#include <memory>
#include <string>

#include "core/error.hpp"
#include "notify/options.hpp"

namespace griha::notify {

class SmsSender {
 public:
  virtual ~SmsSender() = default;
  // `delivery_id` identifies this message across resends (empty: none), so that a gateway
  // which saw the first attempt can drop the second.
  virtual Result<void> send(const std::string& to, const std::string& text,
                            const std::string& delivery_id) = 0;
};

std::unique_ptr<SmsSender> make_sms_sender(const SmsOptions& options);

// The template with {{to}}, {{text}} and {{id}} (the delivery id) replaced by JSON-escaped
// values.
std::string render_sms_body(const std::string& templ, const std::string& to,
                            const std::string& text, const std::string& delivery_id);

}  // namespace griha::notify
