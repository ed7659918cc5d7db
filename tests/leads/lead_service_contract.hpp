// The rules of inquiries and the lead pipeline, written once and run on SQLite
// (lead_service_test.cpp) and PostgreSQL (lead_service_pgtest.cpp), with a clock the tests
// move. What leaves for the lister is read from the outbox and notifications tables.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <latch>
#include <memory>
#include <thread>

#include "leads/lead_service.hpp"
#include "listings/gazetteer.hpp"
#include "listings/listing_service.hpp"
#include "storage/migrations.hpp"
#include "support/storage_support.hpp"

namespace griha::leads {

class LeadServiceContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    scratch_ = test::scratch_database(GetParam());
    db_ = test::open_migrated(*scratch_);
    gazetteer_ = std::make_unique<listings::Gazetteer>(listings::Gazetteer::load().value());
    listings_ = std::make_unique<listings::ListingService>(
        *db_, *gazetteer_, listings::ListingOptions{90}, [this] { return now_; });
    options_.contact_key = "contract test key, long enough";
    options_.seeker_rate_per_minute = 1000;
    options_.ip_rate_per_minute = 1000;
    options_.guest_daily_cap = 3;
    make_service();
    owner_ = make_user("owner", "lister@example.in", "+919800000001");
    agent_ = make_user("agent", "agent@example.in", std::nullopt);
    seeker_ = make_user("seeker", "seeker@example.in", "+919800000002");
    other_seeker_ = make_user("seeker", "other@example.in", std::nullopt);
    admin_ = make_user("admin", "admin@example.in", std::nullopt);
  }

  void make_service() {
    service_ = std::make_unique<LeadService>(
        *db_, *gazetteer_, options_, "https://griha.test", [this] { return now_; },
        [this] { ++wakes_; });
  }

  // A user whose email and phone are verified unless said otherwise.
  Principal make_user(const std::string& role, const std::string& email,
                      std::optional<std::string> phone, bool email_verified = true,
                      bool phone_verified = true) {
    static constexpr storage::Query k_insert{
        "test.insert_user",
        "INSERT INTO users (email, phone, name, role, email_verified, phone_verified, created_at, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id"};
    const auto id =
        db_->exec(k_insert, storage::params(email, phone, "Test " + role, role, email_verified,
                                            phone_verified, "2026-01-01T00:00:00Z"))
            .value()
            .rows.at(0)
            .i64(0);
    return Principal{id, *role_from_string(role)};
  }

  void exec(const std::string& sql) {
    const storage::Query q{"test.exec", sql};
    ASSERT_TRUE(db_->exec(q));
  }

  // Waits until another connection is blocked on a lock in this test's database (PostgreSQL),
  // or until `done`. SQLite cannot show its waiting writers, so there the other thread is just
  // given time to queue.
  void await_lock_wait(const std::atomic<bool>& done) {
    using namespace std::chrono_literals;
    if (GetParam() != "postgres") {
      std::this_thread::sleep_for(200ms);
      return;
    }
    static constexpr storage::Query k_waiting{
        "test.lock_waiters",
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"};
    const auto end = std::chrono::steady_clock::now() + 10s;
    while (!done && std::chrono::steady_clock::now() < end) {
      if (db_->exec(k_waiting).value().rows.at(0).i64(0) > 0) return;
      std::this_thread::sleep_for(5ms);
    }
  }

  // The broker lists in an agency and has assigned a lead to a colleague there.
  struct AssignedLead {
    Principal broker, colleague;
    std::int64_t agency = 0, other_agency = 0, lead = 0;
  };
  AssignedLead assigned_lead() {
    AssignedLead a;
    a.agency = service_->create_agency("Baner Homes").value().id;
    a.other_agency = service_->create_agency("Elsewhere Realty").value().id;
    a.broker = make_user("agent", "broker@example.in", std::nullopt);
    a.colleague = make_user("agent", "colleague@example.in", std::nullopt);
    EXPECT_TRUE(service_->set_user_agency(a.broker.user_id, a.agency));
    EXPECT_TRUE(service_->set_user_agency(a.colleague.user_id, a.agency));
    const auto listing = active_listing(a.broker);
    a.lead = service_->inquire(listing, seeker_.user_id, "10.0.0.1", message("Assigned lead"))
                 .value()
                 .inquiry.id;
    EXPECT_TRUE(service_->update(a.broker, a.lead, {{"assigned_to", a.colleague.user_id}}));
    return a;
  }

  std::int64_t active_listing(const Principal& owner) {
    const auto* city = gazetteer_->city_by_name_or_slug("Pune");
    const auto* loc = gazetteer_->find_locality(city->id, "Baner");
    boost::json::object b = boost::json::parse(R"({
      "transaction":"rent","property_type":"apartment","title":"Bright 2 BHK in Baner",
      "description":"A bright flat near the highway, with covered parking and good light.",
      "bhk":2,"bathrooms":2,"carpet_area_sqft":900,"price":32000,
      "furnishing":"semi_furnished","possession":"ready"})")
                                .as_object();
    b["city_id"] = city->id;
    b["locality_id"] = loc->id;
    const Principal lister{owner.user_id, owner.role};
    const Principal admin{admin_.user_id, Role::admin};
    auto l = listings_->create(lister, b).value();
    listings_->submit(lister, l.id).value();
    return listings_->approve(admin, l.id).value().id;
  }

  static InquiryInput message(const std::string& text) {
    InquiryInput in;
    in.message = text;
    in.preferred_contact_time = "evening";
    return in;
  }

  std::int64_t count(const std::string& sql) {
    const storage::Query q{"test.count", sql};
    return db_->exec(q).value().rows.at(0).i64(0);
  }

  // The newest code sent to a guest contact, from the outbox row's text.
  std::string code_sent_to(const std::string& recipient) {
    static constexpr storage::Query k_code{
        "test.code",
        "SELECT body_text FROM outbox WHERE recipient = $1 AND kind = "
        "'lead.contact_code' ORDER BY id DESC LIMIT 1"};
    auto rows = db_->exec(k_code, storage::params(recipient)).value();
    if (rows.empty()) return {};
    return rows.rows[0].text(0).substr(0, 6);
  }

  std::string guest_token(const std::string& phone) {
    EXPECT_TRUE(service_->request_contact_code(phone, std::nullopt, "10.0.0.9"));
    auto t = service_->verify_contact_code(phone, std::nullopt, code_sent_to(phone), "10.0.0.9");
    EXPECT_TRUE(t) << (t ? "" : t.error().code);
    return t ? t->token : "";
  }

  InquiryInput guest_message(const std::string& token, const std::string& text = "Is it free?") {
    InquiryInput in = message(text);
    in.name = "Guest Seeker";
    in.contact_token = token;
    return in;
  }

  std::unique_ptr<test::ScratchDatabase> scratch_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<listings::Gazetteer> gazetteer_;
  std::unique_ptr<listings::ListingService> listings_;
  std::unique_ptr<LeadService> service_;
  LeadOptions options_;
  std::time_t now_ = 1'800'000'000;  // 2027-01-15T08:00:00Z
  int wakes_ = 0;
  Principal owner_, agent_, seeker_, other_seeker_, admin_;
};

