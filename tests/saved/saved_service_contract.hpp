// Shortlists, saved searches and alert sweeps against a real database, written once and run on
// SQLite (saved_service_test.cpp) and PostgreSQL (saved_service_pgtest.cpp). Time is a
// variable here, so daily and weekly alerts and late commits can be stepped through exactly.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <latch>
#include <memory>
#include <set>
#include <thread>

#include "listings/gazetteer.hpp"
#include "listings/listing_service.hpp"
#include "saved/alerts.hpp"
#include "saved/saved_search_service.hpp"
#include "saved/shortlist_service.hpp"
#include "storage/migrations.hpp"
#include "support/storage_support.hpp"

namespace griha::saved {

struct OutboxRow {
  std::string kind, recipient, subject, text, status;
};

class SavedServiceContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    scratch_ = test::scratch_database(GetParam());
    db_ = test::open_migrated(*scratch_);
    gazetteer_ = std::make_unique<listings::Gazetteer>(listings::Gazetteer::load().value());
    Clock clock = [this] { return now_; };
    listings_ = std::make_unique<listings::ListingService>(*db_, *gazetteer_,
                                                           listings::ListingOptions{90}, clock);
    shortlist_ = std::make_unique<ShortlistService>(*db_, *listings_, ShortlistOptions{3}, clock);
    searches_ = std::make_unique<SavedSearchService>(*db_, tokens_, SavedSearchOptions{2}, clock);
    sweeper_ = std::make_unique<AlertSweeper>(*db_, *gazetteer_, tokens_, AlertOptions{}, clock,
                                              [this] { ++wakes_; });
    owner_ = {make_user("owner", "owner"), Role::owner};
    admin_ = {make_user("admin", "admin"), Role::admin};
    seeker_ = make_user("seeker", "seeker");
    other_ = make_user("other", "seeker");
  }

  std::int64_t make_user(const std::string& name, const std::string& role) {
    static constexpr storage::Query k_insert{
        "test.insert_user",
        "INSERT INTO users (email, name, role, email_verified, created_at, updated_at) "
        "VALUES ($1, $2, $3, 1, $4, $4) RETURNING id"};
    return db_
        ->exec(k_insert,
               storage::params(name + "@example.in", "Test " + name, role, "2026-01-01T00:00:00Z"))
        .value()
        .rows.at(0)
        .i64(0);
  }

  // A complete listing in Andheri West, Mumbai; `price` tells test listings apart.
  boost::json::object body(std::int64_t price, std::int64_t bhk = 2) const {
    const auto* city = gazetteer_->city_by_name_or_slug("Mumbai");
    const auto* loc = gazetteer_->find_locality(city->id, "Andheri West");
    boost::json::object b = boost::json::parse(R"({
      "transaction":"sale_resale","property_type":"apartment",
      "title":"Sunny flat in Andheri West",
      "description":"A bright flat close to the metro, with good light and cross ventilation.",
      "bathrooms":2,"carpet_area_sqft":750,
      "furnishing":"semi_furnished","possession":"ready"})")
                                .as_object();
    b["price"] = price;
    b["bhk"] = bhk;
    b["city_id"] = city->id;
    b["locality_id"] = loc->id;
    return b;
  }

  std::int64_t draft(std::int64_t price, std::int64_t bhk = 2) {
    return listings_->create(owner_, body(price, bhk)).value().id;
  }

  // Approved (published) at the current time.
  std::int64_t active(std::int64_t price, std::int64_t bhk = 2) {
    const auto id = draft(price, bhk);
    listings_->submit(owner_, id).value();
    listings_->approve(admin_, id).value();
    return id;
  }

  SavedSearch save(std::int64_t user, const std::string& query, const std::string& frequency) {
    return searches_
        ->create(user, {{"name", "Test search"}, {"query", query}, {"frequency", frequency}})
        .value();
  }

  std::vector<OutboxRow> alerts() {
    static constexpr storage::Query k_outbox{
        "test.outbox",
        "SELECT kind, recipient, subject, body_text, status FROM outbox "
        "WHERE kind = 'saved_search.alert' ORDER BY id"};
    std::vector<OutboxRow> out;
    for (const auto& r : db_->exec(k_outbox).value().rows)
      out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4)});
    return out;
  }

  static bool mentions(const OutboxRow& row, std::int64_t listing_id) {
    return row.text.find("/listings/" + std::to_string(listing_id) + "\n") != std::string::npos;
  }

  int sweep() { return sweeper_->sweep().value(); }

  std::unique_ptr<test::ScratchDatabase> scratch_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<listings::Gazetteer> gazetteer_;
  std::unique_ptr<listings::ListingService> listings_;
  UnsubscribeTokens tokens_{"a key of at least sixteen characters"};
  std::unique_ptr<ShortlistService> shortlist_;
  std::unique_ptr<SavedSearchService> searches_;
  std::unique_ptr<AlertSweeper> sweeper_;
  std::time_t now_ = 1'800'000'000;  // 2027-01-15
  int wakes_ = 0;
  Principal owner_, admin_;
  std::int64_t seeker_ = 0, other_ = 0;
};

