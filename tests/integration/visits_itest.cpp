// Site visits over HTTP against the real binary, on SQLite and PostgreSQL: no double booking
// under 50 concurrent requests, capacity, cancel and reschedule freeing places, who may do
// what (other people's visits are 404), validation, what the booking leaves in the outbox, the
// caps on one seeker's visits (even under concurrent requests), rate limits and mail only to
// verified addresses.
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <latch>
#include <set>
#include <thread>

#include "core/time.hpp"
#include "storage/database.hpp"
#include "support/api.hpp"
#include "visits/availability.hpp"

namespace griha::test {
namespace {

using bhttp::verb;

class VisitsApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { start({}); }
  // 50-odd users sign in and book from one address: the per-IP limits of sign-in and of
  // booking are lifted unless `env` sets them.
  static void start(std::map<std::string, std::string> env) {
    env.try_emplace("GRIHA_AUTH_IP_RATE_PER_MINUTE", "100000");
    env.try_emplace("GRIHA_VISITS_IP_RATE_PER_MINUTE", "100000");
    server_ = new GrihaProcess(env);
    owner_ = create_user(*server_, "owner");
    agent_ = create_user(*server_, "agent");
    admin_ = create_user(*server_, "admin");
    storage::DatabaseOptions o;
    o.url = server_->database_url();
    o.pool_size = 2;
    db_ = storage::Database::open(o).value().release();
  }
  static void TearDownTestSuite() {
    delete db_;
    delete server_;
    seekers_.clear();  // users of that server's database
  }

  // Seekers are made when first needed (ctest runs each test in its own process, and only
  // the races need fifty).
  static const TestUser& seeker(std::size_t i) {
    while (seekers_.size() <= i) seekers_.push_back(create_user(*server_, "seeker"));
    return seekers_[i];
  }
  // A seeker no other test books with, so that the mail to them is theirs alone.
  static TestUser fresh_seeker() { return create_user(*server_, "seeker"); }

  static Api api() { return Api(*server_); }
  static HttpResponse call(verb method, const std::string& target, const TestUser* as,
                           const std::string& body = {}, Headers headers = {}) {
    return api().call(method, target, as, body, std::move(headers));
  }

  // The local (IST) date `days` from today.
  static std::string day(int days) {
    return visits::format_date(visits::local_date(std::time(nullptr)) + std::chrono::days(days));
  }

  static std::string hours_body(int visitors, const std::string& blackout = "") {
    boost::json::array windows;
    for (const char* d : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
      windows.push_back({{"day", d}, {"start", "10:00"}, {"end", "18:00"}});
    boost::json::array dates;
    if (!blackout.empty()) dates.push_back(boost::json::string(blackout));
    return boost::json::serialize(boost::json::object{{"timezone", "Asia/Kolkata"},
                                                      {"slot_minutes", 30},
                                                      {"visitors_per_slot", visitors},
                                                      {"windows", windows},
                                                      {"blackout_dates", dates}});
  }

  // An active listing by owner_, with no visiting hours yet.
  static std::int64_t active_listing() {
    const auto places = json_body(api().get("/api/v1/places?q=baner"));
    const auto& p = places.at("places").as_array().at(0);
    return api().publish_listing(
        owner_, admin_,
        {{"title", "Bright 2 BHK in Baner"},
         {"description", "A bright flat near the highway, with good light."},
         {"carpet_area_sqft", 900},
         {"price", 9500000},
         {"city_id", p.at("city_id")},
         {"locality_id", p.at("locality_id")}});
  }

  // An active listing by owner_, open for visits every day 10:00-18:00 IST.
  static std::int64_t listing_with_hours(int visitors, const std::string& blackout = "") {
    const auto id = active_listing();
    const std::string path = "/api/v1/listings/" + std::to_string(id);
    auto put = call(verb::put, path + "/availability", &owner_, hours_body(visitors, blackout));
    EXPECT_EQ(put.result_int(), 200) << put.body();
    return id;
  }

  static boost::json::array slots(std::int64_t id, const std::string& from, int days = 1) {
    auto r = call(verb::get,
                  "/api/v1/listings/" + std::to_string(id) + "/slots?from=" + from +
                      "&days=" + std::to_string(days),
                  nullptr);
    EXPECT_EQ(r.result_int(), 200) << r.body();
    return json_body(r).at("slots").as_array();
  }
  static std::int64_t available(std::int64_t id, const std::string& start) {
    const auto from = visits::format_date(visits::local_date(*visits::parse_instant(start)));
    for (const auto& s : slots(id, from))
      if (s.at("start").as_string() == start) return s.at("available").as_int64();
    return -1;
  }
  // The UTC start of the first slot `days` ahead (10:00 IST that day).
  static std::string slot_start(std::int64_t id, int days, std::size_t index = 0) {
    return std::string(slots(id, day(days)).at(index).at("start").as_string());
  }

  static HttpResponse book(const TestUser& who, std::int64_t id, const std::string& start,
                           const std::string& note = "") {
    boost::json::object body{{"start", start}};
    if (!note.empty()) body["note"] = note;
    return call(verb::post, "/api/v1/listings/" + std::to_string(id) + "/visits", &who,
                boost::json::serialize(body));
  }
  static std::string visit_path(std::int64_t visit_id, const std::string& action = "") {
    return "/api/v1/visits/" + std::to_string(visit_id) + (action.empty() ? "" : "/" + action);
  }

  // 50 threads, released together, each with its own seeker: how many got which status.
  static std::map<int, int> race(std::int64_t id, const std::string& start, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) seeker(i);  // made before the race starts
    std::vector<std::atomic<int>> statuses(n);
    std::latch go(static_cast<std::ptrdiff_t>(n));
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < n; ++i)
      threads.emplace_back([&, i] {
        go.arrive_and_wait();
        statuses[i] = book(seekers_[i], id, start).result_int();
      });
    for (auto& t : threads) t.join();
    std::map<int, int> out;
    for (auto& s : statuses) ++out[s.load()];
    return out;
  }