TEST_P(LeadServiceContract, AnInquiryBecomesALeadAndItsMessagesInOneTransaction) {
  const auto listing = active_listing(owner_);
  auto r =
      service_->inquire(listing, seeker_.user_id, "10.0.0.1", message("Can I visit on Sunday?"));
  ASSERT_TRUE(r) << r.error().code;
  EXPECT_TRUE(r->created);
  EXPECT_EQ(wakes_, 1) << "the dispatcher is woken after the commit";
  EXPECT_EQ(count("SELECT COUNT(*) FROM leads"), 1);
  // The lister hears by email, SMS and in-app; nobody else hears anything.
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND kind = 'lead.new' "
                  "AND recipient = 'lister@example.in' AND body_text LIKE '%+919800000002%' "
                  "AND body_text LIKE '%seeker@example.in%'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND kind = 'lead.new' "
                  "AND recipient = '+919800000001' AND body_text LIKE '%+919800000002%'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE user_id = " +
                  std::to_string(owner_.user_id) + " AND kind = 'lead.new'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications"), 1);

  // When the messages cannot be written, the lead is not written either.
  const storage::Query blank{"test.blank_email", "UPDATE users SET email = '' WHERE id = $1"};
  ASSERT_TRUE(db_->exec(blank, storage::params(owner_.user_id)));
  const auto second = active_listing(owner_);
  EXPECT_FALSE(service_->inquire(second, seeker_.user_id, "10.0.0.1", message("And this one?")));
  EXPECT_EQ(count("SELECT COUNT(*) FROM leads"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM lead_inquiries"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications"), 1);
}

TEST_P(LeadServiceContract, TheSameSeekerWithin24HoursUpdatesTheLead) {
  const auto listing = active_listing(owner_);
  auto first = service_->inquire(listing, seeker_.user_id, "10.0.0.1", message("First"));
  ASSERT_TRUE(first);
  now_ += 23 * 3600;
  auto again = service_->inquire(listing, seeker_.user_id, "10.0.0.1", message("Second"));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->inquiry.id, first->inquiry.id);
  EXPECT_EQ(again->inquiry.inquiry_count, 2);
  EXPECT_EQ(again->inquiry.message, "Second") << "the newest message replaces the lead's";
  EXPECT_EQ(count("SELECT COUNT(*) FROM leads"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE kind = 'lead.followup'"), 2);
  auto d = service_->get(owner_, first->inquiry.id);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->inquiries.size(), 2u) << "every message is kept";
  EXPECT_EQ(d->inquiries[0].message, "First");
  EXPECT_EQ(d->lead.updated_at, "2027-01-16T07:00:00Z");

  // Another seeker on the same listing is another lead.
  auto other = service_->inquire(listing, other_seeker_.user_id, "10.0.0.1", message("Hi"));
  ASSERT_TRUE(other);
  EXPECT_TRUE(other->created);
  // More than 24 hours after the last inquiry, the same seeker starts a new lead.
  now_ += 24 * 3600 + 1;
  auto later = service_->inquire(listing, seeker_.user_id, "10.0.0.1", message("Third"));
  ASSERT_TRUE(later);
  EXPECT_TRUE(later->created);
  EXPECT_EQ(count("SELECT COUNT(*) FROM leads"), 3);
}

