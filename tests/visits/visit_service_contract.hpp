// The visit rules that depend on time or on what lands in the outbox, with a clock the test
// moves. Written once and run on SQLite (visit_service_test.cpp) and PostgreSQL
// (visit_service_pgtest.cpp).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <latch>
#include <memory>
#include <thread>

#include "core/time.hpp"
#include "listings/gazetteer.hpp"
#include "listings/listing_service.hpp"
#include "storage/migrations.hpp"
#include "support/storage_support.hpp"
#include "visits/visit_service.hpp"

namespace griha::visits {

class VisitServiceContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    scratch_ = GetParam() == "postgres" ? test::scratch_postgres() : test::scratch_sqlite();
    storage::DatabaseOptions o;
    o.url = scratch_->url();
    db_ = storage::Database::open(o).value();
    ASSERT_TRUE(storage::migrate(*db_));
    gazetteer_ = std::make_unique<listings::Gazetteer>(listings::Gazetteer::load().value());
    const Clock clock = [this] { return now_.load(); };
    listings_ = std::make_unique<listings::ListingService>(*db_, *gazetteer_,
                                                           listings::ListingOptions{90}, clock);
    service_ = make_service(VisitOptions{});
    owner_ = {make_user("owner"), Role::owner};
    admin_ = {make_user("admin"), Role::admin};
    seeker_ = {make_user("seeker"), Role::seeker};
    other_ = {make_user("seeker"), Role::seeker};
  }

  // A service on the fixture's database and clock, with other [visits] settings.
  std::unique_ptr<VisitService> make_service(VisitOptions options) {
    options.public_url = "https://griha.test";
    options.organizer_email = "no-reply@griha.test";
    return std::make_unique<VisitService>(
        *db_, *listings_, *gazetteer_, options, [this] { return now_.load(); },
        [this] { ++wakes_; });
  }

  std::int64_t make_user(const std::string& role, bool email_verified = true) {
    static constexpr storage::Query k_insert{
        "test.insert_user",
        "INSERT INTO users (email, name, role, email_verified, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $5) RETURNING id"};
    const std::string email = role + std::to_string(++users_) + "@example.in";
    return db_
        ->exec(k_insert, storage::params(email, "Test " + role, role, email_verified ? 1 : 0,
                                         "2026-01-01T00:00:00Z"))
        .value()
        .rows.at(0)
        .i64(0);
  }

  std::int64_t notifications(std::int64_t user_id, std::string_view kind) {
    static constexpr storage::Query k_count{
        "test.visit_notifications",
        "SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = $2"};
    return db_->exec(k_count, storage::params(user_id, std::string(kind)))
        .value()
        .rows.at(0)
        .i64(0);
  }

  // An active listing in Baner, Pune, open for visits every day 10:00-18:00 IST.
  std::int64_t listing(int visitors_per_slot = 1) {
    const auto* city = gazetteer_->city_by_name_or_slug("Pune");
    const auto* loc = gazetteer_->find_locality(city->id, "Baner");
    boost::json::object b = boost::json::parse(R"({
      "transaction":"sale_resale","property_type":"apartment","title":"Bright 2 BHK in Baner",
      "description":"A bright flat near the highway, with covered parking and good light.",
      "bhk":2,"bathrooms":2,"carpet_area_sqft":900,"price":9500000,
      "furnishing":"semi_furnished","possession":"ready"})")
                                .as_object();
    b["city_id"] = city->id;
    b["locality_id"] = loc->id;
    const Principal lister{owner_.user_id, owner_.role};
    const Principal admin{admin_.user_id, admin_.role};
    auto l = listings_->create(lister, b).value();
    listings_->submit(lister, l.id).value();
    listings_->approve(admin, l.id).value();
    set_hours(l.id, visitors_per_slot);
    return l.id;
  }

  void set_hours(std::int64_t listing_id, int visitors_per_slot) {
    boost::json::array windows;
    for (int d = 0; d < 7; ++d)
      windows.push_back({{"day", day_name(d)}, {"start", "10:00"}, {"end", "18:00"}});
    auto a =
        parse_availability(
            {{"slot_minutes", 30}, {"visitors_per_slot", visitors_per_slot}, {"windows", windows}})
            .value();
    service_->set_availability(owner_, listing_id, a).value();
  }

  static std::time_t at(std::string_view iso) { return *parse_instant(iso); }

  struct OutboxRow {
    std::string kind, status, next_attempt_at, cancel_key, recipient, ics;
  };
  std::vector<OutboxRow> outbox() {
    static constexpr storage::Query k_rows{
        "test.visit_outbox",
        "SELECT kind, status, next_attempt_at, COALESCE(cancel_key, ''), recipient, extras "
        "FROM outbox ORDER BY id"};
    std::vector<OutboxRow> out;
    for (const auto& r : db_->exec(k_rows).value().rows) {
      OutboxRow row{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), ""};
      const auto extras = boost::json::parse(r.text(5)).as_object();
      if (const auto* att = extras.if_contains("attachments"))
        for (const auto& a : att->as_array())
          row.ics += std::string(a.as_object().at("content").as_string());
      out.push_back(std::move(row));
    }
    return out;
  }
  std::vector<OutboxRow> outbox_of(std::string_view kind) {
    std::vector<OutboxRow> out;
    for (auto& r : outbox())
      if (r.kind == kind) out.push_back(r);
    return out;
  }

  std::unique_ptr<test::ScratchDatabase> scratch_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<listings::Gazetteer> gazetteer_;
  std::unique_ptr<listings::ListingService> listings_;
  std::unique_ptr<VisitService> service_;
  // Monday 2026-11-23, 05:30 IST.
  std::atomic<std::time_t> now_{*parse_instant("2026-11-23T00:00:00Z")};
  std::atomic<int> wakes_{0};
  int users_ = 0;
  Principal owner_, admin_, seeker_, other_;
};

