// The transactional outbox: a message is written in the same transaction as the event that
// causes it (a lead, a booking), so it leaves if and only if that event committed. The
// Dispatcher sends due messages in the background with retries and exponential backoff;
// after `max_attempts` failures a message is dead-lettered, where admins can see and retry it.
// In-app notifications are rows the user reads through the API: they need no dispatch.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "notify/email.hpp"
#include "notify/sms.hpp"
#include "storage/executor.hpp"

namespace griha::notify {

enum class Channel { email, sms };

struct Outgoing {
  Channel channel = Channel::email;
  std::string kind;  // what caused it, for logs and the admin list: "lead.new", "visit.reminder"
  std::string to;    // an email address, or a +91 mobile number for SMS
  std::string subject;
  std::string text;  // the plain-text body (the whole message for SMS)
  std::string html;  // optional HTML alternative for email
  std::vector<Attachment> attachments;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. List-Unsubscribe
  // Pending messages sharing a cancel key can be called off together (a cancelled visit's
  // reminders). Empty: none.
  std::string cancel_key;
  // When to send, UTC ISO-8601; empty means now. Reminders are scheduled this way.
  std::string send_at;
};

struct InAppNotification {
  std::int64_t user_id = 0;
  std::string kind;
  std::string title;
  std::string body;
  std::string link;  // a path in the web app, e.g. "/dashboard/leads/12"
};

// Both write inside the caller's transaction (a Transaction, not any Executor: a message is
// written with the event that causes it or not at all); `now` is UTC ISO-8601.
Result<void> enqueue(storage::Transaction& tx, const Outgoing& message, const std::string& now);
Result<void> notify_in_app(storage::Transaction& tx, const InAppNotification& notification,
                           const std::string& now);
// Calls off pending messages with this key; returns how many.
Result<std::int64_t> cancel_pending(storage::Transaction& tx, const std::string& cancel_key);

class Dispatcher {
 public:
  Dispatcher(storage::Database& db, EmailSender& email, SmsSender& sms, DispatchOptions options,
             Clock clock);

  // Claims the due messages and tries each once; returns how many were sent. Blocking.
  Result<int> run_once();
  // Loops until stopped, waking every poll interval or on wake().
  void run(std::stop_token stop);
  // Asks the loop to look now (after a commit that enqueued something).
  void wake();

  std::int64_t sent_total() const;
  std::int64_t failed_total() const;
  std::int64_t dead_total() const;

 private:
  Result<void> deliver(const storage::Row& row);

  struct State;
  storage::Database& db_;
  EmailSender& email_;
  SmsSender& sms_;
  DispatchOptions options_;
  Clock clock_;
  std::shared_ptr<State> state_;
};

// A user's in-app notifications, newest first, with ids below `before_id`.
struct Notification {
  std::int64_t id = 0;
  std::string kind, title, body, link, created_at;
  std::optional<std::string> read_at;
};
Result<std::vector<Notification>> notifications(storage::Executor ex, std::int64_t user_id,
                                                std::int64_t before_id, bool unread_only,
                                                int limit);
Result<std::int64_t> unread_notifications(storage::Executor ex, std::int64_t user_id);
// False when the user has no notification with this id (another user's included).
Result<bool> mark_notification_read(storage::Executor ex, std::int64_t id, std::int64_t user_id,
                                    const std::string& now);
Result<void> mark_all_notifications_read(storage::Executor ex, std::int64_t user_id,
                                         const std::string& now);

// Admin views of the outbox.
struct OutboxEntry {
  std::int64_t id = 0;
  std::string delivery_id, channel, kind, recipient, subject, status, last_error;
  std::int64_t attempts = 0;
  std::string next_attempt_at, created_at;
  std::optional<std::string> sent_at;
};
Result<std::vector<OutboxEntry>> list_outbox(storage::Executor ex, const std::string& status,
                                             std::int64_t before_id, int limit);
// Deletes sent and cancelled messages created before `before`: their bodies hold codes, links
// and contact details that need not be kept. Returns how many.
Result<std::int64_t> purge_outbox(storage::Executor ex, const std::string& before);
// A dead message goes back to pending with a fresh attempt budget; 404 if it is not dead.
Result<void> retry_dead(storage::Executor ex, std::int64_t id, const std::string& now);

}  // namespace griha::notify