TEST_P(LeadServiceContract, ConcurrentRepeatsOfOneSeekerMakeOneLead) {
  // Rounds of 8 simultaneous inquiries by one seeker on one listing: each round is one lead.
  constexpr int k_rounds = 5, k_threads = 8;
  std::atomic<int> ok{0};
  for (int round = 0; round < k_rounds; ++round) {
    const auto listing = active_listing(owner_);
    std::latch start(k_threads);
    std::vector<std::thread> threads;
    for (int i = 0; i < k_threads; ++i)
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        if (service_->inquire(listing, seeker_.user_id, "10.0.0.1",
                              message("Try " + std::to_string(i))))
          ++ok;
      });
    for (auto& t : threads) t.join();
  }
  EXPECT_EQ(ok.load(), k_rounds * k_threads);
  EXPECT_EQ(count("SELECT COUNT(*) FROM leads"), k_rounds);
  EXPECT_EQ(count("SELECT MIN(inquiry_count) FROM leads"), k_threads);
}

TEST_P(LeadServiceContract, OnlyActiveListingsOfOthersTakeInquiries) {
  const auto listing = active_listing(owner_);
  auto own = service_->inquire(listing, owner_.user_id, "10.0.0.1", message("Mine"));
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, "own_listing");
  const Principal lister{owner_.user_id, Role::owner};
  ASSERT_TRUE(listings_->withdraw(lister, listing));
  auto withdrawn = service_->inquire(listing, seeker_.user_id, "10.0.0.1", message("Hi"));
  ASSERT_FALSE(withdrawn);
  EXPECT_EQ(withdrawn.error().code, "listing_not_found");
  EXPECT_EQ(service_->inquire(999999, seeker_.user_id, "10.0.0.1", message("Hi")).error().code,
            "listing_not_found");
  EXPECT_EQ(count("SELECT COUNT(*) FROM leads"), 0);
}

TEST_P(LeadServiceContract, AGuestTokenExpires) {
  const auto listing = active_listing(owner_);
  const auto token = guest_token("+919812345601");
  ASSERT_FALSE(token.empty());
  now_ += options_.contact_token_ttl_seconds - 1;
  ASSERT_TRUE(service_->inquire(listing, std::nullopt, "10.0.0.9", guest_message(token)));
  now_ += 2;
  auto late = service_->inquire(listing, std::nullopt, "10.0.0.9", guest_message(token, "Again"));
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, "contact_token_invalid");
  EXPECT_EQ(count("SELECT COUNT(*) FROM lead_inquiries"), 1);
}

TEST_P(LeadServiceContract, AGuestCodeExpiresBurnsAfterFiveTriesAndIsThrottled) {
  const std::string phone = "+919812345602";
  ASSERT_TRUE(service_->request_contact_code("98123 45602", std::nullopt, "10.0.0.9"));
  EXPECT_EQ(
      count("SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND recipient = '" + phone + "'"),
      1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM verification_codes WHERE code_hash LIKE '%" +
                  code_sent_to(phone) + "%'"),
            0)
      << "the code is stored hashed";
  auto throttled = service_->request_contact_code(phone, std::nullopt, "10.0.0.9");
  ASSERT_FALSE(throttled);
  EXPECT_EQ(throttled.error().code, "code_resend_throttled");
  EXPECT_GT(throttled.error().retry_after_seconds, 0);

  const std::string code = code_sent_to(phone);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(service_->verify_contact_code(phone, std::nullopt, wrong, "10.0.0.9").error().code,
              "code_invalid");
  EXPECT_FALSE(service_->verify_contact_code(phone, std::nullopt, code, "10.0.0.9"))
      << "five wrong tries burn the code";

  now_ += options_.code_resend_seconds;
  ASSERT_TRUE(service_->request_contact_code(phone, std::nullopt, "10.0.0.9"));
  const std::string fresh = code_sent_to(phone);
  now_ += 10 * 60;
  EXPECT_FALSE(service_->verify_contact_code(phone, std::nullopt, fresh, "10.0.0.9"))
      << "a code lasts 10 minutes";

  // Email works the same way, through an email.
  ASSERT_TRUE(service_->request_contact_code(std::nullopt, "Guest@Example.in", "10.0.0.9"));
  const std::string mailed = code_sent_to("guest@example.in");
  auto t = service_->verify_contact_code(std::nullopt, "guest@example.in", mailed, "10.0.0.9");
  ASSERT_TRUE(t);
  EXPECT_FALSE(service_->verify_contact_code(std::nullopt, "guest@example.in", mailed, "10.0.0.9"))
      << "a code works once";
}