  static std::int64_t count(std::string_view sql, std::vector<storage::Value> params) {
    const storage::Query q{"test.visits_count", sql};
    return db_->exec(q, params).value().rows.at(0).i64(0);
  }

  static GrihaProcess* server_;
  static storage::Database* db_;
  static TestUser owner_, agent_, admin_;
  static std::deque<TestUser> seekers_;  // references stay valid as it grows
};
GrihaProcess* VisitsApi::server_ = nullptr;
storage::Database* VisitsApi::db_ = nullptr;
TestUser VisitsApi::owner_, VisitsApi::agent_, VisitsApi::admin_;
std::deque<TestUser> VisitsApi::seekers_;

TEST_F(VisitsApi, FiftyParallelBookingsOfASingleVisitorSlotMakeExactlyOne) {
  const auto id = listing_with_hours(1);
  const std::string start = slot_start(id, 2);
  const auto statuses = race(id, start, 50);
  EXPECT_EQ(statuses, (std::map<int, int>{{201, 1}, {409, 49}}));
  EXPECT_EQ(count("SELECT count(*) FROM visits WHERE listing_id = $1 AND start_at = $2 AND "
                  "status = 'booked'",
                  storage::params(id, start)),
            1);
  EXPECT_EQ(available(id, start), 0);
}

TEST_F(VisitsApi, ASlotForThreeTakesExactlyThree) {
  const auto id = listing_with_hours(3);
  const std::string start = slot_start(id, 2);
  EXPECT_EQ(race(id, start, 50), (std::map<int, int>{{201, 3}, {409, 47}}));
  EXPECT_EQ(count("SELECT count(*) FROM visits WHERE listing_id = $1 AND start_at = $2",
                  storage::params(id, start)),
            3);
  EXPECT_EQ(available(id, start), 0);
  auto full = book(agent_, id, start);  // not among the 50
  EXPECT_EQ(code_of(full), "slot_full");
}

TEST_F(VisitsApi, TheSameSeekerCannotHoldTwoBookingsOfOneSlot) {
  const auto id = listing_with_hours(3);
  const std::string start = slot_start(id, 2);
  ASSERT_EQ(book(seeker(0), id, start).result_int(), 201);
  auto again = book(seeker(0), id, start);
  EXPECT_EQ(again.result_int(), 409);
  EXPECT_EQ(code_of(again), "already_booked");
  EXPECT_EQ(available(id, start), 2);
  // Another slot of the same listing is fine.
  EXPECT_EQ(book(seeker(0), id, slot_start(id, 2, 1)).result_int(), 201);
}

TEST_F(VisitsApi, CancellingFreesTheSlot) {
  const auto id = listing_with_hours(1);
  const std::string start = slot_start(id, 3);
  auto booked = book(seeker(0), id, start, "Please share the gate code");
  ASSERT_EQ(booked.result_int(), 201) << booked.body();
  const auto visit = json_body(booked).at("visit");
  EXPECT_EQ(visit.at("status").as_string(), "booked");
  EXPECT_EQ(visit.at("start").as_string(), start);
  EXPECT_EQ(visit.at("start_local").as_string(), visits::iso_local(*visits::parse_instant(start)));
  const auto vid = visit.at("id").as_int64();
  EXPECT_EQ(booked[bhttp::field::location], visit_path(vid));
  EXPECT_EQ(code_of(book(seeker(1), id, start)), "slot_full");

  auto no_reason = call(verb::post, visit_path(vid, "cancel"), &seeker(0), "{}");
  EXPECT_EQ(no_reason.result_int(), 400);
  EXPECT_EQ(json_body(no_reason).at("errors").at(0).at("field").as_string(), "/reason");
  auto cancelled =
      call(verb::post, visit_path(vid, "cancel"), &seeker(0), R"({"reason":"Found a flat"})");
  ASSERT_EQ(cancelled.result_int(), 200) << cancelled.body();
  EXPECT_EQ(json_body(cancelled).at("visit").at("status").as_string(), "cancelled");
  EXPECT_EQ(json_body(cancelled).at("visit").at("cancelled_by").as_string(), "seeker");
  EXPECT_EQ(available(id, start), 1);
  EXPECT_EQ(book(seeker(1), id, start).result_int(), 201);
  // Cancelling twice is refused and frees nothing more.
  auto twice = call(verb::post, visit_path(vid, "cancel"), &seeker(0), R"({"reason":"Again"})");
  EXPECT_EQ(code_of(twice), "visit_not_booked");
  EXPECT_EQ(available(id, start), 0);
}

