// The outbox rules, written once and run on SQLite (outbox_test.cpp) and PostgreSQL
// (outbox_pgtest.cpp). The providers here are scripted stand-ins that fail on demand: the real
// SMTP server is exercised end to end by tests/js/outbox_delivery.test.mjs.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "notify/outbox.hpp"
#include "storage/migrations.hpp"
#include "support/storage_support.hpp"

namespace griha::notify {

struct ScriptedEmail final : EmailSender {
  int fail_next = 0;  // this many sends fail, then they succeed
  bool always_fail = false;
  std::function<void()> during_send;
  std::vector<Email> sent;
  Result<void> send(const Email& e) override {
    if (during_send) during_send();
    if (always_fail || fail_next > 0) {
      --fail_next;
      return Error::unavailable("connection refused");
    }
    sent.push_back(e);
    return {};
  }
};

struct ScriptedSms final : SmsSender {
  std::vector<std::pair<std::string, std::string>> sent;  // to, delivery id
  Result<void> send(const std::string& to, const std::string&, const std::string& id) override {
    sent.emplace_back(to, id);
    return {};
  }
};

class OutboxContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    scratch_ = test::scratch_database(GetParam());
    db_ = test::open_migrated(*scratch_);
    options_.retry_base_seconds = 10;
    options_.retry_max_seconds = 1000;
    options_.max_attempts = 3;
    dispatcher_ = make_dispatcher();
  }

  std::unique_ptr<Dispatcher> make_dispatcher() {
    return std::make_unique<Dispatcher>(*db_, email_, sms_, options_, [this] { return now_; });
  }

  void enqueue_committed(Outgoing m) {
    auto tx = db_->begin().value();
    ASSERT_TRUE(enqueue(tx, m, iso_utc(now_)));
    ASSERT_TRUE(tx.commit());
  }

  static Outgoing mail(std::string to, std::string kind = "test.mail") {
    Outgoing m;
    m.kind = std::move(kind);
    m.to = std::move(to);
    m.subject = "Subject";
    m.text = "Body";
    return m;
  }

  std::vector<OutboxEntry> listed(const std::string& status) {
    return list_outbox(*db_, status, std::numeric_limits<std::int64_t>::max(), 100).value();
  }

  std::unique_ptr<test::ScratchDatabase> scratch_;
  std::unique_ptr<storage::Database> db_;
  ScriptedEmail email_;
  ScriptedSms sms_;
  DispatchOptions options_;
  std::time_t now_ = 1'800'000'000;
  std::unique_ptr<Dispatcher> dispatcher_;
};

TEST_P(OutboxContract, RolledBackTransactionSendsNothing) {
  {
    auto tx = db_->begin().value();
    ASSERT_TRUE(enqueue(tx, mail("a@example.in"), iso_utc(now_)));
  }  // no commit: rolled back with the event that caused it
  EXPECT_EQ(dispatcher_->run_once().value(), 0);
  EXPECT_TRUE(email_.sent.empty());
}

TEST_P(OutboxContract, CommittedMessageIsSentOnceWithItsDeliveryId) {
  Outgoing m = mail("a@example.in");
  m.html = "<p>Body</p>";
  m.attachments.push_back({"visit.ics", "text/calendar; method=REQUEST", "BEGIN:VCALENDAR"});
  m.headers.emplace_back("List-Unsubscribe", "<https://griha.test/u>");
  enqueue_committed(m);
  EXPECT_EQ(dispatcher_->run_once().value(), 1);
  EXPECT_EQ(dispatcher_->run_once().value(), 0) << "sent messages are not sent again";
  ASSERT_EQ(email_.sent.size(), 1u);
  const auto& e = email_.sent[0];
  EXPECT_EQ(e.to, "a@example.in");
  EXPECT_EQ(e.html, "<p>Body</p>");
  ASSERT_EQ(e.attachments.size(), 1u);
  EXPECT_EQ(e.attachments[0].content, "BEGIN:VCALENDAR");
  ASSERT_EQ(e.headers.size(), 1u);
  const auto sent = listed("sent");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(e.message_id, sent[0].delivery_id) << "the delivery id travels as the Message-ID";
  EXPECT_EQ(sent[0].delivery_id.size(), 32u);
}

TEST_P(OutboxContract, SmsCarriesItsDeliveryId) {
  Outgoing m = mail("+919812345678");
  m.channel = Channel::sms;
  enqueue_committed(m);
  EXPECT_EQ(dispatcher_->run_once().value(), 1);
  ASSERT_EQ(sms_.sent.size(), 1u);
  EXPECT_EQ(sms_.sent[0].second, listed("sent").at(0).delivery_id);
}