// ---- shortlist and compare ----

TEST_P(SavedServiceContract, ShortlistAddsPublicListingsOnceEach) {
  const auto id = active(10'000'000);
  EXPECT_TRUE(shortlist_->add(seeker_, id).value());
  EXPECT_FALSE(shortlist_->add(seeker_, id).value());  // idempotent
  const auto list = shortlist_->list(seeker_).value();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].listing_id, id);
  ASSERT_TRUE(list[0].listing);
  EXPECT_EQ(list[0].listing->price, 10'000'000);
}

TEST_P(SavedServiceContract, ShortlistRefusesWhatIsNotPublic) {
  const auto draft_id = draft(10'000'000);
  for (std::int64_t id : {draft_id, std::int64_t{999'999}}) {
    auto r = shortlist_->add(seeker_, id);
    ASSERT_FALSE(r) << id;
    EXPECT_EQ(r.error().kind, ErrorKind::not_found);
    EXPECT_EQ(r.error().code, "listing_not_found");
  }
  EXPECT_TRUE(shortlist_->list(seeker_).value().empty());
}

TEST_P(SavedServiceContract, AListingThatLeavesTheMarketStaysMarkedUnavailable) {
  const auto id = active(10'000'000);
  shortlist_->add(seeker_, id).value();
  listings_->withdraw(owner_, id).value();
  const auto list = shortlist_->list(seeker_).value();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_FALSE(list[0].listing);
  EXPECT_EQ(list[0].title, "Sunny flat in Andheri West");
}

TEST_P(SavedServiceContract, ShortlistIsCappedAndPerUser) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(active(10'000'000 + i));
  for (int i = 0; i < 3; ++i) shortlist_->add(seeker_, ids[i]).value();
  auto full = shortlist_->add(seeker_, ids[3]);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().kind, ErrorKind::conflict);
  EXPECT_EQ(full.error().code, "shortlist_full");
  EXPECT_FALSE(shortlist_->add(seeker_, ids[0]).value());  // already there: fine at the cap
  // Another user's list is their own: empty, with room, and removing touches only theirs.
  EXPECT_TRUE(shortlist_->list(other_).value().empty());
  EXPECT_TRUE(shortlist_->add(other_, ids[3]).value());
  shortlist_->remove(other_, ids[0]).value();
  EXPECT_EQ(shortlist_->list(seeker_).value().size(), 3u);
  shortlist_->remove(seeker_, ids[0]).value();
  shortlist_->remove(seeker_, ids[0]).value();  // removing twice is fine
  EXPECT_EQ(shortlist_->list(seeker_).value().size(), 2u);
  EXPECT_TRUE(shortlist_->add(seeker_, ids[3]).value());
}

TEST_P(SavedServiceContract, ConcurrentAddsCannotOverrunTheCap) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 8; ++i) ids.push_back(active(10'000'000 + i));
  std::atomic<int> added{0}, full{0};
  std::latch start(static_cast<std::ptrdiff_t>(ids.size()));
  {
    std::vector<std::jthread> threads;
    for (auto id : ids)
      threads.emplace_back([&, id] {
        start.arrive_and_wait();  // all at once, to make a race likely if the lock were gone
        auto r = shortlist_->add(seeker_, id);
        if (r && *r) ++added;
        if (!r && r.error().code == "shortlist_full") ++full;
      });
  }
  EXPECT_EQ(added.load(), 3);
  EXPECT_EQ(full.load(), 5);
  EXPECT_EQ(shortlist_->list(seeker_).value().size(), 3u);
}