TEST_F(VisitsApi, TheListerCanCancelToo) {
  const auto id = listing_with_hours(1);
  const std::string start = slot_start(id, 3);
  const auto vid = json_body(book(seeker(2), id, start)).at("visit").at("id").as_int64();
  auto cancelled =
      call(verb::post, visit_path(vid, "cancel"), &owner_, R"({"reason":"Sold the flat"})");
  ASSERT_EQ(cancelled.result_int(), 200) << cancelled.body();
  EXPECT_EQ(json_body(cancelled).at("visit").at("cancelled_by").as_string(), "lister");
  EXPECT_EQ(available(id, start), 1);
}

TEST_F(VisitsApi, RescheduleMovesTheBookingAndFreesTheOldSlot) {
  const auto id = listing_with_hours(1);
  const std::string first = slot_start(id, 2), second = slot_start(id, 3, 4);
  const auto vid = json_body(book(seeker(3), id, first)).at("visit").at("id").as_int64();
  auto no_reason = call(verb::post, visit_path(vid, "reschedule"), &seeker(3),
                        R"({"start":")" + second + R"("})");
  EXPECT_EQ(no_reason.result_int(), 400);
  const std::string local = visits::iso_local(*visits::parse_instant(second));
  auto moved = call(verb::post, visit_path(vid, "reschedule"), &owner_,
                    R"({"start":")" + local + R"(","reason":"Painters in that day"})");
  ASSERT_EQ(moved.result_int(), 200) << moved.body();
  EXPECT_EQ(json_body(moved).at("visit").at("start").as_string(), second);
  EXPECT_EQ(json_body(moved).at("visit").at("reschedule_reason").as_string(),
            "Painters in that day");
  EXPECT_EQ(available(id, first), 1);
  EXPECT_EQ(available(id, second), 0);
  // Onto a full slot: 409, and nothing moves.
  const auto other = json_body(book(seeker(4), id, first)).at("visit").at("id").as_int64();
  auto onto_full = call(verb::post, visit_path(other, "reschedule"), &seeker(4),
                        R"({"start":")" + second + R"(","reason":"Later suits me"})");
  EXPECT_EQ(code_of(onto_full), "slot_full");
  EXPECT_EQ(available(id, first), 0);
}

TEST_F(VisitsApi, ARetriedBookingWithTheSameIdempotencyKeyBooksOnce) {
  const auto id = listing_with_hours(3);
  const std::string start = slot_start(id, 6);
  const std::string path = "/api/v1/listings/" + std::to_string(id) + "/visits";
  const std::string body = R"({"start":")" + start + R"("})";
  const Headers headers = {{"Idempotency-Key", "visit-retry-1"}};
  auto first = call(verb::post, path, &seeker(13), body, headers);
  ASSERT_EQ(first.result_int(), 201) << first.body();
  auto again = call(verb::post, path, &seeker(13), body, headers);
  EXPECT_EQ(again.result_int(), 201) << "the first answer, replayed";
  EXPECT_EQ(again["Idempotent-Replayed"], "true");
  EXPECT_EQ(json_body(again).at("visit").at("id"), json_body(first).at("visit").at("id"));
  auto other = call(verb::post, path, &seeker(13), R"({"start":")" + slot_start(id, 6, 1) + R"("})",
                    headers);
  EXPECT_EQ(other.result_int(), 422);
  EXPECT_EQ(count("SELECT count(*) FROM visits WHERE listing_id = $1 AND seeker_id = $2",
                  storage::params(id, seeker(13).id)),
            1);
  EXPECT_EQ(available(id, start), 2);
}

TEST_F(VisitsApi, AnotherUsersVisitIsNotFound) {
  const auto id = listing_with_hours(1);
  const std::string start = slot_start(id, 4);
  const auto vid = json_body(book(seeker(5), id, start)).at("visit").at("id").as_int64();
  const std::string later = slot_start(id, 5);
  for (const TestUser* who : std::initializer_list<const TestUser*>{&seeker(6), &agent_})
    api().run({
        {.path = visit_path(vid), .as = who, .expected_status = 404},
        {.method = verb::post,
         .path = visit_path(vid, "cancel"),
         .body = R"({"reason":"x"})",
         .as = who,
         .expected_status = 404},
        {.method = verb::post,
         .path = visit_path(vid, "reschedule"),
         .body = R"({"start":")" + later + R"(","reason":"x"})",
         .as = who,
         .expected_status = 404},
        {.method = verb::post,
         .path = visit_path(vid, "outcome"),
         .body = R"({"outcome":"visited"})",
         .as = who,
         .expected_status = 404},
    });
  api().run({
      {.name = "nobody", .path = visit_path(vid), .expected_status = 401},
      {.name = "no such visit",
       .path = visit_path(999999),
       .as = &seeker(5),
       .expected_status = 404},
  });
  EXPECT_EQ(available(id, start), 0) << "nothing was cancelled";
}

