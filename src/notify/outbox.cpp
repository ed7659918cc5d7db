#include "notify/outbox.hpp"

#include <spdlog/spdlog.h>
#include "core/crypto.hpp"

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <cmath>
#include <condition_variable>
#include <mutex>

#include "storage/executor.hpp"

namespace griha::notify {
namespace {

namespace json = boost::json;
using storage::params;
using storage::Query;

constexpr Query k_insert{"outbox_insert", R"(
INSERT INTO outbox (delivery_id, channel, kind, recipient, subject, body_text, body_html, extras,
                    cancel_key, status, attempts, next_attempt_at, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, $10, $11))"};

constexpr Query k_insert_notification{"notification_insert", R"(
INSERT INTO notifications (user_id, kind, title, body, link, created_at)
VALUES ($1, $2, $3, $4, $5, $6))"};

constexpr Query k_notifications{"notifications_list", R"(
SELECT id, kind, title, body, link, created_at, read_at FROM notifications
WHERE user_id = $1 AND id < $2 AND ($3 = 0 OR read_at IS NULL)
ORDER BY id DESC LIMIT $4)"};
constexpr Query k_unread{"notifications_unread", R"(
SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL)"};
// The user id in the WHERE clause is the object-level check: another user's id matches nothing.
constexpr Query k_read{"notifications_read", R"(
UPDATE notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2)"};
constexpr Query k_read_all{"notifications_read_all", R"(
UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL)"};

constexpr Query k_cancel{"outbox_cancel", R"(
UPDATE outbox SET status = 'cancelled' WHERE cancel_key = $1 AND status = 'pending')"};

// Claims up to $3 due messages for $1 (the claim's end): other dispatchers skip them until
// then. PostgreSQL's SKIP LOCKED lets several nodes claim side by side; SQLite has one writer.
constexpr Query k_claim{"outbox_claim", R"(
UPDATE outbox SET claimed_until = $1, claim_token = $4, attempts = attempts + 1
WHERE id IN (SELECT id FROM outbox
             WHERE status = 'pending' AND next_attempt_at <= $2
               AND (claimed_until IS NULL OR claimed_until <= $2)
             ORDER BY next_attempt_at, id LIMIT $3)
RETURNING id, delivery_id, channel, kind, recipient, subject, body_text, body_html, extras,
          attempts)",
                        R"(
UPDATE outbox SET claimed_until = $1, claim_token = $4, attempts = attempts + 1
WHERE id IN (SELECT id FROM outbox
             WHERE status = 'pending' AND next_attempt_at <= $2
               AND (claimed_until IS NULL OR claimed_until <= $2)
             ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
RETURNING id, delivery_id, channel, kind, recipient, subject, body_text, body_html, extras,
          attempts)"};

// Only a message still pending under this dispatcher's claim changes: one cancelled while in
// flight stays cancelled, and a claim that lapsed and was taken by another node is theirs.
constexpr Query k_mark_sent{"outbox_mark_sent", R"(
UPDATE outbox SET status = 'sent', sent_at = $2, claimed_until = NULL, last_error = ''
WHERE id = $1 AND status = 'pending' AND claim_token = $3)"};
constexpr Query k_mark_retry{"outbox_mark_retry", R"(
UPDATE outbox SET next_attempt_at = $2, claimed_until = NULL, last_error = $3
WHERE id = $1 AND status = 'pending' AND claim_token = $4)"};
constexpr Query k_mark_dead{"outbox_mark_dead", R"(
UPDATE outbox SET status = 'dead', claimed_until = NULL, last_error = $2
WHERE id = $1 AND status = 'pending' AND claim_token = $3)"};
constexpr Query k_purge{"outbox_purge", R"(
DELETE FROM outbox WHERE status IN ('sent', 'cancelled') AND created_at < $1)"};

constexpr Query k_list{"outbox_list", R"(
SELECT id, delivery_id, channel, kind, recipient, subject, status, last_error, attempts,
       next_attempt_at, created_at, sent_at
FROM outbox WHERE status = $1 AND id < $2 ORDER BY id DESC LIMIT $3)"};

constexpr Query k_retry_dead{"outbox_retry_dead", R"(
UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, claimed_until = NULL
WHERE id = $1 AND status = 'dead')"};

std::string extras_json(const Outgoing& m) {
  json::array attachments;
  for (const auto& a : m.attachments)
    attachments.push_back(
        {{"filename", a.filename}, {"content_type", a.content_type}, {"content", a.content}});
  json::array headers;
  for (const auto& [k, v] : m.headers) headers.push_back(json::array{k, v});
  return json::serialize(json::object{{"attachments", attachments}, {"headers", headers}});
}

void read_extras(const std::string& text, Email& e) {
  const auto v = json::parse(text);
  for (const auto& a : v.at("attachments").as_array())
    e.attachments.push_back({std::string(a.at("filename").as_string()),
                             std::string(a.at("content_type").as_string()),
                             std::string(a.at("content").as_string())});
  for (const auto& h : v.at("headers").as_array())
    e.headers.emplace_back(std::string(h.as_array().at(0).as_string()),
                           std::string(h.as_array().at(1).as_string()));
}

}  // namespace

Result<void> enqueue(storage::Transaction& tx, const Outgoing& m, const std::string& now) {
  if (m.to.empty()) return Error::internal("outbox message " + m.kind + " has no recipient");
  const std::optional<std::string> cancel_key =
      m.cancel_key.empty() ? std::nullopt : std::optional(m.cancel_key);
  return storage::done(storage::Executor(tx).execute(
      k_insert, params(random_hex(16), m.channel == Channel::email ? "email" : "sms", m.kind, m.to,
                       m.subject, m.text, m.html, extras_json(m), cancel_key,
                       m.send_at.empty() ? now : m.send_at, now)));
}

Result<void> notify_in_app(storage::Transaction& tx, const InAppNotification& n,
                           const std::string& now) {
  return storage::done(storage::Executor(tx).execute(
      k_insert_notification, params(n.user_id, n.kind, n.title, n.body, n.link, now)));
}

Result<std::int64_t> cancel_pending(storage::Transaction& tx, const std::string& cancel_key) {
  return storage::Executor(tx).execute(k_cancel, params(cancel_key));
}

Result<std::vector<Notification>> notifications(storage::Executor ex, std::int64_t user_id,
                                                std::int64_t before_id, bool unread_only,
                                                int limit) {
  return ex.all(k_notifications, params(user_id, before_id, unread_only, limit),
                [](const storage::Row& r) {
                  return Notification{r.i64("id"),          r.text("kind"), r.text("title"),
                                      r.text("body"),       r.text("link"), r.text("created_at"),
                                      r.opt_text("read_at")};
                });
}

Result<std::int64_t> unread_notifications(storage::Executor ex, std::int64_t user_id) {
  return ex.one_value<std::int64_t>(k_unread, params(user_id), "n");
}

Result<bool> mark_notification_read(storage::Executor ex, std::int64_t id, std::int64_t user_id,
                                    const std::string& now) {
  auto changed = ex.execute(k_read, params(id, user_id, now));
  if (!changed) return changed.error();
  return *changed > 0;
}

Result<void> mark_all_notifications_read(storage::Executor ex, std::int64_t user_id,
                                         const std::string& now) {
  return storage::done(ex.execute(k_read_all, params(user_id, now)));
}

struct Dispatcher::State {
  std::mutex mu;
  std::condition_variable_any cv;
  bool woken = false;
  std::atomic<std::int64_t> sent{0}, failed{0}, dead{0};
};

Dispatcher::Dispatcher(storage::Database& db, EmailSender& email, SmsSender& sms,
                       DispatchOptions options, Clock clock)
    : db_(db),
      email_(email),
      sms_(sms),
      options_(options),
      clock_(std::move(clock)),
      state_(std::make_shared<State>()) {}

Result<int> Dispatcher::run_once() {
  const auto now = clock_();
  const auto token = random_hex(8);
  const storage::Executor db(db_);
  auto claimed = db.exec(
      k_claim, params(iso_utc(now + options_.claim_seconds), iso_utc(now), options_.batch, token));
  if (!claimed) return claimed.error();
  int sent = 0;
  for (const auto& row : claimed->rows) {
    const auto id = row.i64("id");
    const auto attempts = row.i64("attempts");
    Result<void> outcome;
    try {
      outcome = deliver(row);
    } catch (const std::exception& e) {
      // A row that cannot even be read (bad extras) will never send: dead at once.
      outcome = Error::internal(std::string("unreadable message: ") + e.what());
    }
    // Marking uses the time after the send: a slow provider must not make the retry early.
    const auto after = clock_();
    if (outcome) {
      ++sent;
      state_->sent++;
      if (auto r = db.execute(k_mark_sent, params(id, iso_utc(after), token)); !r) return r.error();
      continue;
    }
    state_->failed++;
    const auto error = outcome.error().code + ": " + outcome.error().detail;
    if (attempts >= options_.max_attempts || outcome.error().kind == ErrorKind::internal) {
      state_->dead++;
      spdlog::error("outbox {} ({} to {}) dead after {} attempts: {}", id, row.text("kind"),
                    row.text("recipient"), attempts, error);
      if (auto r = db.execute(k_mark_dead, params(id, error, token)); !r) return r.error();
      continue;
    }
    // Exponential backoff with ±20% jitter so that a provider coming back is not hit by
    // every message at the same second.
    const double base = std::min<double>(
        options_.retry_max_seconds,
        options_.retry_base_seconds * std::pow(2.0, static_cast<double>(attempts - 1)));
    const double jitter = 0.8 + 0.4 * (random_below(1001) / 1000.0);
    const auto delay = static_cast<std::time_t>(std::max(1.0, std::round(base * jitter)));
    spdlog::warn("outbox {} ({} to {}) attempt {} failed, retry in {} s: {}", id, row.text("kind"),
                 row.text("recipient"), attempts, delay, error);
    if (auto r = db.execute(k_mark_retry, params(id, iso_utc(after + delay), error, token)); !r)
      return r.error();
  }
  return sent;
}

Result<void> Dispatcher::deliver(const storage::Row& row) {
  const auto delivery_id = row.text("delivery_id");
  if (row.text("channel") == "sms")
    return sms_.send(row.text("recipient"), row.text("body_text"), delivery_id);
  Email e;
  e.to = row.text("recipient");
  e.subject = row.text("subject");
  e.text = row.text("body_text");
  e.html = row.text("body_html");
  e.message_id = delivery_id;
  read_extras(row.text("extras"), e);
  return email_.send(e);
}

void Dispatcher::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    Result<int> r = 0;
    try {
      r = run_once();
    } catch (const std::exception& e) {
      r = Error::internal(e.what());
    }
    if (!r) spdlog::error("outbox dispatch failed: {}", r.error().detail);
    // A full batch means more may be due: go again at once.
    if (r && *r >= options_.batch) continue;
    std::unique_lock lock(state_->mu);
    state_->cv.wait_for(lock, stop, std::chrono::seconds(options_.poll_seconds),
                        [this] { return state_->woken; });
    state_->woken = false;
  }
}