TEST_P(SavedServiceContract, CompareTakesPublicListingsOnlyAndNamesTheOtherOne) {
  const auto a = active(10'000'000), b = active(12'000'000), hidden = draft(9'000'000);
  const std::vector<std::int64_t> ok = {b, a};
  const auto got = shortlist_->compare(ok).value();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id, b);
  const std::vector<std::int64_t> bad = {a, hidden};
  auto r = shortlist_->compare(bad);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::not_found);
  EXPECT_NE(r.error().message.find(std::to_string(hidden)), std::string::npos);
}

// ---- saved searches ----

TEST_P(SavedServiceContract, SavedSearchesAreValidatedCappedAndPrivate) {
  auto bad = searches_->create(seeker_, {{"name", ""}, {"query", "bhk=nine"}, {"colour", 1}});
  ASSERT_FALSE(bad);
  std::set<std::string> fields;
  for (const auto& f : bad.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"/name", "/query/bhk", "/colour"}));
  auto freq = searches_->create(seeker_, {{"name", "x"}, {"query", ""}, {"frequency", "hourly"}});
  ASSERT_FALSE(freq);
  EXPECT_EQ(freq.error().fields.at(0).field, "/frequency");

  const auto one = save(seeker_, "city=1&bhk=2", "daily");
  EXPECT_EQ(one.frequency, Frequency::daily);
  save(seeker_, "bhk=3", "weekly");
  auto full = searches_->create(seeker_, {{"name", "third"}, {"query", "bhk=1"}});
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, "saved_searches_full");
  EXPECT_EQ(searches_->list(seeker_).value().size(), 2u);
  EXPECT_TRUE(searches_->list(other_).value().empty());

  // Someone else's search is not found, whatever they try.
  auto patch = searches_->update(other_, one.id, {{"name", "mine now"}});
  ASSERT_FALSE(patch);
  EXPECT_EQ(patch.error().kind, ErrorKind::not_found);
  ASSERT_FALSE(searches_->remove(other_, one.id));
  EXPECT_EQ(searches_->list(seeker_).value().size(), 2u);
}

TEST_P(SavedServiceContract, OnlyNameAndFrequencyCanChange) {
  const auto s = save(seeker_, "bhk=2", "daily");
  auto renamed = searches_->update(seeker_, s.id, {{"name", " Renamed "}, {"frequency", "weekly"}});
  ASSERT_TRUE(renamed);
  EXPECT_EQ(renamed->name, "Renamed");
  EXPECT_EQ(renamed->frequency, Frequency::weekly);
  for (const char* key : {"query", "user_id", "id", "checked_at", "last_sent_at"}) {
    auto r = searches_->update(seeker_, s.id, {{key, "x"}});
    ASSERT_FALSE(r) << key;
    EXPECT_EQ(r.error().fields.at(0).field, json_pointer(key));
    EXPECT_EQ(r.error().fields.at(0).code, FieldCode::not_writable);
  }
  EXPECT_EQ(searches_->list(seeker_).value().at(0).query, "bhk=2");
  searches_->remove(seeker_, s.id).value();
  EXPECT_TRUE(searches_->list(seeker_).value().empty());
}

// ---- alerts ----

TEST_P(SavedServiceContract, AnInstantAlertIsSentOnceForANewMatch) {
  const auto old = active(15'000'000);  // on the market before the search was saved
  now_ += 60;
  save(seeker_, "price_min=14000000&price_max=16000000", "instant");
  now_ += 10;
  const auto fresh = active(15'500'000);
  const auto other_kind = active(15'500'000, 3);  // bhk is not in the query: matches too
  const auto outside = active(30'000'000);        // out of the price range
  now_ += 10;
  EXPECT_EQ(sweep(), 1);
  EXPECT_EQ(wakes_, 1);
  auto rows = alerts();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].recipient, "seeker@example.in");
  EXPECT_EQ(rows[0].status, "pending");
  EXPECT_TRUE(mentions(rows[0], fresh));
  EXPECT_TRUE(mentions(rows[0], other_kind));
  EXPECT_FALSE(mentions(rows[0], outside));
  EXPECT_FALSE(mentions(rows[0], old));
  // Later sweeps find nothing new: the same listings are not sent again.
  for (int i = 0; i < 3; ++i) {
    now_ += 60;
    EXPECT_EQ(sweep(), 0);
  }
  EXPECT_EQ(alerts().size(), 1u);
  EXPECT_EQ(wakes_, 1);
  // A new match is a new email, with only the new listing.
  const auto next = active(14'500'000);
  now_ += 5;
  EXPECT_EQ(sweep(), 1);
  rows = alerts();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(mentions(rows[1], next));
  EXPECT_FALSE(mentions(rows[1], fresh));
}