TEST_F(VisitsApi, OnlyTheListerRecordsTheOutcomeAndOnlyAfterTheStart) {
  const auto id = listing_with_hours(1);
  const auto vid =
      json_body(book(seeker(7), id, slot_start(id, 2))).at("visit").at("id").as_int64();
  auto by_seeker =
      call(verb::post, visit_path(vid, "outcome"), &seeker(7), R"({"outcome":"visited"})");
  EXPECT_EQ(by_seeker.result_int(), 403);
  EXPECT_EQ(code_of(by_seeker), "not_visit_lister");
  auto early = call(verb::post, visit_path(vid, "outcome"), &owner_, R"({"outcome":"visited"})");
  EXPECT_EQ(early.result_int(), 409);
  EXPECT_EQ(code_of(early), "visit_not_started");
  auto bad = call(verb::post, visit_path(vid, "outcome"), &owner_, R"({"outcome":"maybe"})");
  EXPECT_EQ(bad.result_int(), 400);

  // Let the visit's time come: move it an hour into the past in the database.
  const std::time_t past = std::time(nullptr) - 3600;
  db_->exec(storage::Query{"test.visit_to_past",
                           "UPDATE visits SET start_at = $2, end_at = $3 WHERE id = $1"},
            storage::params(vid, iso_utc(past), iso_utc(past + 1800)))
      .value();
  auto seeker_again =
      call(verb::post, visit_path(vid, "outcome"), &seeker(7), R"({"outcome":"visited"})");
  EXPECT_EQ(seeker_again.result_int(), 403);
  auto done = call(verb::post, visit_path(vid, "outcome"), &owner_, R"({"outcome":"no_show"})");
  ASSERT_EQ(done.result_int(), 200) << done.body();
  EXPECT_EQ(json_body(done).at("visit").at("status").as_string(), "no_show");
  EXPECT_EQ(
      json_body(call(verb::get, visit_path(vid), &seeker(7))).at("visit").at("status").as_string(),
      "no_show");
}

TEST_F(VisitsApi, ABookingAndAVisitMoveTheSeekersLeadAlong) {
  const auto id = listing_with_hours(1);
  const auto& who = seeker(8);
  const auto sent =
      call(verb::post, "/api/v1/listings/" + std::to_string(id) + "/inquiries", &who,
           R"({"message":"Is it still available?","preferred_contact_time":"evening"})");
  ASSERT_EQ(sent.result_int(), 201) << sent.body();
  auto lead_stage = [&] {
    const auto leads =
        json_body(call(verb::get, "/api/v1/me/leads?listing_id=" + std::to_string(id), &owner_));
    return std::string(leads.at("items").as_array().at(0).at("stage").as_string());
  };
  EXPECT_EQ(lead_stage(), "new");
  const auto booked = book(who, id, slot_start(id, 2));
  ASSERT_EQ(booked.result_int(), 201) << booked.body();
  EXPECT_EQ(lead_stage(), "visit_scheduled");

  const auto vid = json_body(booked).at("visit").at("id").as_int64();
  const std::time_t past = std::time(nullptr) - 3600;
  db_->exec(storage::Query{"test.visit_to_past",
                           "UPDATE visits SET start_at = $2, end_at = $3 WHERE id = $1"},
            storage::params(vid, iso_utc(past), iso_utc(past + 1800)))
      .value();
  ASSERT_EQ(call(verb::post, visit_path(vid, "outcome"), &owner_, R"({"outcome":"visited"})")
                .result_int(),
            200);
  EXPECT_EQ(lead_stage(), "visited");

  // Another seeker's booking does not touch this lead, and no lead is made for them.
  ASSERT_EQ(book(seeker(9), id, slot_start(id, 3)).result_int(), 201);
  const auto leads =
      json_body(call(verb::get, "/api/v1/me/leads?listing_id=" + std::to_string(id), &owner_));
  EXPECT_EQ(leads.at("items").as_array().size(), 1u);
}

TEST_F(VisitsApi, AListerCannotBookTheirOwnListing) {
  const auto id = listing_with_hours(1);
  const std::string start = slot_start(id, 2);
  auto own = book(owner_, id, start);
  EXPECT_EQ(own.result_int(), 403);
  EXPECT_EQ(code_of(own), "own_listing");
  EXPECT_EQ(available(id, start), 1);
  // Another lister may book it like anyone else.
  EXPECT_EQ(book(agent_, id, start).result_int(), 201);
}