TEST_P(LeadServiceContract, AGuestsDailyCapCountsEveryInquiryOfTheContact) {
  const auto token = guest_token("+919812345603");
  std::vector<std::int64_t> listings;
  for (int i = 0; i < 4; ++i) listings.push_back(active_listing(owner_));
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(service_->inquire(listings[i], std::nullopt, "10.0.0.9", guest_message(token)));
  auto capped = service_->inquire(listings[3], std::nullopt, "10.0.0.9", guest_message(token));
  ASSERT_FALSE(capped);
  EXPECT_EQ(capped.error().code, "daily_cap");
  EXPECT_EQ(capped.error().retry_after_seconds, 24 * 3600);
  EXPECT_EQ(count("SELECT COUNT(*) FROM leads"), 3);
  // A signed-in seeker has no daily cap (the per-account rate limit applies instead).
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(service_->inquire(listings[i], seeker_.user_id, "10.0.0.1", message("Hi")));
  now_ += 24 * 3600;
  const auto renewed = guest_token("+919812345603");
  EXPECT_TRUE(service_->inquire(listings[3], std::nullopt, "10.0.0.9", guest_message(renewed)));
}

TEST_P(LeadServiceContract, TheSeekerRateLimitAnswersWithRetryAfter) {
  options_.seeker_rate_per_minute = 2;
  make_service();
  std::vector<std::int64_t> listings;
  for (int i = 0; i < 3; ++i) listings.push_back(active_listing(owner_));
  ASSERT_TRUE(service_->inquire(listings[0], seeker_.user_id, "10.0.0.1", message("1")));
  ASSERT_TRUE(service_->inquire(listings[1], seeker_.user_id, "10.0.0.2", message("2")));
  auto limited = service_->inquire(listings[2], seeker_.user_id, "10.0.0.3", message("3"));
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().code, "rate_limited");
  EXPECT_GT(limited.error().retry_after_seconds, 0);
  EXPECT_TRUE(service_->inquire(listings[2], other_seeker_.user_id, "10.0.0.3", message("3")))
      << "the limit is per seeker";
}

TEST_P(LeadServiceContract, StageMovesAreRecordedAndClosedLeadsStayClosed) {
  const auto listing = active_listing(owner_);
  const auto id =
      service_->inquire(listing, seeker_.user_id, "10.0.0.1", message("Hi"))->inquiry.id;
  auto patch = [&](const Principal& v, std::string_view json) {
    return service_->update(v, id, boost::json::parse(json).as_object());
  };
  ASSERT_TRUE(patch(owner_, R"({"stage":"contacted"})"));
  now_ += 60;
  ASSERT_TRUE(patch(owner_, R"({"stage":"visit_scheduled"})"));
  ASSERT_TRUE(patch(owner_, R"({"stage":"contacted"})")) << "an open lead may move back";
  auto no_reason = patch(owner_, R"({"stage":"lost"})");
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().fields.at(0).field, "/lost_reason");
  EXPECT_EQ(no_reason.error().fields.at(0).code, FieldCode::required);
  auto stray_reason = patch(owner_, R"({"stage":"negotiating","lost_reason":"x"})");
  ASSERT_FALSE(stray_reason);
  EXPECT_EQ(stray_reason.error().fields.at(0).code, FieldCode::inconsistent);
  auto lost = patch(owner_, R"({"stage":"lost","lost_reason":"Bought elsewhere"})");
  ASSERT_TRUE(lost);
  EXPECT_EQ(lost->lead.lost_reason, "Bought elsewhere");
  auto reopen = patch(owner_, R"({"stage":"contacted"})");
  ASSERT_FALSE(reopen);
  EXPECT_EQ(reopen.error().code, "stage_move_not_allowed");
  auto by_admin = patch(admin_, R"({"stage":"negotiating"})");
  ASSERT_TRUE(by_admin);
  EXPECT_EQ(by_admin->lead.lost_reason, "") << "leaving lost clears the reason";

  auto d = service_->get(owner_, id).value();
  std::vector<std::string> moves;
  for (const auto& e : d.history)
    if (e.kind == "stage") {
      moves.push_back(*e.from_stage + ">" + *e.to_stage);
      EXPECT_TRUE(e.actor_id);
    }
  EXPECT_EQ(moves, (std::vector<std::string>{"new>contacted", "contacted>visit_scheduled",
                                             "visit_scheduled>contacted", "contacted>lost",
                                             "lost>negotiating"}));
  EXPECT_EQ(d.history.back().actor_id, admin_.user_id);
  EXPECT_EQ(d.history[2].at, "2027-01-15T08:01:00Z");
}

TEST_P(LeadServiceContract, OnlyAllowlistedFieldsChangeAndNothingChangesOtherwise) {
  const auto listing = active_listing(owner_);
  const auto id =
      service_->inquire(listing, seeker_.user_id, "10.0.0.1", message("Hi"))->inquiry.id;
  for (const char* body : {R"({"stage":"contacted","message":"edited"})",
                           R"({"contact_phone":"+919999999999"})", R"({"lister_id":1})"}) {
    auto r = service_->update(owner_, id, boost::json::parse(body).as_object());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "field_not_writable");
  }
  EXPECT_EQ(service_->get(owner_, id)->lead.stage, Stage::fresh);
  EXPECT_EQ(service_->get(owner_, id)->lead.message, "Hi");
}

