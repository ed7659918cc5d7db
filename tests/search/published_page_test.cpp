// load_published_page: active listings in publish order, paged by (published_at, id), read
// from the database (saved-search alerts match against it).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/time.hpp"
#include "listings/gazetteer.hpp"
#include "listings/listing_service.hpp"
#include "search/listing_documents.hpp"
#include "storage/migrations.hpp"
#include "support/storage_support.hpp"

namespace griha::search {
namespace {

class PublishedPage : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = test::scratch_sqlite();
    storage::DatabaseOptions o;
    o.url = scratch_->url();
    db_ = storage::Database::open(o).value();
    ASSERT_TRUE(storage::migrate(*db_));
    gazetteer_ = std::make_unique<listings::Gazetteer>(listings::Gazetteer::load().value());
    service_ = std::make_unique<listings::ListingService>(
        *db_, *gazetteer_, listings::ListingOptions{90}, [this] { return now_; });
    static constexpr storage::Query k_user{
        "test.user",
        "INSERT INTO users (email, role, created_at, updated_at) VALUES ($1, $2, $3, $3) "
        "RETURNING id"};
    owner_ = {db_->exec(k_user, storage::params("o@example.in", "owner", "2026-01-01T00:00:00Z"))
                  .value()
                  .rows[0]
                  .i64(0),
              Role::owner};
    admin_ = {db_->exec(k_user, storage::params("a@example.in", "admin", "2026-01-01T00:00:00Z"))
                  .value()
                  .rows[0]
                  .i64(0),
              Role::admin};
  }

  std::int64_t listing(std::int64_t price, bool approve) {
    const auto* city = gazetteer_->city_by_name_or_slug("Mumbai");
    boost::json::object b = boost::json::parse(R"({
      "transaction":"sale_resale","property_type":"apartment","title":"Sunny flat in Andheri",
      "description":"A bright flat close to the metro, with good light and cross ventilation.",
      "bhk":2,"carpet_area_sqft":750})")
                                .as_object();
    b["price"] = price;
    b["city_id"] = city->id;
    b["locality_id"] = gazetteer_->find_locality(city->id, "Andheri West")->id;
    const auto id = service_->create(owner_, b).value().id;
    service_->submit(owner_, id).value();
    if (approve) service_->approve(admin_, id).value();
    return id;
  }

  std::unique_ptr<test::ScratchDatabase> scratch_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<listings::Gazetteer> gazetteer_;
  std::unique_ptr<listings::ListingService> service_;
  std::time_t now_ = 1'800'000'000;
  Principal owner_, admin_;
};

TEST_F(PublishedPage, ActiveListingsInPublishOrderPagedWithoutGapsOrRepeats) {
  const auto before = listing(1'000'000, true);
  now_ += 10;
  const auto t = iso_utc(now_);
  const auto a = listing(2'000'000, true), b = listing(3'000'000, true);  // the same second
  listing(4'000'000, false);                                              // pending review
  const auto gone = listing(5'000'000, true);
  service_->withdraw(owner_, gone).value();
  now_ += 1;
  const auto c = listing(6'000'000, true);

  // From `t` inclusive, two at a time: the page break falls between two listings published in
  // the same second, and the next page starts exactly after the first.
  auto first = load_published_page(*db_, *gazetteer_, t, 0, 2).value();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].document.id, a);
  EXPECT_EQ(first[1].document.id, b);
  EXPECT_EQ(first[0].published_at, t);
  EXPECT_EQ(first[0].document.posted_at, now_ - 1);
  EXPECT_EQ(first[1].document.price, 3'000'000);
  // The document carries its place names, for free text over them.
  EXPECT_EQ(first[0].document.locality_name, "Andheri West");
  EXPECT_EQ(first[0].document.city_name, "Mumbai");
  auto second =
      load_published_page(*db_, *gazetteer_, first[1].published_at, first[1].document.id, 2)
          .value();
  ASSERT_EQ(second.size(), 1u);  // not the withdrawn one, not the one in review
  EXPECT_EQ(second[0].document.id, c);
  EXPECT_TRUE(load_published_page(*db_, *gazetteer_, second[0].published_at, c, 2).value().empty());

  auto all = load_published_page(*db_, *gazetteer_, "2000-01-01T00:00:00Z", 0, 100).value();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].document.id, before);
}

}  // namespace
}  // namespace griha::search
