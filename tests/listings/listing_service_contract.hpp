// The listing rules, written once and run on SQLite (listing_service_test.cpp) and
// PostgreSQL (listing_service_pgtest.cpp).
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "listings/gazetteer.hpp"
#include "listings/listing_service.hpp"
#include "storage/migrations.hpp"
#include "support/storage_support.hpp"

namespace griha::listings {

// The parameter is the back end, "sqlite" or "postgres", with "/pool=1" for a pool of one
// connection: then a service that reads through the pool while it holds a transaction (a
// second connection per request) stalls and fails busy instead of passing.
class ListingServiceContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string param = GetParam();
    const bool one_connection = param.ends_with("/pool=1");
    scratch_ = test::scratch_database(param.substr(0, param.find('/')));
    db_ = one_connection ? test::open_migrated(*scratch_, 1, std::chrono::milliseconds(500))
                         : test::open_migrated(*scratch_);
    gazetteer_ = std::make_unique<Gazetteer>(Gazetteer::load().value());
    service_ = std::make_unique<ListingService>(*db_, *gazetteer_, ListingOptions{30},
                                                [this] { return now_; });
    owner_ = {make_user("owner"), Role::owner};
    other_ = {make_user("agent"), Role::agent};
    seeker_ = {make_user("seeker"), Role::seeker};
    admin_ = {make_user("admin"), Role::admin};
  }

  std::int64_t make_user(const std::string& role) {
    static constexpr storage::Query k_insert{
        "test.insert_user",
        "INSERT INTO users (email, name, role, created_at, updated_at) "
        "VALUES ($1, $2, $3, $4, $4) RETURNING id"};
    const std::string email = role + std::to_string(++users_) + "@example.in";
    return db_->exec(k_insert, storage::params(email, "Test " + role, role, "2026-01-01T00:00:00Z"))
        .value()
        .rows.at(0)
        .i64("id");
  }

  // A complete listing in Andheri West, Mumbai.
  boost::json::object complete_body() const {
    const auto* city = gazetteer_->city_by_name_or_slug("Mumbai");
    const auto* loc = gazetteer_->find_locality(city->id, "Andheri West");
    boost::json::object b = boost::json::parse(R"({
      "transaction":"sale_resale","property_type":"apartment",
      "title":"Sunny 2 BHK in Andheri West",
      "description":"A bright flat close to the metro, with good light and cross ventilation.",
      "bhk":2,"bathrooms":2,"carpet_area_sqft":750,"price":18500000,
      "furnishing":"semi_furnished","possession":"ready"})")
                                .as_object();
    b["city_id"] = city->id;
    b["locality_id"] = loc->id;
    return b;
  }

  Listing active_listing() {
    auto l = service_->create(owner_, complete_body()).value();
    service_->submit(owner_, l.id).value();
    return service_->approve(admin_, l.id).value();
  }

  std::unique_ptr<test::ScratchDatabase> scratch_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<Gazetteer> gazetteer_;
  std::unique_ptr<ListingService> service_;
  std::time_t now_ = 1'800'000'000;  // 2027-01-15
  int users_ = 0;
  Principal owner_, other_, seeker_, admin_;
};

inline boost::json::object obj(std::string_view json) {
  return boost::json::parse(json).as_object();
}

TEST_P(ListingServiceContract, ListersCreateDraftsPlacedByTheGazetteer) {
  auto l = service_->create(owner_, complete_body());
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->status, Status::draft);
  EXPECT_EQ(l->posted_by, "owner");
  EXPECT_EQ(l->owner_id, owner_.user_id);
  ASSERT_TRUE(l->latitude && l->pincode);  // no pin given: the locality's
  EXPECT_EQ(l->pincode->size(), 6u);
  auto seeker = service_->create(seeker_, complete_body());
  ASSERT_FALSE(seeker);
  EXPECT_EQ(seeker.error().kind, ErrorKind::forbidden);
}

TEST_P(ListingServiceContract, LocalityMustBelongToTheCity) {
  auto body = complete_body();
  const auto* delhi = gazetteer_->city_by_name_or_slug("Delhi");
  body["city_id"] = delhi->id;
  auto l = service_->create(owner_, body);
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().fields.at(0).field, "/locality_id");
  EXPECT_EQ(l.error().fields.at(0).code, FieldCode::inconsistent);
  body["city_id"] = 999999;
  EXPECT_FALSE(service_->create(owner_, body));
}

TEST_P(ListingServiceContract, StrangersCannotSeeOrTouchADraft) {
  auto l = service_->create(owner_, complete_body()).value();
  for (const auto& who : {std::optional<Principal>(other_), std::optional<Principal>(seeker_),
                          std::optional<Principal>()}) {
    auto seen = service_->get(who, l.id);
    ASSERT_FALSE(seen);
    EXPECT_EQ(seen.error().kind, ErrorKind::not_found);
  }
  EXPECT_EQ(service_->update(other_, l.id, obj(R"({"price":1000000})"), std::nullopt).error().kind,
            ErrorKind::not_found);
  EXPECT_EQ(service_->remove(other_, l.id).error().kind, ErrorKind::not_found);
  EXPECT_EQ(service_->submit(other_, l.id).error().kind, ErrorKind::not_found);
  EXPECT_TRUE(service_->get(owner_, l.id));
  EXPECT_TRUE(service_->get(admin_, l.id));
}