TEST_F(VisitsApi, BadAvailabilityNamesEveryFieldAndOnlyTheListerSetsIt) {
  const auto id = listing_with_hours(1);
  const std::string path = "/api/v1/listings/" + std::to_string(id) + "/availability";
  auto r = call(verb::put, path, &owner_, R"({
      "timezone": "America/New_York", "slot_minutes": 5, "visitors_per_slot": 50,
      "windows": [{"day": "mon", "start": "10:00", "end": "13:00"},
                  {"day": "mon", "start": "11:00", "end": "12:00"},
                  {"day": "someday", "start": "10:00", "end": "09:00"}],
      "blackout_dates": ["2026-02-30"]})");
  ASSERT_EQ(r.result_int(), 400);
  EXPECT_EQ(r[bhttp::field::content_type], "application/problem+json");
  std::set<std::pair<std::string, std::string>> got;
  const auto problem = json_body(r);
  for (const auto& e : problem.at("errors").as_array())
    got.emplace(e.at("field").as_string(), e.at("code").as_string());
  EXPECT_EQ(
      got, (std::set<std::pair<std::string, std::string>>{{"/timezone", "invalid_value"},
                                                          {"/slot_minutes", "out_of_range"},
                                                          {"/visitors_per_slot", "out_of_range"},
                                                          {"/windows/1", "inconsistent"},
                                                          {"/windows/2/day", "invalid_value"},
                                                          {"/windows/2/end", "inconsistent"},
                                                          {"/blackout_dates/0", "invalid_value"}}));
  // The stored hours did not change.
  auto stored = call(verb::get, path, &owner_);
  ASSERT_EQ(stored.result_int(), 200);
  EXPECT_EQ(json_body(stored).at("slot_minutes").as_int64(), 30);
  EXPECT_EQ(json_body(stored).at("timezone").as_string(), "Asia/Kolkata");
  EXPECT_EQ(call(verb::get, path, &admin_).result_int(), 200);

  EXPECT_EQ(call(verb::put, path, &seeker(0), hours_body(2)).result_int(), 403);
  auto other = call(verb::put, path, &agent_, hours_body(2));
  EXPECT_EQ(other.result_int(), 403);
  EXPECT_EQ(code_of(other), "not_listing_owner");
  EXPECT_EQ(call(verb::get, path, &agent_).result_int(), 403);
  EXPECT_EQ(call(verb::put, path, nullptr, hours_body(2)).result_int(), 401);
  EXPECT_EQ(call(verb::put, path, &admin_, hours_body(2)).result_int(), 200);
}

TEST_F(VisitsApi, BookingATimeThatIsNoSlotIs422) {
  const std::string blackout = day(4);
  const auto id = listing_with_hours(1, blackout);
  const std::string good = slot_start(id, 2);
  const std::time_t t = *visits::parse_instant(good);
  struct Case {
    std::string start, why;
  };
  for (const auto& c : std::vector<Case>{
           {iso_utc(t + 600), "ten minutes past a slot's start"},
           {iso_utc(t - 3600), "before the day's window"},
           {visits::iso_local(visits::local_to_utc(*visits::parse_date(blackout), 600)),
            "10:00 on a blackout date"},
           {iso_utc(std::time(nullptr) - 86400), "yesterday"},
           {iso_utc(std::time(nullptr) + 200 * 86400), "beyond the horizon"}}) {
    auto r = book(seeker(8), id, c.start);
    EXPECT_EQ(r.result_int(), 422) << c.why << ": " << r.body();
    EXPECT_EQ(code_of(r), "slot_unavailable") << c.why;
  }
  EXPECT_TRUE(slots(id, blackout).empty()) << "a blackout date offers no slots";
  auto offset = book(seeker(8), id, good.substr(0, 19) + "-05:00");
  EXPECT_EQ(offset.result_int(), 400);
  EXPECT_EQ(json_body(offset).at("errors").at(0).at("code").as_string(), "invalid_value");
  auto missing = call(verb::post, "/api/v1/listings/" + std::to_string(id) + "/visits", &seeker(8),
                      R"({"note":"hi","colour":"red"})");
  EXPECT_EQ(missing.result_int(), 400);
  EXPECT_EQ(json_body(missing).at("errors").as_array().size(), 2u);
  // The same slot in India time is accepted.
  EXPECT_EQ(book(seeker(8), id, visits::iso_local(t)).result_int(), 201);
}

TEST_F(VisitsApi, SlotsArePublicForActiveListingsOnlyAndNeverTooSoon) {
  const auto id = listing_with_hours(2);
  const auto r = call(verb::get, "/api/v1/listings/" + std::to_string(id) + "/slots", nullptr);
  ASSERT_EQ(r.result_int(), 200);
  const auto body = json_body(r);
  EXPECT_EQ(body.at("timezone").as_string(), "Asia/Kolkata");
  const auto& all = body.at("slots").as_array();
  ASSERT_FALSE(all.empty());
  const std::time_t now = std::time(nullptr);
  for (const auto& s : all) {
    const auto start = *visits::parse_instant(s.at("start").as_string());
    EXPECT_GE(start, now + 3600) << "no slot within the hour of notice";
    EXPECT_EQ(s.at("start_local").as_string(), visits::iso_local(start));
    EXPECT_EQ(s.at("available").as_int64(), 2);
  }
  EXPECT_EQ(call(verb::get, "/api/v1/listings/" + std::to_string(id) + "/slots?days=31", nullptr)
                .result_int(),
            400);
  // Withdrawn: no longer public, so neither are its slots or bookings.
  ASSERT_EQ(call(verb::post, "/api/v1/listings/" + std::to_string(id) + "/withdraw", &owner_)
                .result_int(),
            200);
  EXPECT_EQ(
      call(verb::get, "/api/v1/listings/" + std::to_string(id) + "/slots", nullptr).result_int(),
      404);
  EXPECT_EQ(book(seeker(9), id, std::string(all.at(0).at("start").as_string())).result_int(), 404);
}

