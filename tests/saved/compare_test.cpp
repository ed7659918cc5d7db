// Compare on its own: which ids it takes, and that its rows come from the public listing view
// (built on the listing field table), so nothing private can slip in.
#include "saved/shortlist_service.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "listings/gazetteer.hpp"

namespace griha::saved {
namespace {

TEST(CompareIds, TwoToFourDifferentIds) {
  EXPECT_EQ(parse_compare_ids("3,1").value(), (std::vector<std::int64_t>{3, 1}));
  EXPECT_EQ(parse_compare_ids("1,2,3,4").value().size(), 4u);
  for (const char* bad : {"", "1", "1,2,3,4,5", "1,1", "1,x", "1,,2", "1,2,", "0,1", "-1,2", "1, 2",
                          "99999999999999999999,1"}) {
    auto r = parse_compare_ids(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().fields.at(0).field, "/ids") << bad;
    EXPECT_EQ(r.error().fields.at(0).in, FieldIn::query) << bad;
  }
}

listings::Listing sample(std::int64_t id, const listings::Gazetteer& g) {
  const auto* city = g.city_by_name_or_slug("Mumbai");
  listings::Listing l;
  l.id = id;
  l.owner_id = 4242;
  l.status = listings::Status::active;
  l.posted_by = "owner";
  l.rejection_reason = "secret moderation note";
  l.title = "Listing " + std::to_string(id);
  l.price = 10'000'000 * id;
  l.carpet_area_sqft = 500 * id;
  l.bhk = id;
  l.city_id = city->id;
  l.amenities = 0b101;
  return l;
}

TEST(CompareJson, RowsHoldOneValuePerListingFromThePublicView) {
  const auto g = listings::Gazetteer::load().value();
  const std::vector<listings::Listing> ls = {sample(1, g), sample(2, g), sample(3, g)};
  const auto body = compare_json(ls, g);
  const auto& views = body.at("listings").as_array();
  ASSERT_EQ(views.size(), 3u);
  EXPECT_EQ(views[1].at("id").as_int64(), 2);
  std::set<std::string> fields;
  for (const auto& row : body.at("rows").as_array()) {
    fields.insert(std::string(row.at("field").as_string()));
    EXPECT_EQ(row.at("values").as_array().size(), 3u) << row.at("field");
    EXPECT_FALSE(row.at("label").as_string().empty());
  }
  for (const char* key :
       {"location", "price", "price_per_sqft", "bhk", "carpet_area_sqft", "floor", "furnishing",
        "possession", "age_years", "parking_covered", "parking_open", "amenities"})
    EXPECT_TRUE(fields.contains(key)) << key;
  for (const auto& row : body.at("rows").as_array()) {
    const auto& v = row.at("values").as_array();
    if (row.at("field") == "price") EXPECT_EQ(v[2].as_int64(), 30'000'000);
    if (row.at("field") == "price_per_sqft") EXPECT_EQ(v[0].as_int64(), 20'000);
    if (row.at("field") == "location") EXPECT_EQ(v[0].as_string(), "Mumbai");
    if (row.at("field") == "amenities") EXPECT_EQ(v[0].as_array().size(), 2u);
  }
  const std::string text = boost::json::serialize(body);
  EXPECT_EQ(text.find("owner_id"), std::string::npos);
  EXPECT_EQ(text.find("4242"), std::string::npos);
  EXPECT_EQ(text.find("secret moderation note"), std::string::npos);
}

TEST(CompareJson, EveryRowIsAPublicFieldOfTheListing) {
  const auto g = listings::Gazetteer::load().value();
  const auto pub = listings::to_json(sample(1, g), listings::View::public_view);
  const auto owner = listings::to_json(sample(1, g), listings::View::owner_view);
  std::set<std::string_view> table;
  for (const auto& f : listings::listing_fields()) table.insert(f.name);
  for (const auto& [field, label] : compare_fields()) {
    EXPECT_TRUE(pub.contains(field)) << field << " is not in the public view";
    // Beyond the field table only derived public values (price per sq ft, amenities, ...).
    if (!table.contains(field))
      EXPECT_TRUE(field == "price_per_sqft" || field == "amenities" || field == "posted_by" ||
                  field == "verified")
          << field;
  }
  // The owner view's extras are exactly what must never appear.
  for (const auto& [key, value] : owner)
    if (!pub.contains(key))
      for (const auto& [field, label] : compare_fields()) EXPECT_NE(field, key);
}

}  // namespace
}  // namespace griha::saved