TEST_P(VisitServiceContract, RemindersAre24And2HoursBeforeAndTooLateOnesAreSkipped) {
  const auto id = listing(2);
  // Thursday 10:00 IST, three days ahead.
  auto v = service_->book(seeker_, id, at("2026-11-26T10:00:00+05:30"), "").value();
  auto reminders = outbox_of("visit.reminder");
  ASSERT_EQ(reminders.size(), 2u);
  EXPECT_EQ(reminders[0].next_attempt_at, "2026-11-25T04:30:00Z");
  EXPECT_EQ(reminders[1].next_attempt_at, "2026-11-26T02:30:00Z");
  for (const auto& r : reminders) {
    EXPECT_EQ(r.status, "pending");
    EXPECT_EQ(r.cancel_key, "visit-reminders:" + std::to_string(v.id));
    EXPECT_EQ(r.recipient, "seeker3@example.in");
  }
  // Booked 5 hours ahead (10:30 IST today): the 24-hour reminder's time has passed.
  auto soon = service_->book(other_, id, at("2026-11-23T10:30:00+05:30"), "").value();
  reminders = outbox_of("visit.reminder");
  ASSERT_EQ(reminders.size(), 3u);
  EXPECT_EQ(reminders[2].next_attempt_at, "2026-11-23T03:00:00Z");
  EXPECT_EQ(reminders[2].cancel_key, "visit-reminders:" + std::to_string(soon.id));
}

TEST_P(VisitServiceContract, ConfirmationsCarryARequestInviteForBothSides) {
  const auto id = listing();
  auto v = service_->book(seeker_, id, at("2026-11-26T10:00:00+05:30"), "Ring twice").value();
  const auto seeker_mail = outbox_of("visit.booked.seeker");
  const auto lister_mail = outbox_of("visit.booked.lister");
  ASSERT_EQ(seeker_mail.size(), 1u);
  ASSERT_EQ(lister_mail.size(), 1u);
  EXPECT_EQ(seeker_mail[0].recipient, "seeker3@example.in");
  EXPECT_EQ(lister_mail[0].recipient, "owner1@example.in");
  for (const auto& m : {seeker_mail[0], lister_mail[0]}) {
    EXPECT_NE(m.ics.find("METHOD:REQUEST"), std::string::npos);
    EXPECT_NE(m.ics.find("UID:" + v.ical_uid), std::string::npos);
    EXPECT_NE(m.ics.find("SEQUENCE:0"), std::string::npos);
    EXPECT_NE(m.ics.find("DTSTART:20261126T043000Z"), std::string::npos);
  }
  // The seeker's copy does not carry the lister's address; the lister's names the seeker.
  EXPECT_EQ(seeker_mail[0].ics.find("owner1@example.in"), std::string::npos);
  EXPECT_NE(lister_mail[0].ics.find("mailto:seeker3@example.in"), std::string::npos);
  EXPECT_EQ(wakes_.load(), 1);
}