TEST_P(LeadServiceContract, AssignmentStaysInsideTheListersAgency) {
  const auto ours = service_->create_agency("Baner Homes").value();
  const auto theirs = service_->create_agency("Elsewhere Realty").value();
  const auto broker = make_user("agent", "broker@example.in", std::nullopt);
  const auto colleague = make_user("agent", "colleague@example.in", std::nullopt);
  const auto rival = make_user("agent", "rival@example.in", std::nullopt);
  const auto owner_in_agency = make_user("owner", "o2@example.in", std::nullopt);
  ASSERT_TRUE(service_->set_user_agency(broker.user_id, ours.id));
  ASSERT_TRUE(service_->set_user_agency(colleague.user_id, ours.id));
  ASSERT_TRUE(service_->set_user_agency(owner_in_agency.user_id, ours.id));
  ASSERT_TRUE(service_->set_user_agency(rival.user_id, theirs.id));
  const auto listing = active_listing(broker);
  const auto id =
      service_->inquire(listing, seeker_.user_id, "10.0.0.1", message("Hi"))->inquiry.id;
  auto assign = [&](const Principal& v, std::int64_t to) {
    return service_->update(v, id, {{"assigned_to", to}});
  };
  EXPECT_EQ(assign(broker, rival.user_id).error().code, "assignee_not_in_agency");
  EXPECT_EQ(assign(broker, owner_in_agency.user_id).error().code, "assignee_not_in_agency")
      << "only agents";
  EXPECT_EQ(assign(broker, 999999).error().code, "assignee_not_in_agency");
  EXPECT_EQ(assign(admin_, rival.user_id).error().code, "assignee_not_in_agency")
      << "admins too keep to the lister's agency";
  EXPECT_EQ(assign(colleague, colleague.user_id).error().code, "lead_not_found")
      << "the colleague cannot see the lead before it is theirs";
  auto ok = assign(broker, colleague.user_id);
  ASSERT_TRUE(ok) << ok.error().code;
  EXPECT_EQ(ok->lead.assigned_to, colleague.user_id);
  // The assignee now works the lead, but cannot hand it on.
  EXPECT_TRUE(service_->get(colleague, id));
  EXPECT_TRUE(service_->update(colleague, id, {{"stage", "contacted"}}));
  EXPECT_EQ(assign(colleague, broker.user_id).error().code, "not_lead_lister");
  EXPECT_EQ(service_->leads(colleague, {}).value().items.size(), 1u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'lead.assigned' AND user_id = " +
                  std::to_string(colleague.user_id)),
            1);
  // A lister outside any agency can assign to nobody.
  const auto listing2 = active_listing(owner_);
  const auto id2 =
      service_->inquire(listing2, seeker_.user_id, "10.0.0.1", message("Hi"))->inquiry.id;
  EXPECT_EQ(service_->update(owner_, id2, {{"assigned_to", colleague.user_id}}).error().code,
            "assignee_not_in_agency");
  auto agents = service_->agency_agents(broker.user_id).value();
  ASSERT_TRUE(agents.agency);
  EXPECT_EQ(agents.agency->name, "Baner Homes");
  EXPECT_EQ(agents.agents.size(), 2u) << "agents only: the owner in the agency is not listed";
}

TEST_P(LeadServiceContract, ListersSeeOnlyTheirLeadsAndSeekersOnlyTheirInquiries) {
  const auto mine = active_listing(owner_);
  const auto theirs = active_listing(agent_);
  const auto a = service_->inquire(mine, seeker_.user_id, "10.0.0.1", message("A"))->inquiry.id;
  const auto b = service_->inquire(theirs, seeker_.user_id, "10.0.0.1", message("B"))->inquiry.id;
  const auto c =
      service_->inquire(mine, other_seeker_.user_id, "10.0.0.1", message("C"))->inquiry.id;
  EXPECT_EQ(service_->leads(owner_, {}).value().items.size(), 2u);
  EXPECT_EQ(service_->leads(agent_, {}).value().items.size(), 1u);
  EXPECT_EQ(service_->leads(admin_, {}, true).value().items.size(), 3u);
  EXPECT_EQ(service_->leads(owner_, {}, true).value().items.size(), 2u)
      << "\"all\" is for admins only";
  EXPECT_EQ(service_->get(agent_, a).error().code, "lead_not_found");
  EXPECT_EQ(service_->get(seeker_, a).error().code, "lead_not_found");
  EXPECT_TRUE(service_->get(admin_, a));
  EXPECT_EQ(service_->add_note(agent_, a, "mine now").error().code, "lead_not_found");
  EXPECT_TRUE(service_->get(agent_, b));
  const auto csv = service_->export_csv(agent_, {}).value();
  EXPECT_EQ(csv.find(",A\r\n"), std::string::npos);
  EXPECT_NE(csv.find(",B\r\n"), std::string::npos);
  auto stats = service_->stats(owner_, {}).value();
  EXPECT_EQ(stats.total, 2);
  EXPECT_EQ(stats.stages.at(0), (std::pair<std::string, std::int64_t>{"new", 2}));
  EXPECT_EQ(stats.by_listing.size(), 1u);
  auto inquiries = service_->my_inquiries(other_seeker_.user_id, 0, 20).value();
  ASSERT_EQ(inquiries.size(), 1u);
  EXPECT_EQ(inquiries[0].id, c);
}