TEST_P(SavedServiceContract, AnIdleInstantSearchIsNotRewrittenAtEverySweep) {
  const auto s = save(seeker_, "price_min=21000000&price_max=21000000", "instant");
  static constexpr storage::Query k_checked{"test.checked",
                                            "SELECT checked_at FROM saved_searches WHERE id = $1"};
  auto checked = [&] {
    return db_->exec(k_checked, storage::params(s.id)).value().rows[0].text(0);
  };
  const std::string saved_at = checked();
  now_ += k_idle_rewrite_seconds - 1;
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(checked(), saved_at);
  now_ += 1;
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(checked(), iso_utc(now_));
  // A match is sent at once all the same, and moves the watermark.
  now_ += 60;
  const auto id = active(21'000'000);
  now_ += 1;
  EXPECT_EQ(sweep(), 1);
  EXPECT_TRUE(mentions(alerts().at(0), id));
  EXPECT_EQ(checked(), iso_utc(now_));
}

TEST_P(SavedServiceContract, ANonMatchingListingSendsNothing) {
  save(seeker_, "price_max=5000000", "instant");
  now_ += 10;
  active(15'000'000);
  now_ += 10;
  EXPECT_EQ(sweep(), 0);
  EXPECT_TRUE(alerts().empty());
  EXPECT_EQ(wakes_, 0);
}

TEST_P(SavedServiceContract, AListingWhoseApprovalCommitsAfterASweepIsStillSent) {
  const auto s = save(seeker_, "price_min=15000000&price_max=15000000", "instant");
  now_ += k_idle_rewrite_seconds + 100;
  // The approval reads the clock, then the sweep runs before it commits: simulated by
  // stamping the approval a few seconds before the sweep that precedes its commit.
  const auto id = draft(15'000'000);
  listings_->submit(owner_, id).value();
  EXPECT_EQ(sweep(), 0);  // not approved yet; the watermark moves to now
  static constexpr storage::Query k_checked{"test.checked_late",
                                            "SELECT checked_at FROM saved_searches WHERE id = $1"};
  ASSERT_EQ(db_->exec(k_checked, storage::params(s.id)).value().rows[0].text(0), iso_utc(now_));
  now_ -= 5;
  listings_->approve(admin_, id).value();  // published 5 s before the watermark
  now_ += 65;
  EXPECT_EQ(sweep(), 1);
  ASSERT_EQ(alerts().size(), 1u);
  EXPECT_TRUE(mentions(alerts()[0], id));
  now_ += 60;
  EXPECT_EQ(sweep(), 0);
}

TEST_P(SavedServiceContract, DailyAndWeeklyAlertsWaitTheirTurn) {
  save(seeker_, "price_min=16000000&price_max=16000000", "daily");
  save(other_, "price_min=16000000&price_max=16000000", "weekly");
  now_ += 3600;
  const auto a = active(16'000'000);
  now_ += 3600;
  EXPECT_EQ(sweep(), 0);  // 2 h after saving: neither is due
  now_ += 22 * 3600;      // 24 h after saving
  EXPECT_EQ(sweep(), 1);
  auto rows = alerts();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].recipient, "seeker@example.in");
  EXPECT_TRUE(mentions(rows[0], a));
  const auto b = active(16'000'000);
  now_ += 23 * 3600;
  EXPECT_EQ(sweep(), 0);  // the daily one went 23 h ago
  now_ += 3600;
  EXPECT_EQ(sweep(), 1);
  EXPECT_TRUE(mentions(alerts().back(), b));
  EXPECT_FALSE(mentions(alerts().back(), a));
  now_ += 5 * 86400;      // 7 days after saving: the weekly one has both
  EXPECT_EQ(sweep(), 1);  // the weekly digest; the daily one is due but has nothing new
  rows = alerts();
  bool weekly_seen = false;
  for (const auto& r : rows)
    if (r.recipient == "other@example.in") {
      weekly_seen = true;
      EXPECT_TRUE(mentions(r, a));
      EXPECT_TRUE(mentions(r, b));
    }
  EXPECT_TRUE(weekly_seen);
}