TEST_P(VisitServiceContract, WhatPeopleTypedIsEscapedInTheHtmlPart) {
  const auto id = listing();
  service_->book(seeker_, id, at("2026-11-26T10:00:00+05:30"), "<script>alert(1)</script> & co")
      .value();
  static constexpr storage::Query k_html{"test.visit_html",
                                         "SELECT body_text, body_html FROM outbox WHERE kind = $1"};
  const auto rows = db_->exec(k_html, storage::params("visit.booked.lister")).value().rows;
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].text(0).find("<script>alert(1)</script> & co"), std::string::npos)
      << "the text part shows the note as typed";
  const std::string html = rows[0].text(1);
  EXPECT_EQ(html.find("<script>"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"), std::string::npos);
}

TEST_P(VisitServiceContract, RescheduleSendsAnUpdateAndMovesTheReminders) {
  const auto id = listing();
  auto v = service_->book(seeker_, id, at("2026-11-26T10:00:00+05:30"), "").value();
  auto [moved, party] =
      service_->reschedule(owner_, v.id, at("2026-11-27T15:00:00+05:30"), "Plumber visiting")
          .value();
  EXPECT_EQ(party, Party::lister);
  EXPECT_EQ(moved.start_at, "2026-11-27T09:30:00Z");
  EXPECT_EQ(moved.ical_sequence, 1);
  EXPECT_EQ(moved.reschedule_reason, "Plumber visiting");
  const auto reminders = outbox_of("visit.reminder");
  ASSERT_EQ(reminders.size(), 4u);
  EXPECT_EQ(reminders[0].status, "cancelled");
  EXPECT_EQ(reminders[1].status, "cancelled");
  EXPECT_EQ(reminders[2].status, "pending");
  EXPECT_EQ(reminders[2].next_attempt_at, "2026-11-26T09:30:00Z");
  EXPECT_EQ(reminders[3].next_attempt_at, "2026-11-27T07:30:00Z");
  const auto updates = outbox_of("visit.rescheduled.seeker");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_NE(updates[0].ics.find("METHOD:REQUEST"), std::string::npos);
  EXPECT_NE(updates[0].ics.find("UID:" + v.ical_uid), std::string::npos);
  EXPECT_NE(updates[0].ics.find("SEQUENCE:1"), std::string::npos);
  EXPECT_NE(updates[0].ics.find("DTSTART:20261127T093000Z"), std::string::npos);
  // The old slot is free again and the new one is taken.
  auto slots = service_->slots(id, parse_date("2026-11-26"), 2).value();
  for (const auto& s : slots) {
    if (iso_utc(s.slot.start) == "2026-11-26T04:30:00Z") EXPECT_EQ(s.available, 1);
    if (iso_utc(s.slot.start) == "2026-11-27T09:30:00Z") EXPECT_EQ(s.available, 0);
  }

  auto [cancelled, by] = service_->cancel(seeker_, v.id, "Found another flat").value();
  EXPECT_EQ(by, Party::seeker);
  EXPECT_EQ(cancelled.ical_sequence, 2);
  const auto cancels = outbox_of("visit.cancelled.lister");
  ASSERT_EQ(cancels.size(), 1u);
  EXPECT_NE(cancels[0].ics.find("METHOD:CANCEL"), std::string::npos);
  EXPECT_NE(cancels[0].ics.find("UID:" + v.ical_uid), std::string::npos);
  EXPECT_NE(cancels[0].ics.find("SEQUENCE:2"), std::string::npos);
  for (const auto& r : outbox_of("visit.reminder")) EXPECT_EQ(r.status, "cancelled");
}

TEST_P(VisitServiceContract, OutcomeOnlyByTheListerAndOnlyOnceTheVisitStarted) {
  const auto id = listing();
  auto v = service_->book(seeker_, id, at("2026-11-26T10:00:00+05:30"), "").value();
  auto early = service_->record_outcome(owner_, v.id, "visited");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, "visit_not_started");
  now_ = at("2026-11-26T10:00:00+05:30");  // the start itself
  auto by_seeker = service_->record_outcome(seeker_, v.id, "visited");
  ASSERT_FALSE(by_seeker);
  EXPECT_EQ(by_seeker.error().code, "not_visit_lister");
  auto by_other = service_->record_outcome(other_, v.id, "visited");
  ASSERT_FALSE(by_other);
  EXPECT_EQ(by_other.error().code, "visit_not_found");
  auto done = service_->record_outcome(owner_, v.id, "no_show").value();
  EXPECT_EQ(done.status, "no_show");
  EXPECT_EQ(done.outcome_at, std::optional<std::string>("2026-11-26T04:30:00Z"));
  // Once started, a visit can no longer be cancelled or moved.
  auto late_cancel = service_->cancel(seeker_, v.id, "too late");
  ASSERT_FALSE(late_cancel);
  EXPECT_EQ(late_cancel.error().code, "visit_not_booked");
}