TEST_P(ListingServiceContract, StrangersCannotChangeALiveListing) {
  auto l = active_listing();
  EXPECT_TRUE(service_->get(std::nullopt, l.id));  // public now
  auto r = service_->update(other_, l.id, obj(R"({"price":1000000})"), std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::forbidden);
  EXPECT_EQ(service_->remove(other_, l.id).error().kind, ErrorKind::forbidden);
  EXPECT_EQ(service_->withdraw(seeker_, l.id).error().kind, ErrorKind::forbidden);
  EXPECT_EQ(service_->get(std::nullopt, l.id)->price, 18'500'000);
}

TEST_P(ListingServiceContract, OnlyAdminsModerate) {
  auto l = service_->create(owner_, complete_body()).value();
  ASSERT_TRUE(service_->submit(owner_, l.id));
  for (const Principal& who : {owner_, other_, seeker_}) {
    EXPECT_EQ(service_->approve(who, l.id).error().kind, ErrorKind::forbidden);
    EXPECT_EQ(service_->reject(who, l.id, "not good enough").error().kind, ErrorKind::forbidden);
    EXPECT_EQ(service_->set_flags(who, l.id, true, true).error().kind, ErrorKind::forbidden);
  }
  EXPECT_EQ(service_->get(owner_, l.id)->status, Status::pending_review);
}

TEST_P(ListingServiceContract, WalkingIdsRevealsOnlyLiveListings) {
  const auto live = active_listing();
  const auto draft = service_->create(owner_, complete_body()).value();
  auto pending = service_->create(owner_, complete_body()).value();
  ASSERT_TRUE(service_->submit(owner_, pending.id));
  int visible = 0;
  for (std::int64_t id = 1; id <= draft.id + 5; ++id) {
    auto r = service_->get(other_, id);
    if (r) {
      ++visible;
      EXPECT_EQ(r->id, live.id);
    } else {
      EXPECT_EQ(r.error().code, "listing_not_found");  // drafts look exactly like gaps
    }
  }
  EXPECT_EQ(visible, 1);
}

TEST_P(ListingServiceContract, SubmitNeedsACompleteListing) {
  auto l = service_->create(owner_, obj(R"({"title":"Just a title for now"})")).value();
  auto r = service_->submit(owner_, l.id);
  ASSERT_FALSE(r);
  std::set<std::string> fields;
  for (const auto& f : r.error().fields) fields.insert(f.field);
  for (const char* f : {"/transaction", "/property_type", "/description", "/price", "/city_id",
                        "/locality_id", "/carpet_area_sqft"})
    EXPECT_TRUE(fields.count(f)) << f;
  EXPECT_EQ(service_->get(owner_, l.id)->status, Status::draft);
}

TEST_P(ListingServiceContract, NewProjectsNeedRera) {
  auto body = complete_body();
  body["transaction"] = "sale_new";
  body["possession"] = "under_construction";
  body["possession_date"] = "2028-06";
  auto l = service_->create(owner_, body).value();
  auto r = service_->submit(owner_, l.id);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).field, "/rera_number");
  ASSERT_TRUE(
      service_->update(owner_, l.id, obj(R"({"rera_number":"P51800012345"})"), std::nullopt));
  EXPECT_TRUE(service_->submit(owner_, l.id));
}

TEST_P(ListingServiceContract, RejectionNeedsAReasonAndTheListerCanResubmit) {
  auto l = service_->create(owner_, complete_body()).value();
  ASSERT_TRUE(service_->submit(owner_, l.id));
  EXPECT_EQ(service_->reject(admin_, l.id, "").error().fields.at(0).field, "/reason");
  auto rejected = service_->reject(admin_, l.id, "Photos show a different flat");
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, Status::rejected);
  EXPECT_EQ(rejected->rejection_reason, "Photos show a different flat");
  ASSERT_TRUE(service_->update(owner_, l.id, obj(R"({"title":"Sunny 2 BHK, real photos now"})"),
                               std::nullopt));
  auto again = service_->submit(owner_, l.id);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, Status::pending_review);
  EXPECT_TRUE(again->rejection_reason.empty());
}

TEST_P(ListingServiceContract, EveryTransitionIsAudited) {
  auto l = active_listing();
  ASSERT_TRUE(service_->close(owner_, l.id, Status::sold));
  auto events = service_->history(owner_, l.id).value();
  std::vector<std::string> path;
  for (const auto& e : events) path.push_back(e.from_status + ">" + e.to_status);
  EXPECT_EQ(path, (std::vector<std::string>{">draft", "draft>pending_review",
                                            "pending_review>active", "active>sold"}));
  EXPECT_EQ(events[2].actor_id, admin_.user_id);
  EXPECT_EQ(service_->history(other_, l.id).error().kind, ErrorKind::not_found);  // sold: private
}