TEST_F(VisitsApi, TheSeekersContactIsShownToTheListerOnly) {
  const auto id = listing_with_hours(1);
  const std::string start = slot_start(id, 5);
  const TestUser visitor = fresh_seeker();
  const auto vid = json_body(book(visitor, id, start)).at("visit").at("id").as_int64();
  const std::string range = "?from=" + day(5) + "&to=" + day(5);
  auto hosted = json_body(call(verb::get, "/api/v1/me/hosted-visits" + range, &owner_));
  bool found = false;
  for (const auto& v : hosted.at("visits").as_array()) {
    if (v.at("id").as_int64() != vid) continue;
    found = true;
    EXPECT_EQ(v.at("seeker").at("email").as_string(), visitor.email);
    EXPECT_EQ(v.at("your_role").as_string(), "lister");
  }
  EXPECT_TRUE(found);
  auto mine = json_body(call(verb::get, "/api/v1/me/visits" + range, &visitor));
  ASSERT_EQ(mine.at("visits").as_array().size(), 1u);
  EXPECT_FALSE(mine.at("visits").at(0).as_object().contains("seeker"));
  EXPECT_EQ(mine.at("visits").at(0).at("id").as_int64(), vid);
  EXPECT_FALSE(json_body(call(verb::get, visit_path(vid), &visitor))
                   .at("visit")
                   .as_object()
                   .contains("seeker"));
  EXPECT_TRUE(json_body(call(verb::get, visit_path(vid), &owner_))
                  .at("visit")
                  .as_object()
                  .contains("seeker"));
  // Nobody else's calendar shows it.
  EXPECT_TRUE(json_body(call(verb::get, "/api/v1/me/hosted-visits" + range, &agent_))
                  .at("visits")
                  .as_array()
                  .empty());
  EXPECT_TRUE(json_body(call(verb::get, "/api/v1/me/visits" + range, &seeker(11)))
                  .at("visits")
                  .as_array()
                  .empty());
  EXPECT_EQ(call(verb::get, "/api/v1/me/hosted-visits?from=" + day(5) + "&to=" + day(0), &owner_)
                .result_int(),
            400);
}

TEST_F(VisitsApi, TheOutboxHoldsTheConfirmationsAndTwoRemindersUntilACancel) {
  const auto id = listing_with_hours(1);
  const std::string start = slot_start(id, 3);  // more than a day ahead: both reminders
  const TestUser visitor = fresh_seeker();
  const auto vid = json_body(book(visitor, id, start)).at("visit").at("id").as_int64();
  const std::string key = "visit-reminders:" + std::to_string(vid);
  const storage::Query k_rows{
      "test.visit_outbox_rows",
      "SELECT kind, status, next_attempt_at, recipient, extras FROM outbox "
      "WHERE recipient IN ($1, $2) AND (cancel_key = $3 OR kind LIKE 'visit.%') ORDER BY id"};
  auto rows = [&] {
    return db_->exec(k_rows, storage::params(visitor.email, owner_.email, key)).value().rows;
  };
  const std::time_t t = *visits::parse_instant(start);
  int confirmations = 0;
  std::vector<std::string> reminders;
  std::string uid;
  for (const auto& r : rows()) {
    const std::string kind = r.text(0), extras = r.text(4);
    if (kind == "visit.booked.seeker" && r.text(3) == visitor.email) {
      ++confirmations;
      EXPECT_NE(extras.find("METHOD:REQUEST"), std::string::npos);
      const auto at = extras.find("UID:");
      uid = extras.substr(at, extras.find("\\r\\n", at) - at);
    }
    if (kind == "visit.reminder" && r.text(3) == visitor.email) {
      EXPECT_EQ(r.text(1), "pending");
      reminders.push_back(r.text(2));
    }
  }
  EXPECT_EQ(confirmations, 1);
  EXPECT_EQ(reminders, (std::vector<std::string>{iso_utc(t - 24 * 3600), iso_utc(t - 2 * 3600)}));
  ASSERT_FALSE(uid.empty());

  ASSERT_EQ(
      call(verb::post, visit_path(vid, "cancel"), &visitor, R"({"reason":"Ill"})").result_int(),
      200);
  int cancelled_reminders = 0, cancel_invites = 0;
  for (const auto& r : rows()) {
    if (r.text(0) == "visit.reminder" && r.text(3) == visitor.email) {
      EXPECT_EQ(r.text(1), "cancelled");
      ++cancelled_reminders;
    }
    if (r.text(0) == "visit.cancelled.seeker" && r.text(3) == visitor.email) {
      ++cancel_invites;
      EXPECT_NE(r.text(4).find("METHOD:CANCEL"), std::string::npos);
      EXPECT_NE(r.text(4).find(uid), std::string::npos) << "the same UID";
      EXPECT_NE(r.text(4).find("SEQUENCE:1"), std::string::npos);
    }
  }
  EXPECT_EQ(cancelled_reminders, 2);
  EXPECT_EQ(cancel_invites, 1);
  // The lister was told in the app, of the booking and of the cancellation.
  EXPECT_EQ(count("SELECT count(*) FROM notifications WHERE user_id = $1 AND link = $2",
                  storage::params(owner_.id, "/dashboard/visits/" + std::to_string(vid))),
            2);
}