TEST_P(VisitServiceContract, AStartedVisitCannotBeCancelledOrMoved) {
  const auto id = listing();
  auto v = service_->book(seeker_, id, at("2026-11-26T10:00:00+05:30"), "").value();
  now_ = at("2026-11-26T10:05:00+05:30");
  auto cancel = service_->cancel(seeker_, v.id, "late");
  ASSERT_FALSE(cancel);
  EXPECT_EQ(cancel.error().code, "visit_started");
  auto moved = service_->reschedule(owner_, v.id, at("2026-11-27T10:00:00+05:30"), "late");
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, "visit_started");
  // A cancelled visit has no outcome.
  auto v2 = service_->book(other_, id, at("2026-11-28T10:00:00+05:30"), "").value();
  service_->cancel(other_, v2.id, "changed plans").value();
  now_ = at("2026-11-28T11:00:00+05:30");
  auto outcome = service_->record_outcome(owner_, v2.id, "visited");
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().code, "visit_cancelled");
}

TEST_P(VisitServiceContract, SlotsRespectTheMinimumNoticeAndTheHorizon) {
  const auto id = listing();
  now_ = at("2026-11-23T10:15:00+05:30");
  // 10:30 is 15 minutes away, 11:00 45 minutes: under the default hour of notice.
  for (const char* t : {"2026-11-23T10:30:00+05:30", "2026-11-23T11:00:00+05:30"}) {
    auto r = service_->book(seeker_, id, at(t), "");
    ASSERT_FALSE(r) << t;
    EXPECT_EQ(r.error().code, "slot_unavailable");
    // Well-formed but not doable: 422 by its kind, not by its code's spelling.
    EXPECT_EQ(r.error().kind, ErrorKind::unprocessable);
    EXPECT_EQ(r.error().fields.at(0).field, "/start");
  }
  auto slots = service_->slots(id, std::nullopt, 1).value();
  ASSERT_FALSE(slots.empty());
  EXPECT_EQ(iso_local(slots.front().slot.start), "2026-11-23T11:30:00+05:30");
  EXPECT_TRUE(service_->book(seeker_, id, at("2026-11-23T11:30:00+05:30"), ""));
  // 60 days ahead is the horizon; beyond it nothing is offered or bookable.
  auto far = service_->book(seeker_, id, at("2027-01-23T10:00:00+05:30"), "");
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().code, "slot_unavailable");
  EXPECT_TRUE(service_->slots(id, parse_date("2027-01-23"), 3).value().empty());
  // A past day shows nothing.
  EXPECT_TRUE(service_->slots(id, parse_date("2026-11-20"), 3).value().empty());
}

