// The listing model: the field allowlist, per-field validation and the JSON views.
#include "listings/listing.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace griha::listings {
namespace {

boost::json::object obj(std::string_view json) {
  return boost::json::parse(json).as_object();
}

std::vector<std::string> fields_of(const Error& e) {
  std::vector<std::string> out;
  for (const auto& f : e.fields) out.push_back(f.field + ":" + std::string(to_string(f.code)));
  return out;
}

TEST(ListingModel, ProtectedFieldsAreRefusedByNameAndNothingChanges) {
  Listing l;
  l.title = "Sunny 2 BHK in Andheri West";
  const auto before = to_json(l, View::owner_view);
  auto r = apply_patch(l, obj(R"({"status":"active","owner_id":7,"featured":true,
                                  "verified":true,"title":"Changed title here"})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "validation_failed");
  const auto got = fields_of(r.error());
  for (const char* f : {"/status:not_writable", "/owner_id:not_writable", "/featured:not_writable",
                        "/verified:not_writable"})
    EXPECT_NE(std::find(got.begin(), got.end(), f), got.end()) << f;
  EXPECT_EQ(to_json(l, View::owner_view), before);  // the valid title did not sneak in
}

TEST(ListingModel, UnknownFieldsAndWrongTypesAreNamed) {
  Listing l;
  auto r = apply_patch(l, obj(R"({"colour":"blue","bhk":"two","price":12.5,"pets_allowed":1,
                                  "transaction":"barter"})"));
  ASSERT_FALSE(r);
  const auto got = fields_of(r.error());
  for (const char* f : {"/colour:unknown_field", "/bhk:invalid_type", "/price:invalid_type",
                        "/pets_allowed:invalid_type", "/transaction:invalid_value"})
    EXPECT_NE(std::find(got.begin(), got.end(), f), got.end()) << f;
}

TEST(ListingModel, RangesAndFormats) {
  struct Case {
    std::string json;
    bool ok;
  };
  for (const auto& c : std::vector<Case>{
           {R"({"bhk":0})", true},
           {R"({"bhk":6})", false},
           {R"({"price":999})", false},
           {R"({"price":8500000})", true},
           {R"({"latitude":19.1364,"longitude":72.8296})", true},
           {R"({"latitude":51.5,"longitude":-0.12})", false},
           {R"({"pincode":"400053"})", true},
           {R"({"pincode":"40005A"})", false},
           {R"({"pincode":"4000531"})", false},
           {R"({"rera_number":"P51800012345"})", true},
           {R"({"rera_number":"PRM/KA/RERA/1251/446/PR/171031/000612"})", true},
           {R"({"rera_number":"not a number"})", false},
           {R"({"possession_date":"2027-03"})", true},
           {R"({"possession_date":"2027-13"})", false},
           {R"({"title":"short"})", false},
           {R"({"title":"Bad\u0007 bell character in title"})", false},
           {R"({"virtual_tour_url":"https://my.matterport.com/show/?m=abc"})", true},
           {R"({"video_url":"https://www.youtube.com/watch?v=abc"})", true},
           {R"({"video_url":"http://www.youtube.com/watch?v=abc"})", false},
           {R"({"video_url":"https://evil.example/watch"})", false},
           {R"({"video_url":"https://user@youtube.com/x"})", false},
           {R"({"amenities":["lift","gym"]})", true},
           {R"({"amenities":["lift","moat"]})", false},
       }) {
    Listing l;
    EXPECT_EQ(bool(apply_patch(l, obj(c.json))), c.ok) << c.json;
  }
}

TEST(ListingModel, NullClearsAFieldAndMaterialEditsAreDetected) {
  Listing l;
  l.title = "Sunny 2 BHK in Andheri West";
  l.price = 8'500'000;
  bool material = true;
  ASSERT_TRUE(apply_patch(l, obj(R"({"price":8000000})"), &material));
  EXPECT_FALSE(material);  // price changes go live without review
  ASSERT_TRUE(apply_patch(l, obj(R"({"title":"Sunny 2 BHK near the metro"})"), &material));
  EXPECT_TRUE(material);
  ASSERT_TRUE(apply_patch(l, obj(R"({"price":null})")));
  EXPECT_FALSE(l.price);
}

TEST(ListingModel, PricePerSqftUsesTheBestKnownArea) {
  Listing l;
  l.price = 12'000'000;
  l.super_built_up_area_sqft = 1500;
  EXPECT_EQ(l.price_per_sqft(), 8000);
  l.carpet_area_sqft = 1000;
  EXPECT_EQ(l.price_per_sqft(), 12000);
}

TEST(ListingModel, PublicViewHidesOwnerAndModerationDetails) {
  Listing l;
  l.id = 5;
  l.owner_id = 42;
  l.rejection_reason = "Photos show a different flat";
  const auto pub = to_json(l, View::public_view);
  EXPECT_FALSE(pub.contains("owner_id"));
  EXPECT_FALSE(pub.contains("rejection_reason"));
  const auto own = to_json(l, View::owner_view);
  EXPECT_EQ(own.at("owner_id").as_int64(), 42);
  EXPECT_EQ(own.at("rejection_reason").as_string(), "Photos show a different flat");
}

TEST(ListingModel, EveryFieldRoundTripsThroughJson) {
  Listing l;
  auto body = obj(R"({"transaction":"sale_resale","property_type":"apartment",
    "title":"Sunny 2 BHK in Andheri West","description":"A bright flat close to the metro, with good light and air.",
    "bhk":2,"bathrooms":2,"balconies":1,"carpet_area_sqft":750,"built_up_area_sqft":900,
    "super_built_up_area_sqft":1100,"price":18500000,"maintenance_monthly":4500,
    "furnishing":"semi_furnished","possession":"ready","age_years":8,"facing":"north_east",
    "floor":7,"total_floors":14,"parking_covered":1,"parking_open":0,"pets_allowed":true,
    "city_id":1,"locality_id":3,"project_name":"Lokhandwala Residency","pincode":"400053",
    "latitude":19.1364,"longitude":72.8296,"amenities":["lift","security"]})");
  ASSERT_TRUE(apply_patch(l, body));
  const auto out = to_json(l, View::owner_view);
  for (const auto& [k, v] : body) EXPECT_EQ(out.at(k), v) << k;
  EXPECT_EQ(out.at("price_per_sqft").as_int64(), 18500000 / 750);
}

}  // namespace
}  // namespace griha::listings

#include "core/resources.hpp"

namespace griha::listings {
namespace {

// The API reference names every writable field, with its RESO name where it has one.
TEST(ListingModel, OpenApiDescribesEveryFieldWithItsResoName) {
  const auto doc = boost::json::parse(*resources::find("api/openapi.json"));
  const auto& props =
      doc.at("components").at("schemas").at("ListingFields").at("properties").as_object();
  for (const auto& f : listing_fields()) {
    ASSERT_TRUE(props.contains(f.name)) << f.name;
    const auto& p = props.at(f.name).as_object();
    if (f.reso.empty())
      EXPECT_FALSE(p.contains("x-reso-name")) << f.name;
    else
      EXPECT_EQ(p.at("x-reso-name").as_string(), f.reso) << f.name;
  }
  EXPECT_EQ(props.size(), listing_fields().size() + 1);  // + amenities
}

}  // namespace
}  // namespace griha::listings