TEST_F(VisitsApi, TheListerReadsTheDefaultHoursUntilSettingAny) {
  const auto id = active_listing();
  const std::string path = "/api/v1/listings/" + std::to_string(id) + "/availability";
  for (const TestUser* who : {&owner_, &admin_}) {
    auto r = call(verb::get, path, who);
    ASSERT_EQ(r.result_int(), 200) << r.body();
    const auto a = json_body(r).as_object();
    EXPECT_FALSE(a.at("configured").as_bool());
    EXPECT_EQ(a.at("timezone").as_string(), "Asia/Kolkata");
    EXPECT_EQ(a.at("slot_minutes").as_int64(), 30);
    EXPECT_EQ(a.at("visitors_per_slot").as_int64(), 1);
    EXPECT_TRUE(a.at("windows").as_array().empty());
    EXPECT_TRUE(a.at("blackout_dates").as_array().empty());
    EXPECT_FALSE(a.contains("updated_at"));
  }
  // Others are refused as before, set or not.
  auto other = call(verb::get, path, &agent_);
  EXPECT_EQ(other.result_int(), 403);
  EXPECT_EQ(code_of(other), "not_listing_owner");
  EXPECT_EQ(call(verb::get, path, &seeker(0)).result_int(), 403);
  EXPECT_EQ(call(verb::get, path, nullptr).result_int(), 401);
  EXPECT_EQ(call(verb::get, "/api/v1/listings/999999/availability", &owner_).result_int(), 404);
  EXPECT_TRUE(slots(id, day(2)).empty());

  ASSERT_EQ(call(verb::put, path, &owner_, hours_body(2)).result_int(), 200);
  const auto set = json_body(call(verb::get, path, &owner_));
  EXPECT_TRUE(set.at("configured").as_bool());
  EXPECT_EQ(set.at("windows").as_array().size(), 7u);
  EXPECT_EQ(set.at("visitors_per_slot").as_int64(), 2);
}

TEST_F(VisitsApi, ASeekerHoldsAtMostTwoUpcomingVisitsOfAListing) {
  const auto id = listing_with_hours(3);
  const TestUser visitor = fresh_seeker();
  ASSERT_EQ(book(visitor, id, slot_start(id, 2, 0)).result_int(), 201);
  ASSERT_EQ(book(visitor, id, slot_start(id, 2, 1)).result_int(), 201);
  auto third = book(visitor, id, slot_start(id, 2, 2));
  EXPECT_EQ(third.result_int(), 409);
  EXPECT_EQ(code_of(third), "visit_limit_per_listing");
  EXPECT_EQ(available(id, slot_start(id, 2, 2)), 3) << "no place was taken";
  EXPECT_EQ(book(visitor, listing_with_hours(1), slot_start(id, 2, 2)).result_int(), 201);
}

TEST_F(VisitsApi, ConcurrentBookingsOfOneSeekerMakeAtMostTwoOnAListing) {
  const auto id = listing_with_hours(1);
  const TestUser visitor = fresh_seeker();
  const auto open = slots(id, day(3));
  ASSERT_GE(open.size(), 10u);
  std::vector<std::atomic<int>> statuses(10);
  std::latch go(10);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < 10; ++i)
    threads.emplace_back([&, i] {
      const std::string start(open.at(i).at("start").as_string());
      go.arrive_and_wait();
      statuses[i] = book(visitor, id, start).result_int();
    });
  for (auto& t : threads) t.join();
  std::map<int, int> got;
  for (auto& s : statuses) ++got[s.load()];
  EXPECT_EQ(got, (std::map<int, int>{{201, 2}, {409, 8}}));
  EXPECT_EQ(count("SELECT count(*) FROM visits WHERE listing_id = $1 AND seeker_id = $2 AND "
                  "status = 'booked'",
                  storage::params(id, visitor.id)),
            2);
}