TEST_P(VisitServiceContract, AFailedBookingWritesNothingAndWakesNobody) {
  const auto id = listing();
  service_->book(seeker_, id, at("2026-11-26T10:00:00+05:30"), "").value();
  const auto before = outbox().size();
  ASSERT_EQ(wakes_.load(), 1);
  auto full = service_->book(other_, id, at("2026-11-26T10:00:00+05:30"), "");
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, "slot_full");
  EXPECT_EQ(outbox().size(), before);
  EXPECT_EQ(wakes_.load(), 1);
}

TEST_P(VisitServiceContract, LoweringTheCapacityStopsBookingsOfAFullerSlot) {
  const auto id = listing(3);
  const auto t = at("2026-11-26T10:00:00+05:30");
  service_->book(seeker_, id, t, "").value();
  service_->book(other_, id, t, "").value();
  set_hours(id, 1);
  for (const auto& s : service_->slots(id, parse_date("2026-11-26"), 1).value())
    if (s.slot.start == t) EXPECT_EQ(s.available, 0);
  auto r = service_->book(Principal{make_user("seeker"), Role::seeker}, id, t, "");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "slot_full");
}

TEST_P(VisitServiceContract, ConcurrentBookingsNeverOverfillASlot) {
  const auto id = listing(2);
  const auto t = at("2026-11-26T10:00:00+05:30");
  std::vector<Principal> seekers;
  for (int i = 0; i < 16; ++i) seekers.push_back({make_user("seeker"), Role::seeker});
  std::atomic<int> ok{0}, full{0}, other{0};
  std::latch go(static_cast<std::ptrdiff_t>(seekers.size()));
  std::vector<std::thread> threads;
  for (const auto& s : seekers)
    threads.emplace_back([&, s] {
      go.arrive_and_wait();
      auto r = service_->book(s, id, t, "");
      if (r)
        ++ok;
      else if (r.error().code == "slot_full")
        ++full;
      else
        ++other;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 2);
  EXPECT_EQ(full.load(), 14);
  EXPECT_EQ(other.load(), 0);
}

TEST_P(VisitServiceContract, ListersSeeDefaultHoursUntilTheySetTheirOwn) {
  const auto id = listing();
  static constexpr storage::Query k_unset{"test.visit_unset_hours",
                                          "DELETE FROM visit_availability WHERE listing_id = $1"};
  db_->exec(k_unset, storage::params(id)).value();
  for (const Principal& who : {owner_, admin_}) {
    auto a = service_->availability(who, id);
    ASSERT_TRUE(a) << a.error().code;
    EXPECT_FALSE(a->has_value());
  }
  // Everyone else is still refused, set or not.
  auto other = service_->availability(Principal{make_user("agent"), Role::agent}, id);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "not_listing_owner");
  set_hours(id, 1);
  auto set = service_->availability(owner_, id).value();
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->windows.size(), 7u);
}

TEST_P(VisitServiceContract, ASeekerHoldsAtMostTwoUpcomingVisitsOfAListing) {
  const auto id = listing(3), other_listing = listing(3);
  auto first = service_->book(seeker_, id, at("2026-11-26T10:00:00+05:30"), "").value();
  service_->book(seeker_, id, at("2026-11-27T10:00:00+05:30"), "").value();
  const auto mail = outbox().size();
  auto third = service_->book(seeker_, id, at("2026-11-28T10:00:00+05:30"), "");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, "visit_limit_per_listing");
  EXPECT_EQ(third.error().kind, ErrorKind::conflict);
  EXPECT_EQ(outbox().size(), mail) << "a refused booking sends nothing";
  // Other seekers and other listings are not affected.
  EXPECT_TRUE(service_->book(other_, id, at("2026-11-28T10:00:00+05:30"), ""));
  EXPECT_TRUE(service_->book(seeker_, other_listing, at("2026-11-28T10:00:00+05:30"), ""));
  // A cancelled visit no longer counts, nor does one whose time has come.
  service_->cancel(seeker_, first.id, "Changed my mind").value();
  EXPECT_TRUE(service_->book(seeker_, id, at("2026-11-28T11:00:00+05:30"), ""));
  EXPECT_EQ(service_->book(seeker_, id, at("2026-11-29T10:00:00+05:30"), "").error().code,
            "visit_limit_per_listing");
  now_ = at("2026-11-27T10:00:00+05:30");
  EXPECT_TRUE(service_->book(seeker_, id, at("2026-11-29T10:00:00+05:30"), ""));
}