TEST_P(LeadServiceContract, ListsFilterAndPageNewestFirst) {
  const auto l1 = active_listing(owner_);
  const auto l2 = active_listing(owner_);
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    const auto who = make_user("seeker", "s" + std::to_string(i) + "@example.in", std::nullopt);
    ids.push_back(
        service_->inquire(i < 3 ? l1 : l2, who.user_id, "10.0.0.1", message("Hi"))->inquiry.id);
    now_ += 86400;
  }
  ASSERT_TRUE(service_->update(owner_, ids[1], {{"stage", "contacted"}}));
  LeadFilter f;
  f.limit = 2;
  auto page = service_->leads(owner_, f).value();
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, ids[4]);
  ASSERT_TRUE(page.next_before_id);
  f.before_id = *page.next_before_id;
  page = service_->leads(owner_, f).value();
  EXPECT_EQ(page.items[0].id, ids[2]);
  LeadFilter by_listing;
  by_listing.listing_id = l1;
  EXPECT_EQ(service_->leads(owner_, by_listing).value().items.size(), 3u);
  LeadFilter by_stage;
  by_stage.stage = "contacted";
  EXPECT_EQ(service_->leads(owner_, by_stage).value().items.at(0).id, ids[1]);
  LeadFilter by_date;  // the 2nd and 3rd inquiries' IST days
  by_date.from = *day_start_utc("2027-01-16");
  by_date.to = *day_start_utc("2027-01-17", 1);
  auto dated = service_->leads(owner_, by_date).value();
  ASSERT_EQ(dated.items.size(), 2u);
  EXPECT_EQ(dated.items[0].id, ids[2]);
  EXPECT_EQ(dated.items[1].id, ids[1]);
}

TEST_P(LeadServiceContract, AdminStatsCountByKolkataDayAndTheFunnel) {
  const auto listing = active_listing(owner_);
  active_listing(agent_);
  now_ = 1'800'000'000 - 8 * 3600 - 60;  // 2027-01-15T00:00:00Z - 60 s = 05:29 IST on the 15th
  auto early = service_->inquire(listing, seeker_.user_id, "10.0.0.1", message("early"));
  ASSERT_TRUE(early);
  now_ = 1'800'000'000 - 8 * 3600 - 5 * 3600 - 31 * 60;  // 18:29 UTC on the 14th: IST the 14th
  ASSERT_TRUE(service_->inquire(listing, other_seeker_.user_id, "10.0.0.1", message("late")));
  now_ = 1'800'000'000;
  ASSERT_TRUE(service_->update(owner_, early->inquiry.id, {{"stage", "won"}}));
  const storage::Query visit{
      "test.visit",
      "INSERT INTO visits (listing_id, lister_id, seeker_id, start_at, end_at, status, ical_uid, "
      "created_at, updated_at) VALUES ($1, $2, $3, '2027-01-20T05:00:00Z', "
      "'2027-01-20T05:30:00Z', 'booked', 'uid-1@griha', $4, $4)"};
  ASSERT_TRUE(db_->exec(
      visit, storage::params(listing, owner_.user_id, seeker_.user_id, "2027-01-15T08:00:00Z")));

  auto s = service_->admin_stats().value();
  ASSERT_EQ(s.leads_per_day.size(), 30u);
  EXPECT_EQ(s.leads_per_day.back().day, "2027-01-15");
  EXPECT_EQ(s.leads_per_day.back().count, 1);
  EXPECT_EQ(s.leads_per_day[28].day, "2027-01-14");
  EXPECT_EQ(s.leads_per_day[28].count, 1);
  EXPECT_EQ(s.leads_per_day.front().day, "2026-12-17");
  EXPECT_EQ(s.funnel.inquiries, 2);
  EXPECT_EQ(s.funnel.visits_booked, 1) << "rows in the visits table";
  EXPECT_EQ(s.funnel.won, 1);
  ASSERT_EQ(s.listings_by_city_status.size(), 1u);
  EXPECT_EQ(s.listings_by_city_status[0].city, "Pune");
  EXPECT_EQ(s.listings_by_city_status[0].status, "active");
  EXPECT_EQ(s.listings_by_city_status[0].count, 2);
}

TEST_P(LeadServiceContract, ListerEmailAndSmsGoOnlyToVerifiedContacts) {
  struct Case {
    bool email_verified, phone_verified;
  };
  int n = 0;
  for (const Case c : {Case{false, false}, Case{true, false}, Case{false, true}}) {
    const std::string email = "lister" + std::to_string(++n) + "@example.in";
    const std::string phone = "+91980000010" + std::to_string(n);
    const auto lister = make_user("owner", email, phone, c.email_verified, c.phone_verified);
    const auto listing = active_listing(lister);
    auto r = service_->inquire(listing, seeker_.user_id, "10.0.0.1", message("Hello"));
    ASSERT_TRUE(r) << r.error().code;
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND recipient = '" +
                    email + "'"),
              c.email_verified ? 1 : 0)
        << "email verified: " << c.email_verified;
    EXPECT_EQ(
        count("SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND recipient = '" + phone + "'"),
        c.phone_verified ? 1 : 0)
        << "phone verified: " << c.phone_verified;
    // The lister always hears in the app, and the lead is there to read.
    EXPECT_EQ(count("SELECT COUNT(*) FROM notifications WHERE kind = 'lead.new' AND user_id = " +
                    std::to_string(lister.user_id)),
              1);
    EXPECT_TRUE(service_->get(lister, r->inquiry.id));
  }
}