TEST_P(SavedServiceContract, UnsubscribeStopsAlertsAndCallsOffTheWaitingOne) {
  const auto s = save(seeker_, "price_min=17000000&price_max=17000000", "instant");
  now_ += 10;
  active(17'000'000);
  now_ += 10;
  ASSERT_EQ(sweep(), 1);
  ASSERT_EQ(alerts().at(0).status, "pending");

  std::string token = tokens_.sign(s.id);
  std::string tampered = token;
  char& c = tampered[token.find('.') + 10];
  c = c == 'A' ? 'B' : 'A';
  auto refused = searches_->unsubscribe(tampered);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "invalid_token");
  EXPECT_EQ(alerts().at(0).status, "pending");

  ASSERT_TRUE(searches_->unsubscribe(token));
  ASSERT_TRUE(searches_->unsubscribe(token));  // twice is fine
  EXPECT_EQ(alerts().at(0).status, "cancelled");
  const auto after = searches_->list(seeker_).value().at(0);
  EXPECT_EQ(after.frequency, Frequency::off);
  EXPECT_TRUE(after.unsubscribed_at);

  now_ += 10;
  active(17'000'000);
  now_ += 10;
  EXPECT_EQ(sweep(), 0);
  EXPECT_EQ(alerts().size(), 1u);

  // Back on: alerts resume from now, without replaying what came out meanwhile.
  searches_->update(seeker_, s.id, {{"frequency", "instant"}}).value();
  now_ += 10;
  EXPECT_EQ(sweep(), 0);
  const auto later = active(17'000'000);
  now_ += 10;
  EXPECT_EQ(sweep(), 1);
  EXPECT_TRUE(mentions(alerts().back(), later));
}

TEST_P(SavedServiceContract, NoVerifiedEmailNoAlertAndNoFloodLater) {
  save(seeker_, "price_min=18000000&price_max=18000000", "instant");
  static constexpr storage::Query k_unverify{"test.unverify",
                                             "UPDATE users SET email_verified = $2 WHERE id = $1"};
  db_->exec(k_unverify, storage::params(seeker_, 0)).value();
  now_ += 10;
  active(18'000'000);
  now_ += 10;
  EXPECT_EQ(sweep(), 0);
  db_->exec(k_unverify, storage::params(seeker_, 1)).value();
  now_ += 10;
  EXPECT_EQ(sweep(), 0);
  EXPECT_TRUE(alerts().empty());
}

TEST_P(SavedServiceContract, ManyMatchesMakeOneEmailWithTenShown) {
  save(seeker_, "price_min=19000000&price_max=19000000", "instant");
  now_ += 10;
  for (int i = 0; i < 12; ++i) active(19'000'000);
  now_ += 10;
  EXPECT_EQ(sweep(), 1);
  const auto rows = alerts();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].subject.find("12 new listings"), std::string::npos);
  EXPECT_NE(rows[0].text.find("and 2 more"), std::string::npos);
}

TEST_P(SavedServiceContract, SweepsRacingOnOneSearchSendOneEmail) {
  save(seeker_, "price_min=20000000&price_max=20000000", "instant");
  now_ += 10;
  active(20'000'000);
  now_ += 10;
  AlertSweeper second(*db_, *gazetteer_, tokens_, AlertOptions{}, [this] { return now_; });
  int a = 0, b = 0;
  {
    std::jthread t1([&] {
      auto r = sweeper_->sweep();
      a = r ? *r : -1;
    });
    std::jthread t2([&] {
      auto r = second.sweep();
      b = r ? *r : -1;
    });
  }
  EXPECT_EQ(a + b, 1) << a << " " << b;
  EXPECT_EQ(alerts().size(), 1u);
}

}  // namespace griha::saved
