// The gazetteer: the shipped data is big enough and consistent, lookups and autocomplete
// answer what people expect, and inconsistent data is refused at load.
#include "listings/gazetteer.hpp"

#include <gtest/gtest.h>

#include <set>

namespace griha::listings {
namespace {

const Gazetteer& shipped() {
  static const Gazetteer g = Gazetteer::load().value();
  return g;
}

std::vector<std::string> labels(const std::vector<Place>& places) {
  std::vector<std::string> out;
  for (const auto& p : places) out.push_back(p.label);
  return out;
}

TEST(Gazetteer, ShipsEnoughCitiesAndLocalitiesWithUniqueIds) {
  const auto& g = shipped();
  EXPECT_GE(g.cities().size(), 15u);
  std::set<std::int64_t> city_ids, locality_ids;
  std::size_t localities = 0;
  for (const auto& c : g.cities()) {
    EXPECT_TRUE(city_ids.insert(c.id).second) << c.name;
    EXPECT_GE(g.localities(c.id).size(), 15u) << c.name;
    for (const auto& l : g.localities(c.id)) {
      EXPECT_TRUE(locality_ids.insert(l.id).second) << l.name;
      ++localities;
    }
  }
  EXPECT_GE(localities, 400u);
}

TEST(Gazetteer, EveryLocalityLiesNearItsCityWithAValidPincode) {
  const auto& g = shipped();
  for (const auto& c : g.cities()) {
    EXPECT_GT(c.sale_price_per_sqft, 100 * c.rent_per_sqft_month) << c.name;
    for (const auto& l : g.localities(c.id)) {
      EXPECT_EQ(l.city_id, c.id);
      EXPECT_LE(distance_km(c.lat, c.lng, l.lat, l.lng), 60.0) << l.name << ", " << c.name;
      EXPECT_EQ(l.pincode.size(), 6u) << l.name;
      EXPECT_EQ(l.pincode.find_first_not_of("0123456789"), std::string::npos) << l.name;
      EXPECT_GE(l.popularity, 1) << l.name;
      EXPECT_LE(l.popularity, 100) << l.name;
    }
  }
}

TEST(Gazetteer, DistanceIsGreatCircleKilometres) {
  // Mumbai CST to Pune station is about 120 km as the crow flies.
  EXPECT_NEAR(distance_km(18.9398, 72.8355, 18.5289, 73.8744), 119.0, 3.0);
  EXPECT_DOUBLE_EQ(distance_km(12.97, 77.59, 12.97, 77.59), 0.0);
}

TEST(Gazetteer, AutocompletePrefixFindsAndheriWestFirst) {
  const auto places = shipped().autocomplete("andh", 8);
  ASSERT_GE(places.size(), 2u);
  EXPECT_EQ(places[0].label, "Andheri West, Mumbai");
  EXPECT_EQ(places[0].kind, Place::Kind::locality);
  EXPECT_EQ(places[0].pincode, "400053");
  EXPECT_EQ(places[0].city_id, shipped().city_by_name_or_slug("mumbai")->id);
  EXPECT_EQ(places[0].locality_id, shipped().find_locality(places[0].city_id, "Andheri West")->id);
  EXPECT_EQ(places[1].label, "Andheri East, Mumbai");
}

TEST(Gazetteer, AutocompleteNeedsEveryWordToStartAWord) {
  EXPECT_EQ(labels(shipped().autocomplete("bandra w", 8)),
            std::vector<std::string>{"Bandra West, Mumbai"});
  EXPECT_EQ(labels(shipped().autocomplete("koramangala", 8)),
            std::vector<std::string>{"Koramangala, Bengaluru"});
  // Inside a word is not a word start.
  EXPECT_TRUE(shipped().autocomplete("ndheri", 8).empty());
  EXPECT_TRUE(shipped().autocomplete("bandra x", 8).empty());
}

TEST(Gazetteer, AutocompleteIgnoresCaseAndPunctuation) {
  const auto expected = labels(shipped().autocomplete("bandra w", 8));
  EXPECT_EQ(labels(shipped().autocomplete("BANDRA W", 8)), expected);
  EXPECT_EQ(labels(shipped().autocomplete("  Bandra,  west ", 8)), expected);
  EXPECT_EQ(labels(shipped().autocomplete("bandra-w", 8)), expected);
  EXPECT_TRUE(shipped().autocomplete(" ,- ", 8).empty());
}

TEST(Gazetteer, AutocompleteRanksNameStartsFirstThenPopularity) {
  // Mumbai starts its own name; in Navi Mumbai it is a later word.
  const auto mumbai = labels(shipped().autocomplete("mumbai", 8));
  EXPECT_EQ(mumbai, (std::vector<std::string>{"Mumbai", "Navi Mumbai"}));
  // Both are in Delhi; the more searched comes first.
  const auto vasant =
      shipped().autocomplete("vasant", 8, shipped().city_by_name_or_slug("delhi")->id);
  EXPECT_EQ(labels(vasant),
            (std::vector<std::string>{"Vasant Kunj, Delhi", "Vasant Vihar, Delhi"}));
  // Same name and popularity in two cities: file order, so every call answers the same.
  EXPECT_EQ(labels(shipped().autocomplete("tilak", 8)),
            (std::vector<std::string>{"Tilak Nagar, Jaipur", "Tilak Nagar, Indore"}));
}

TEST(Gazetteer, AutocompleteKnowsOlderCityNamesAndCityWords) {
  const auto gurgaon = shipped().autocomplete("gurgaon", 1);
  ASSERT_EQ(gurgaon.size(), 1u);
  EXPECT_EQ(gurgaon[0].label, "Gurugram");
  EXPECT_EQ(gurgaon[0].kind, Place::Kind::city);
  EXPECT_EQ(gurgaon[0].locality_id, 0);
  EXPECT_TRUE(gurgaon[0].pincode.empty());
  EXPECT_EQ(labels(shipped().autocomplete("whitefield bangalore", 8)),
            std::vector<std::string>{"Whitefield, Bengaluru"});
  // A city's name alone does not list all of its localities.
  for (const auto& p : shipped().autocomplete("pune", 20)) EXPECT_EQ(p.kind, Place::Kind::city);
}

TEST(Gazetteer, AutocompleteFiltersByCityAndHonoursTheLimit) {
  const auto& g = shipped();
  const auto noida = g.city_by_name_or_slug("noida")->id;
  const auto everywhere = g.autocomplete("sector", 20);
  std::set<std::int64_t> cities;
  for (const auto& p : everywhere) cities.insert(p.city_id);
  EXPECT_GT(cities.size(), 1u);

  const auto in_noida = g.autocomplete("sector", 20, noida);
  ASSERT_FALSE(in_noida.empty());
  for (const auto& p : in_noida) EXPECT_EQ(p.city_id, noida) << p.label;
  EXPECT_EQ(g.autocomplete("sector", 3, noida).size(), 3u);
  EXPECT_TRUE(g.autocomplete("sector", 0).empty());
  EXPECT_TRUE(g.autocomplete("andh", 8, noida).empty());
}

TEST(Gazetteer, FindsCitiesAndLocalitiesByNameSlugOrAlias) {
  const auto& g = shipped();
  const City* mumbai = g.city_by_name_or_slug("MUMBAI");
  ASSERT_NE(mumbai, nullptr);
  EXPECT_EQ(g.city_by_name_or_slug("bombay"), mumbai);
  EXPECT_EQ(g.city(mumbai->id), mumbai);
  ASSERT_NE(g.city_by_name_or_slug("navi-mumbai"), nullptr);
  EXPECT_EQ(g.city_by_name_or_slug("Navi Mumbai")->slug, "navi-mumbai");
  EXPECT_EQ(g.city_by_name_or_slug("Bangalore")->name, "Bengaluru");
  EXPECT_EQ(g.city_by_name_or_slug("Atlantis"), nullptr);
  EXPECT_EQ(g.city(999'999), nullptr);

  const Locality* aw = g.find_locality(mumbai->id, "andheri west");
  ASSERT_NE(aw, nullptr);
  EXPECT_EQ(g.find_locality(mumbai->id, "Andheri-West"), aw);
  EXPECT_EQ(g.locality(aw->id), aw);
  EXPECT_EQ(g.find_locality(g.city_by_name_or_slug("pune")->id, "andheri west"), nullptr);
  EXPECT_EQ(g.locality(999'999), nullptr);
  EXPECT_TRUE(g.localities(999'999).empty());
}

TEST(Gazetteer, NearestLocalityPlacesAPin) {
  const auto& g = shipped();
  const auto mumbai = g.city_by_name_or_slug("mumbai")->id;
  const Locality* near_powai_lake = g.nearest_locality(mumbai, 19.1230, 72.9050);
  ASSERT_NE(near_powai_lake, nullptr);
  EXPECT_EQ(near_powai_lake->name, "Powai");
  const auto blr = g.city_by_name_or_slug("bengaluru")->id;
  EXPECT_EQ(g.nearest_locality(blr, 12.9340, 77.6260)->name, "Koramangala");
  EXPECT_EQ(g.nearest_locality(999'999, 19.1, 72.9), nullptr);
}

constexpr std::string_view k_cities =
    "city_id,slug,name,state,lat,lng,sale_price_per_sqft,rent_per_sqft_month,aliases\n"
    "1,mumbai,Mumbai,Maharashtra,19.0760,72.8777,26000,65,Bombay\n"
    "2,pune,Pune,Maharashtra,18.5204,73.8567,9000,26,\n";
constexpr std::string_view k_localities_header =
    "locality_id,city_id,slug,name,lat,lng,pincode,price_factor,popularity\n";
constexpr std::string_view k_powai = "1001,1,powai,Powai,19.1176,72.9060,400076,1.3,92\n";

TEST(Gazetteer, ParsesValidData) {
  auto g = Gazetteer::parse(k_cities, std::string(k_localities_header) + std::string(k_powai) +
                                          "2001,2,baner,Baner,18.5590,73.7868,411045,1.25,90\r\n");
  ASSERT_TRUE(g) << g.error().detail;
  EXPECT_EQ(g->cities().size(), 2u);
  EXPECT_EQ(g->localities(1).size(), 1u);
  EXPECT_EQ(g->localities(2).front().name, "Baner");
  EXPECT_EQ(g->city(1)->aliases, std::vector<std::string>{"Bombay"});
}

TEST(Gazetteer, ReadsQuotedFieldsAsCsvDoes) {
  // The gazetteer files go through the one CSV reader: a name may hold a comma when quoted.
  auto g = Gazetteer::parse(k_cities, std::string(k_localities_header) +
                                          "1002,1,juhu,\"Juhu, Mumbai\",19.1075,72.8263,400049,2.2,"
                                          "78\n");
  ASSERT_TRUE(g) << g.error().detail;
  EXPECT_EQ(g->localities(1).front().name, "Juhu, Mumbai");
}

TEST(Gazetteer, RefusesInconsistentData) {
  struct Case {
    std::string name;
    std::string cities;
    std::string localities;  // after the header
    std::string detail;      // a substring of the error's detail
  };
  const std::string c(k_cities);
  const std::vector<Case> cases = {
      {"bad header", "id,slug\n", "", "header must be"},
      {"duplicate city id", c + "1,thane,Thane,Maharashtra,19.2183,72.9781,14000,34,\n", "",
       "duplicate city_id"},
      {"city name clashes with an alias", c + "3,bombay,Bombay,Maharashtra,19.1,72.9,1,1,\n", "",
       "duplicate city name"},
      {"city outside India", c + "3,london,London,England,51.5072,-0.1276,1,1,\n", "",
       "point in India"},
      {"missing field", c, "1002,1,juhu,Juhu,19.1075,72.8263,400049,2.2\n", "expected 9 fields"},
      {"unterminated quote", c, "1002,1,juhu,\"Juhu, Mumbai,19.1,72.8,400049,2.2,78\n", "quote"},
      {"duplicate locality id", c,
       std::string(k_powai) + "1001,1,juhu,Juhu,19.1075,72.8263,400049,2.2,78\n",
       "duplicate locality_id"},
      {"duplicate name in a city", c,
       std::string(k_powai) + "1002,1,powai-2,POWAI,19.1,72.9,400076,1,1\n",
       "duplicate locality name"},
      {"unknown city", c, "9001,9,x,X,19.1,72.9,400076,1,1\n", "names no city"},
      {"pincode too short", c, "1002,1,juhu,Juhu,19.1075,72.8263,40049,2.2,78\n", "pincode"},
      {"pincode with a leading zero", c, "1002,1,juhu,Juhu,19.1075,72.8263,040049,2.2,78\n",
       "pincode"},
      {"lat and lng swapped", c, "1002,1,juhu,Juhu,72.8263,19.1075,400049,2.2,78\n", "in India"},
      {"in Pune, filed under Mumbai", c, "1002,1,baner,Baner,18.5590,73.7868,411045,1.25,90\n",
       "60 km from the centre of Mumbai"},
      {"popularity out of range", c, "1002,1,juhu,Juhu,19.1075,72.8263,400049,2.2,101\n",
       "popularity"},
      {"bad slug", c, "1002,1,Juhu Beach,Juhu,19.1075,72.8263,400049,2.2,78\n", "slug"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    auto g = Gazetteer::parse(k.cities, std::string(k_localities_header) + k.localities);
    ASSERT_FALSE(g);
    EXPECT_EQ(g.error().code, "gazetteer_invalid");
    EXPECT_NE(g.error().detail.find(k.detail), std::string::npos) << g.error().detail;
  }
}

}  // namespace
}  // namespace griha::listings