TEST_P(LeadServiceContract, CodesToOneContactAreCappedPerDay) {
  options_.codes_per_contact_per_day = 3;
  make_service();
  const std::string phone = "+919812345604";
  const std::time_t first = now_;
  for (const char* written : {"+919812345604", "98123 45604", "098123-45604"}) {
    ASSERT_TRUE(service_->request_contact_code(written, std::nullopt, "10.0.0.9")) << written;
    now_ += options_.code_resend_seconds;
  }
  auto capped = service_->request_contact_code(phone, std::nullopt, "10.0.0.9");
  ASSERT_FALSE(capped);
  EXPECT_EQ(capped.error().code, "code_daily_cap");
  EXPECT_EQ(capped.error().kind, ErrorKind::rate_limited);
  EXPECT_EQ(capped.error().retry_after_seconds, first + 24 * 3600 - now_)
      << "until the oldest code leaves the 24 hours";
  EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE recipient = '" + phone + "'"), 3);
  // Other contacts have their own count, email addresses too.
  EXPECT_TRUE(service_->request_contact_code("+919812345605", std::nullopt, "10.0.0.9"));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(service_->request_contact_code(std::nullopt, "Capped@Example.in", "10.0.0.9"));
    now_ += options_.code_resend_seconds;
  }
  EXPECT_EQ(
      service_->request_contact_code(std::nullopt, "capped@example.in", "10.0.0.9").error().code,
      "code_daily_cap");
  // A day after the first code, one more may go: the 24 hours roll.
  now_ = first + 24 * 3600;
  EXPECT_TRUE(service_->request_contact_code(phone, std::nullopt, "10.0.0.9"));
  auto again = service_->request_contact_code(phone, std::nullopt, "10.0.0.9");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "code_daily_cap");
  EXPECT_EQ(again.error().retry_after_seconds, options_.code_resend_seconds)
      << "when the second code leaves the window (the cap is checked before the throttle)";
}

// A lead's change must start from its latest committed state. Each of these holds another
// change to the lead open in a transaction of its own, starts the service's change, lets the
// first commit, and checks that the service judged and wrote on top of it.
TEST_P(LeadServiceContract, AMoveWaitsForAConcurrentCloseAndIsJudgedOnIt) {
  const auto listing = active_listing(owner_);
  const auto id =
      service_->inquire(listing, seeker_.user_id, "10.0.0.1", message("Hi"))->inquiry.id;
  static constexpr storage::Query k_close{"test.close",
                                          "UPDATE leads SET stage = 'won' WHERE id = $1"};
  auto admins = db_->begin().value();  // an admin's move to won, not yet committed
  ASSERT_TRUE(admins.exec(k_close, storage::params(id)));
  std::atomic<bool> done{false};
  std::optional<Result<LeadDetail>> moved;
  std::thread owners([&] {
    moved.emplace(service_->update(owner_, id, {{"stage", "contacted"}}));
    done = true;
  });
  await_lock_wait(done);
  const bool committed = static_cast<bool>(admins.commit());
  owners.join();
  ASSERT_TRUE(committed);
  ASSERT_TRUE(moved);
  ASSERT_FALSE(*moved) << "a lister reopened a lead an admin had just closed";
  EXPECT_EQ(moved->error().code, "stage_move_not_allowed");
  EXPECT_EQ(service_->get(admin_, id)->lead.stage, Stage::won);
}

TEST_P(LeadServiceContract, AMoveDoesNotUndoAConcurrentAssignment) {
  const auto a = assigned_lead();
  ASSERT_TRUE(service_->update(a.broker, a.lead, {{"assigned_to", nullptr}}));
  static constexpr storage::Query k_assign{"test.assign",
                                           "UPDATE leads SET assigned_to = $2 WHERE id = $1"};
  auto assigning = db_->begin().value();
  ASSERT_TRUE(assigning.exec(k_assign, storage::params(a.lead, a.colleague.user_id)));
  std::atomic<bool> done{false};
  std::optional<Result<LeadDetail>> moved;
  std::thread mover([&] {
    moved.emplace(service_->update(a.broker, a.lead, {{"stage", "contacted"}}));
    done = true;
  });
  await_lock_wait(done);
  const bool committed = static_cast<bool>(assigning.commit());
  mover.join();
  ASSERT_TRUE(committed);
  ASSERT_TRUE(moved && *moved) << (moved && !*moved ? moved->error().code : "");
  const auto lead = service_->get(admin_, a.lead)->lead;
  EXPECT_EQ(lead.stage, Stage::contacted);
  EXPECT_EQ(lead.assigned_to, a.colleague.user_id) << "the stage change undid the assignment";
}

