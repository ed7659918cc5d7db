// Demo data is realistic (market mix, city price levels, valid listings) and deterministic.
#include "listings/demo_data.hpp"

#include <gtest/gtest.h>

#include <map>

#include "listings/listing_repository.hpp"
#include "storage/migrations.hpp"
#include "support/storage_support.hpp"

namespace griha::listings {
namespace {

struct Seeded {
  test::TempDir dir;
  std::unique_ptr<storage::Database> db;
  Gazetteer gazetteer = Gazetteer::load().value();

  explicit Seeded(std::int64_t n, std::uint64_t seed) {
    storage::DatabaseOptions o;
    o.url = "sqlite://" + (dir.path() / "demo.db").string();
    db = storage::Database::open(o).value();
    storage::migrate(*db).value();
    seed_demo_listings(*db, gazetteer, n, seed).value();
  }
  std::vector<Listing> all() {
    std::vector<Listing> out;
    static constexpr storage::Query k_ids{"test.ids", "SELECT id FROM listings ORDER BY id"};
    for (const auto& r : db->exec(k_ids).value().rows)
      out.push_back(*repo::find(*db, r.i64("id")).value());
    return out;
  }
};

TEST(DemoData, SameSeedSameListings) {
  Seeded a(300, 7), b(300, 7), c(300, 8);
  auto la = a.all(), lb = b.all(), lc = c.all();
  ASSERT_EQ(la.size(), 300u);
  int same_as_other_seed = 0;
  for (std::size_t i = 0; i < la.size(); ++i) {
    auto ja = to_json(la[i], View::public_view), jb = to_json(lb[i], View::public_view);
    ja.erase("updated_at");  // relative to "now"
    jb.erase("updated_at");
    ja.erase("published_at");
    jb.erase("published_at");
    EXPECT_EQ(ja, jb) << i;
    same_as_other_seed += la[i].title == lc[i].title && la[i].price == lc[i].price;
  }
  EXPECT_LT(same_as_other_seed, 30);
}

TEST(DemoData, LooksLikeTheMarket) {
  Seeded s(6000, 42);
  const auto listings = s.all();
  std::map<std::int64_t, int> bhk;
  int homes = 0, renting = 0;
  std::map<std::string, std::pair<double, int>> ppsf_by_city;  // sum, count
  for (const auto& l : listings) {
    // Everything live must pass the same checks a lister's listing does before review.
    if (l.status == Status::active) {
      auto ok = validate(l, s.gazetteer, true);
      ASSERT_TRUE(ok) << l.id << ": " << ok.error().fields.at(0).field;
    }
    if (l.bhk) {
      ++bhk[*l.bhk];
      ++homes;
    }
    renting += l.transaction == "rent" || l.transaction == "lease";
    if (l.transaction == "sale_resale" && l.property_type == "apartment") {
      auto& [sum, n] = ppsf_by_city[s.gazetteer.city(*l.city_id)->slug];
      sum += static_cast<double>(*l.price_per_sqft());
      ++n;
    }
  }
  EXPECT_NEAR(bhk[2] / double(homes), 0.37, 0.03);
  EXPECT_NEAR(bhk[3] / double(homes), 0.32, 0.03);
  EXPECT_NEAR(renting / double(listings.size()), 0.37, 0.04);
  const auto avg = [&](const std::string& city) {
    return ppsf_by_city[city].first / ppsf_by_city[city].second;
  };
  EXPECT_GT(avg("mumbai"), 1.5 * avg("pune"));
  EXPECT_GT(avg("bengaluru"), avg("lucknow"));
}

}  // namespace
}  // namespace griha::listings