void Dispatcher::wake() {
  {
    std::lock_guard lock(state_->mu);
    state_->woken = true;
  }
  state_->cv.notify_all();
}

std::int64_t Dispatcher::sent_total() const {
  return state_->sent;
}
std::int64_t Dispatcher::failed_total() const {
  return state_->failed;
}
std::int64_t Dispatcher::dead_total() const {
  return state_->dead;
}

Result<std::vector<OutboxEntry>> list_outbox(storage::Executor ex, const std::string& status,
                                             std::int64_t before_id, int limit) {
  return ex.all(k_list, params(status, before_id, limit), [](const storage::Row& row) {
    OutboxEntry e;
    e.id = row.i64("id");
    e.delivery_id = row.text("delivery_id");
    e.channel = row.text("channel");
    e.kind = row.text("kind");
    e.recipient = row.text("recipient");
    e.subject = row.text("subject");
    e.status = row.text("status");
    e.last_error = row.text("last_error");
    e.attempts = row.i64("attempts");
    e.next_attempt_at = row.text("next_attempt_at");
    e.created_at = row.text("created_at");
    e.sent_at = row.opt_text("sent_at");
    return e;
  });
}

Result<std::int64_t> purge_outbox(storage::Executor ex, const std::string& before) {
  return ex.execute(k_purge, params(before));
}

Result<void> retry_dead(storage::Executor ex, std::int64_t id, const std::string& now) {
  auto changed = ex.execute(k_retry_dead, params(id, now));
  if (!changed) return changed.error();
  if (*changed == 0)
    return Error::make(ErrorKind::not_found, "message_not_found",
                       "No dead-lettered message has this id.");
  return {};
}

}  // namespace griha::notify