TEST_P(LeadServiceContract, ANoteWaitsForAConcurrentUnassignment) {
  const auto a = assigned_lead();
  static constexpr storage::Query k_unassign{"test.unassign",
                                             "UPDATE leads SET assigned_to = NULL WHERE id = $1"};
  auto unassigning = db_->begin().value();
  ASSERT_TRUE(unassigning.exec(k_unassign, storage::params(a.lead)));
  std::atomic<bool> done{false};
  std::optional<Result<LeadNote>> noted;
  std::thread writer([&] {
    noted.emplace(service_->add_note(a.colleague, a.lead, "Still mine?"));
    done = true;
  });
  await_lock_wait(done);
  const bool committed = static_cast<bool>(unassigning.commit());
  writer.join();
  ASSERT_TRUE(committed);
  ASSERT_TRUE(noted);
  ASSERT_FALSE(*noted) << "a note landed from an agent no longer assigned";
  EXPECT_EQ(noted->error().code, "lead_not_found");
  EXPECT_EQ(count("SELECT COUNT(*) FROM lead_notes"), 0);
}

TEST_P(LeadServiceContract, ConcurrentMovesNeverReopenALeadAnAdminClosed) {
  // Rounds of an admin closing a lead while the lister keeps moving it: once the close has
  // committed, no move of the lister's may land after it.
  constexpr int k_rounds = 6, k_movers = 4;
  const char* stages[k_movers] = {"contacted", "visit_scheduled", "visited", "negotiating"};
  const auto listing = active_listing(owner_);
  for (int round = 0; round < k_rounds; ++round) {
    const auto who =
        make_user("seeker", "race" + std::to_string(round) + "@example.in", std::nullopt);
    const auto id = service_->inquire(listing, who.user_id, "10.0.0.1", message("Hi"))->inquiry.id;
    std::latch start(k_movers + 1);
    {
      std::vector<std::jthread> threads;
      threads.emplace_back([&] {
        start.arrive_and_wait();
        EXPECT_TRUE(service_->update(admin_, id, {{"stage", "won"}}));
      });
      for (int i = 0; i < k_movers; ++i)
        threads.emplace_back([&, i] {
          start.arrive_and_wait();
          for (int k = 0; k < 3; ++k)
            (void)service_->update(owner_, id, {{"stage", stages[(i + k) % k_movers]}});
        });
    }
    const auto d = service_->get(admin_, id).value();
    EXPECT_EQ(d.lead.stage, Stage::won) << "round " << round;
    std::vector<const LeadEvent*> moves;
    for (const auto& e : d.history)
      if (e.kind == "stage") moves.push_back(&e);
    ASSERT_FALSE(moves.empty());
    EXPECT_EQ(*moves.back()->to_stage, "won") << "round " << round;
    EXPECT_EQ(moves.back()->actor_id, admin_.user_id) << "round " << round;
  }
}

TEST_P(LeadServiceContract, AnAssigneeKeepsALeadOnlyWhileAnActiveAgentOfTheListersAgency) {
  const auto a = assigned_lead();
  const auto& agent = a.colleague;
  // While the assignment holds, the agent reads, works, lists, counts and exports the lead.
  auto has_it = [&] {
    const bool get = static_cast<bool>(service_->get(agent, a.lead));
    const bool listed = service_->leads(agent, {}).value().items.size() == 1;
    const bool counted = service_->stats(agent, {}).value().total == 1;
    const bool exported =
        service_->export_csv(agent, {}).value().find("Assigned lead") != std::string::npos;
    EXPECT_EQ(get, listed);
    EXPECT_EQ(get, counted);
    EXPECT_EQ(get, exported);
    return get;
  };
  auto lost_it = [&](const std::string& why) {
    EXPECT_FALSE(has_it()) << why;
    EXPECT_EQ(service_->get(agent, a.lead).error().code, "lead_not_found") << why;
    EXPECT_EQ(service_->update(agent, a.lead, {{"stage", "visited"}}).error().code,
              "lead_not_found")
        << why;
    EXPECT_EQ(service_->add_note(agent, a.lead, "x").error().code, "lead_not_found") << why;
  };
  ASSERT_TRUE(has_it());
  ASSERT_TRUE(service_->add_note(agent, a.lead, "Called them"));

  ASSERT_TRUE(service_->set_user_agency(agent.user_id, a.other_agency));
  lost_it("moved to another agency");
  ASSERT_TRUE(service_->set_user_agency(agent.user_id, std::nullopt));
  lost_it("left the agency");
  ASSERT_TRUE(service_->set_user_agency(agent.user_id, a.agency));
  EXPECT_TRUE(has_it()) << "back in the agency, the assignment (still on record) holds again";

  const std::string id = std::to_string(agent.user_id);
  exec("UPDATE users SET status = 'locked' WHERE id = " + id);
  lost_it("locked");
  exec("UPDATE users SET status = 'active', role = 'seeker' WHERE id = " + id);
  lost_it("no longer an agent");
  exec("UPDATE users SET role = 'agent' WHERE id = " + id);
  ASSERT_TRUE(has_it());
  ASSERT_TRUE(service_->set_user_agency(a.broker.user_id, a.other_agency));
  lost_it("the lister left the agency");

  // The lister and admins still see the lead and who it was given to, and can take it back.
  EXPECT_EQ(service_->get(a.broker, a.lead)->lead.assigned_to, agent.user_id);
  EXPECT_TRUE(service_->update(a.broker, a.lead, {{"assigned_to", nullptr}}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM lead_notes"), 1);
}

}  // namespace griha::leads