TEST_F(VisitsApi, BookingAndReschedulingAreRateLimitedPerAccount) {
  const auto id = listing_with_hours(3);
  const TestUser visitor = fresh_seeker();
  const std::string start = slot_start(id, 2);
  auto first = book(visitor, id, start);
  ASSERT_EQ(first.result_int(), 201) << first.body();
  const auto vid = json_body(first).at("visit").at("id").as_int64();
  // Nine more attempts (refused or not, each counts) use up the account's ten a minute.
  const std::string off_slot = iso_utc(*visits::parse_instant(start) + 600);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(book(visitor, id, off_slot).result_int(), 422);
  auto moved = call(verb::post, visit_path(vid, "reschedule"), &visitor,
                    R"({"start":")" + slot_start(id, 3) + R"(","reason":"Later"})");
  EXPECT_EQ(moved.result_int(), 429) << moved.body();
  EXPECT_EQ(code_of(moved), "rate_limited");
  EXPECT_GE(std::stoi(std::string(moved[bhttp::field::retry_after])), 1);
  auto again = book(visitor, id, slot_start(id, 3));
  EXPECT_EQ(again.result_int(), 429);
  EXPECT_FALSE(again[bhttp::field::retry_after].empty());
  // Cancelling is not limited, and other accounts are not affected.
  EXPECT_EQ(
      call(verb::post, visit_path(vid, "cancel"), &visitor, R"({"reason":"Ill"})").result_int(),
      200);
  EXPECT_EQ(book(fresh_seeker(), id, slot_start(id, 3)).result_int(), 201);
}

TEST_F(VisitsApi, VisitEmailsGoOnlyToVerifiedAddresses) {
  const auto id = listing_with_hours(1);
  const TestUser visitor = fresh_seeker();
  db_->exec(storage::Query{"test.unverify", "UPDATE users SET email_verified = 0 WHERE id = $1"},
            storage::params(visitor.id))
      .value();
  const auto booked = book(visitor, id, slot_start(id, 3));
  ASSERT_EQ(booked.result_int(), 201) << booked.body();
  const auto vid = json_body(booked).at("visit").at("id").as_int64();
  ASSERT_EQ(call(verb::post, visit_path(vid, "reschedule"), &owner_,
                 R"({"start":")" + slot_start(id, 4) + R"(","reason":"Painters"})")
                .result_int(),
            200);
  ASSERT_EQ(
      call(verb::post, visit_path(vid, "cancel"), &owner_, R"({"reason":"Sold"})").result_int(),
      200);
  EXPECT_EQ(
      count("SELECT count(*) FROM outbox WHERE recipient = $1", storage::params(visitor.email)), 0);
  EXPECT_EQ(count("SELECT count(*) FROM outbox WHERE extras LIKE $1",
                  storage::params("%" + visitor.email + "%")),
            0)
      << "nor as an attendee of the lister's invites";
  // The app tells them all the same, and the lister's mail went out.
  EXPECT_EQ(count("SELECT count(*) FROM notifications WHERE user_id = $1 AND link = $2",
                  storage::params(visitor.id, "/dashboard/visits/" + std::to_string(vid))),
            2);
  EXPECT_GE(count("SELECT count(*) FROM outbox WHERE recipient = $1 AND kind = $2",
                  storage::params(owner_.email, "visit.cancelled.lister")),
            1);
}

// A server that allows each seeker three upcoming visits in all.
class VisitsCapsApi : public VisitsApi {
 protected:
  static void SetUpTestSuite() { start({{"GRIHA_VISITS_MAX_ACTIVE", "3"}}); }
};

TEST_F(VisitsCapsApi, ConcurrentBookingsAcrossListingsStayWithinMaxActive) {
  std::vector<std::int64_t> ids;
  std::vector<std::string> starts;
  for (int i = 0; i < 4; ++i) ids.push_back(listing_with_hours(1));
  for (std::size_t i = 0; i < 8; ++i) starts.push_back(slot_start(ids[i % 4], 2, i / 4));
  const TestUser visitor = fresh_seeker();
  std::vector<std::atomic<int>> statuses(8);
  std::vector<std::string> codes(8);
  std::latch go(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      go.arrive_and_wait();
      const auto r = book(visitor, ids[i % 4], starts[i]);
      statuses[i] = r.result_int();
      codes[i] = code_of(r);
    });
  for (auto& t : threads) t.join();
  std::map<int, int> got;
  for (auto& s : statuses) ++got[s.load()];
  EXPECT_EQ(got, (std::map<int, int>{{201, 3}, {409, 5}}));
  for (std::size_t i = 0; i < 8; ++i)
    if (statuses[i] == 409) EXPECT_EQ(codes[i], "visit_limit_active");
  EXPECT_EQ(count("SELECT count(*) FROM visits WHERE seeker_id = $1 AND status = 'booked'",
                  storage::params(visitor.id)),
            3);
}

// A server that takes three bookings a minute from one address.
class VisitsIpLimitApi : public VisitsApi {
 protected:
  static void SetUpTestSuite() { start({{"GRIHA_VISITS_IP_RATE_PER_MINUTE", "3"}}); }
};

TEST_F(VisitsIpLimitApi, BookingIsRateLimitedPerAddress) {
  const auto id = listing_with_hours(3);
  for (std::size_t i = 0; i < 4; ++i) seeker(i);  // signing in is not booking
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_EQ(book(seeker(i), id, slot_start(id, 2, i)).result_int(), 201);
  auto fourth = book(seeker(3), id, slot_start(id, 2, 3));
  EXPECT_EQ(fourth.result_int(), 429) << fourth.body();
  EXPECT_EQ(code_of(fourth), "rate_limited");
  EXPECT_GE(std::stoi(std::string(fourth[bhttp::field::retry_after])), 1);
}

}  // namespace
}  // namespace griha::test