TEST_P(OutboxContract, FailuresBackOffExponentiallyThenDeadLetter) {
  email_.always_fail = true;
  enqueue_committed(mail("a@example.in"));
  const auto t0 = now_;
  EXPECT_EQ(dispatcher_->run_once().value(), 0);  // attempt 1
  auto pending = listed("pending");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].attempts, 1);
  EXPECT_NE(pending[0].last_error.find("connection refused"), std::string::npos);
  // base 10 s ± 20%
  EXPECT_GE(pending[0].next_attempt_at, iso_utc(t0 + 8));
  EXPECT_LE(pending[0].next_attempt_at, iso_utc(t0 + 12));
  EXPECT_EQ(dispatcher_->run_once().value(), 0);
  EXPECT_EQ(listed("pending").at(0).attempts, 1) << "not due yet: not tried again";

  now_ = t0 + 13;
  dispatcher_->run_once().value();  // attempt 2, then 20 s ± 20%
  pending = listed("pending");
  EXPECT_EQ(pending.at(0).attempts, 2);
  EXPECT_GE(pending[0].next_attempt_at, iso_utc(now_ + 16));
  EXPECT_LE(pending[0].next_attempt_at, iso_utc(now_ + 24));

  now_ += 25;
  dispatcher_->run_once().value();  // attempt 3 = max_attempts: dead
  EXPECT_TRUE(listed("pending").empty());
  const auto dead = listed("dead");
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].attempts, 3);
  EXPECT_EQ(dispatcher_->dead_total(), 1);

  // An admin retries once the provider is back: delivered exactly once.
  email_.always_fail = false;
  ASSERT_TRUE(retry_dead(*db_, dead[0].id, iso_utc(now_)));
  EXPECT_EQ(dispatcher_->run_once().value(), 1);
  EXPECT_EQ(dispatcher_->run_once().value(), 0);
  EXPECT_EQ(email_.sent.size(), 1u);
  auto again = retry_dead(*db_, dead[0].id, iso_utc(now_));
  ASSERT_FALSE(again) << "only a dead message can be retried";
  EXPECT_EQ(again.error().kind, ErrorKind::not_found);
}

TEST_P(OutboxContract, ScheduledMessageWaitsForItsTime) {
  Outgoing m = mail("a@example.in", "visit.reminder");
  m.send_at = iso_utc(now_ + 3600);
  enqueue_committed(m);
  EXPECT_EQ(dispatcher_->run_once().value(), 0);
  now_ += 3600;
  EXPECT_EQ(dispatcher_->run_once().value(), 1);
}

TEST_P(OutboxContract, CancelCallsOffOnlyPendingMessagesWithThatKey) {
  Outgoing a = mail("a@example.in");
  a.cancel_key = "visit:1";
  a.send_at = iso_utc(now_ + 60);
  Outgoing b = a;
  b.cancel_key = "visit:2";
  enqueue_committed(a);
  enqueue_committed(b);
  auto tx = db_->begin().value();
  EXPECT_EQ(cancel_pending(tx, "visit:1").value(), 1);
  ASSERT_TRUE(tx.commit());
  now_ += 60;
  EXPECT_EQ(dispatcher_->run_once().value(), 1);
  EXPECT_EQ(listed("cancelled").size(), 1u);
  EXPECT_EQ(listed("sent").size(), 1u);
}

TEST_P(OutboxContract, AClaimedMessageIsNotSentByAnotherDispatcher) {
  enqueue_committed(mail("a@example.in"));
  auto other = make_dispatcher();
  int others_sent = -1;
  // While the first dispatcher is sending, a second one (another node) looks for work.
  email_.during_send = [&] {
    if (others_sent == -1) others_sent = other->run_once().value();
  };
  EXPECT_EQ(dispatcher_->run_once().value(), 1);
  EXPECT_EQ(others_sent, 0);
  EXPECT_EQ(email_.sent.size(), 1u);
}

TEST_P(OutboxContract, InAppNotificationIsWrittenWithTheEvent) {
  static constexpr storage::Query k_user{
      "test.insert_user",
      "INSERT INTO users (email, name, role, created_at, updated_at) "
      "VALUES ('n@example.in', 'N', 'owner', $1, $1) RETURNING id"};
  const auto user = db_->exec(k_user, storage::params(iso_utc(now_))).value().rows.at(0).i64(0);
  {
    auto tx = db_->begin().value();
    ASSERT_TRUE(
        notify_in_app(tx, {user, "lead.new", "New lead", "Asha asked", "/d/l/1"}, iso_utc(now_)));
  }  // rolled back
  auto tx = db_->begin().value();
  ASSERT_TRUE(
      notify_in_app(tx, {user, "lead.new", "New lead", "Asha asked", "/d/l/1"}, iso_utc(now_)));
  ASSERT_TRUE(tx.commit());
  static constexpr storage::Query k_count{"test.count_notifications",
                                          "SELECT COUNT(*) FROM notifications WHERE user_id = $1"};
  EXPECT_EQ(db_->exec(k_count, storage::params(user)).value().rows.at(0).i64(0), 1);
}

}  // namespace griha::notify