TEST_P(ListingServiceContract, MaterialEditsOfALiveListingWaitForReview) {
  auto l = active_listing();
  auto r = service_->update(owner_, l.id,
                            obj(R"({"title":"Renovated 2 BHK in Andheri West","price":17500000})"),
                            std::nullopt);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->pending_review);
  auto live = service_->get(std::nullopt, l.id).value();
  EXPECT_EQ(*live.title, "Sunny 2 BHK in Andheri West");  // approved version stays visible
  EXPECT_EQ(*live.price, 17'500'000);                     // price is not material

  auto queue = service_->moderation_queue(admin_, 10).value();
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].listing.id, l.id);
  EXPECT_EQ(queue[0].diff.at("title").at("from").as_string(), "Sunny 2 BHK in Andheri West");
  EXPECT_EQ(queue[0].diff.at("title").at("to").as_string(), "Renovated 2 BHK in Andheri West");

  ASSERT_TRUE(service_->approve(admin_, l.id));
  EXPECT_EQ(*service_->get(std::nullopt, l.id)->title, "Renovated 2 BHK in Andheri West");
  EXPECT_TRUE(service_->moderation_queue(admin_, 10)->empty());
}

TEST_P(ListingServiceContract, ModerationQueueIsOldestFirst) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto l = service_->create(owner_, complete_body()).value();
    now_ += 60;
    ASSERT_TRUE(service_->submit(owner_, l.id));
    ids.push_back(l.id);
  }
  auto queue = service_->moderation_queue(admin_, 10).value();
  ASSERT_EQ(queue.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(queue[i].listing.id, ids[i]);
}

TEST_P(ListingServiceContract, StaleVersionIsRefused) {
  auto l = service_->create(owner_, complete_body()).value();
  ASSERT_TRUE(service_->update(owner_, l.id, obj(R"({"price":18000000})"), l.version));
  auto stale = service_->update(owner_, l.id, obj(R"({"price":17000000})"), l.version);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().kind, ErrorKind::precondition_failed);
  EXPECT_EQ(*service_->get(owner_, l.id)->price, 18'000'000);
}

TEST_P(ListingServiceContract, ListingsExpireAndCanBeRenewed) {
  auto l = active_listing();
  now_ += 29 * 86400;
  EXPECT_EQ(service_->expire_due().value(), 0);
  now_ += 2 * 86400;
  EXPECT_EQ(service_->expire_due().value(), 1);
  EXPECT_EQ(service_->get(owner_, l.id)->status, Status::expired);
  EXPECT_FALSE(service_->get(std::nullopt, l.id));
  auto renewed = service_->renew(owner_, l.id);
  ASSERT_TRUE(renewed);
  EXPECT_EQ(renewed->status, Status::active);
  EXPECT_EQ(service_->expire_due().value(), 0);
}

TEST_P(ListingServiceContract, ClosingMatchesTheTransaction) {
  auto l = active_listing();
  EXPECT_EQ(service_->close(owner_, l.id, Status::rented).error().fields.at(0).field, "/outcome");
  auto sold = service_->close(owner_, l.id, Status::sold);
  ASSERT_TRUE(sold);
  EXPECT_EQ(service_->update(owner_, l.id, obj(R"({"price":1000000})"), std::nullopt).error().code,
            "listing_closed");
}

TEST_P(ListingServiceContract, DeletedListingsAreGoneForEveryone) {
  auto l = active_listing();
  ASSERT_TRUE(service_->remove(owner_, l.id));
  EXPECT_FALSE(service_->get(owner_, l.id));
  EXPECT_FALSE(service_->get(admin_, l.id));
  EXPECT_TRUE(service_->mine(owner_, 0, 10)->empty());
}

TEST_P(ListingServiceContract, AdminsFeatureAndVerify) {
  auto l = active_listing();
  auto flagged = service_->set_flags(admin_, l.id, true, true);
  ASSERT_TRUE(flagged);
  EXPECT_TRUE(flagged->featured);
  EXPECT_TRUE(flagged->verified);
  // And a lister cannot, even through PATCH.
  auto r = service_->update(owner_, l.id, obj(R"({"featured":false})"), std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_TRUE(service_->get(owner_, l.id)->featured);
}

TEST_P(ListingServiceContract, MyListingsPageNewestFirst) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(service_->create(owner_, complete_body())->id);
  service_->create(other_, complete_body()).value();
  auto first = service_->mine(owner_, 0, 3).value();
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].id, ids[4]);
  auto rest = service_->mine(owner_, first.back().id, 3).value();
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[1].id, ids[0]);
}

}  // namespace griha::listings