TEST_P(VisitServiceContract, ASeekerHoldsAtMostMaxActiveUpcomingVisitsInAll) {
  VisitOptions o;
  o.max_active = 3;
  auto service = make_service(o);
  const auto a = listing(), b = listing(), c = listing();
  service->book(seeker_, a, at("2026-11-26T10:00:00+05:30"), "").value();
  service->book(seeker_, a, at("2026-11-27T10:00:00+05:30"), "").value();
  auto third = service->book(seeker_, b, at("2026-11-26T10:00:00+05:30"), "").value();
  auto fourth = service->book(seeker_, c, at("2026-11-26T10:00:00+05:30"), "");
  ASSERT_FALSE(fourth);
  EXPECT_EQ(fourth.error().code, "visit_limit_active");
  EXPECT_TRUE(service->book(other_, c, at("2026-11-26T10:00:00+05:30"), ""));
  // Rescheduling keeps the count as it was.
  service->reschedule(seeker_, third.id, at("2026-11-28T10:00:00+05:30"), "Later").value();
  service->cancel(seeker_, third.id, "Not needed").value();
  EXPECT_TRUE(service->book(seeker_, c, at("2026-11-27T10:00:00+05:30"), ""));
}

TEST_P(VisitServiceContract, ConcurrentBookingsOfOneSeekerStayWithinTheCaps) {
  VisitOptions o;
  o.max_active = 3;
  o.seeker_rate_per_minute = 1000;  // the caps are under test here, not the rate limit
  auto service = make_service(o);
  // 16 requests at once: 4 listings, 4 slots each. Per listing at most 2, in all at most 3.
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(listing());
  std::atomic<int> ok{0}, capped{0}, other{0};
  std::latch go(16);
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i)
    threads.emplace_back([&, i] {
      const std::time_t start = at("2026-11-26T10:00:00+05:30") + (i / 4) * 86400;
      go.arrive_and_wait();
      auto r = service->book(seeker_, ids[i % 4], start, "");
      if (r)
        ++ok;
      else if (r.error().code == "visit_limit_active" ||
               r.error().code == "visit_limit_per_listing")
        ++capped;
      else
        ++other;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(capped.load(), 13);
  EXPECT_EQ(other.load(), 0);
  static constexpr storage::Query k_live{
      "test.visit_live", "SELECT count(*) FROM visits WHERE seeker_id = $1 AND status = 'booked'"};
  EXPECT_EQ(db_->exec(k_live, storage::params(seeker_.user_id)).value().rows.at(0).i64(0), 3);

  // And on one listing alone, the per-listing cap holds under the same race.
  o.max_active = 10;
  service = make_service(o);
  const auto one = listing(3);
  std::atomic<int> ok2{0}, capped2{0};
  std::latch go2(12);
  threads.clear();
  for (int i = 0; i < 12; ++i)
    threads.emplace_back([&, i] {
      const std::time_t start = at("2026-11-26T10:00:00+05:30") + i * 1800;
      go2.arrive_and_wait();
      auto r = service->book(other_, one, start, "");
      if (r)
        ++ok2;
      else if (r.error().code == "visit_limit_per_listing")
        ++capped2;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok2.load(), 2);
  EXPECT_EQ(capped2.load(), 10);
}

TEST_P(VisitServiceContract, BookingAndReschedulingAreRateLimitedPerAccountAndPerIp) {
  VisitOptions o;
  o.ip_rate_per_minute = 4;
  o.seeker_rate_per_minute = 3;
  auto service = make_service(o);
  const auto id = listing(3);
  auto v = service->book(seeker_, id, at("2026-11-26T10:00:00+05:30"), "", "10.0.0.1").value();
  // Refused or not, every attempt takes a token.
  EXPECT_EQ(
      service->book(seeker_, id, at("2026-11-26T10:10:00+05:30"), "", "10.0.0.1").error().code,
      "slot_unavailable");
  service->reschedule(seeker_, v.id, at("2026-11-27T10:00:00+05:30"), "Later", "10.0.0.1").value();
  auto fourth = service->book(seeker_, id, at("2026-11-28T10:00:00+05:30"), "", "10.0.0.2");
  ASSERT_FALSE(fourth);
  EXPECT_EQ(fourth.error().code, "rate_limited");
  EXPECT_EQ(fourth.error().kind, ErrorKind::rate_limited);
  EXPECT_GE(fourth.error().retry_after_seconds, 1);
  auto moved = service->reschedule(seeker_, v.id, at("2026-11-28T10:00:00+05:30"), "x", "10.0.0.3");
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().code, "rate_limited");
  // 10.0.0.1 has used 3 of its 4: one more from another account, then that address is refused.
  EXPECT_TRUE(service->book(other_, id, at("2026-11-28T10:00:00+05:30"), "", "10.0.0.1"));
  auto from_ip = service->book(Principal{make_user("seeker"), Role::seeker}, id,
                               at("2026-11-29T10:00:00+05:30"), "", "10.0.0.1");
  ASSERT_FALSE(from_ip);
  EXPECT_EQ(from_ip.error().code, "rate_limited");
  EXPECT_GE(from_ip.error().retry_after_seconds, 1);
  EXPECT_TRUE(service->book(Principal{make_user("seeker"), Role::seeker}, id,
                            at("2026-11-29T10:00:00+05:30"), "", "10.0.0.4"));
}

TEST_P(VisitServiceContract, VisitEmailsGoOnlyToVerifiedAddresses) {
  const auto id = listing(2);
  const Principal unverified{make_user("seeker", false), Role::seeker};
  const std::string address = "seeker" + std::to_string(users_) + "@example.in";
  auto v = service_->book(unverified, id, at("2026-11-26T10:00:00+05:30"), "").value();
  service_->reschedule(owner_, v.id, at("2026-11-27T10:00:00+05:30"), "Painters").value();
  service_->cancel(owner_, v.id, "Sold").value();
  for (const auto& m : outbox()) {
    EXPECT_NE(m.recipient, address) << m.kind;
    // Not even as an attendee in the lister's invites.
    EXPECT_EQ(m.ics.find(address), std::string::npos) << m.kind;
  }
  EXPECT_EQ(outbox_of("visit.booked.lister").size(), 1u);
  EXPECT_EQ(outbox_of("visit.rescheduled.lister").size(), 1u);
  EXPECT_TRUE(outbox_of("visit.reminder").empty());
  // The app tells them all the same.
  EXPECT_EQ(notifications(unverified.user_id, "visit.rescheduled"), 1);
  EXPECT_EQ(notifications(unverified.user_id, "visit.cancelled"), 1);
  // The lister shown the seeker's details still sees the address, as typed.
  EXPECT_EQ(service_->get(owner_, v.id).value().first.seeker_email,
            std::optional<std::string>(address));

  // A lister with an unverified address: in-app only, and the seeker's mail as usual.
  static constexpr storage::Query k_unverify{"test.unverify",
                                             "UPDATE users SET email_verified = 0 WHERE id = $1"};
  db_->exec(k_unverify, storage::params(owner_.user_id)).value();
  const auto lister_mail = outbox_of("visit.booked.lister").size();
  service_->book(seeker_, id, at("2026-11-28T10:00:00+05:30"), "").value();
  EXPECT_EQ(outbox_of("visit.booked.lister").size(), lister_mail);
  EXPECT_EQ(outbox_of("visit.booked.seeker").size(), 1u);
  EXPECT_EQ(outbox_of("visit.reminder").size(), 2u);
  EXPECT_EQ(notifications(owner_.user_id, "visit.booked"), 2);
}

}  // namespace griha::visits
