// Search's JSON: numbers in plain notation, strings escaped, commas where JSON wants them.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "search/json_writer.hpp"

namespace griha::search {
namespace {

TEST(SearchJson, NumbersArePlainAndCoordinatesSixDecimals) {
  JsonWriter w;
  w.begin_object();
  w.key("lat").fixed(76.64030345720735, k_coordinate_decimals);
  w.key("lng").fixed(19.07f, k_coordinate_decimals);
  w.key("small").fixed(0.0000001, k_coordinate_decimals);
  w.key("negative").fixed(-12.5, k_coordinate_decimals);
  w.key("price").integer(12'500'000'000);
  w.key("list").begin_array().integer(1).null().boolean(true).end_array();
  w.key("text").str("a \"quote\"\n\x01");
  w.end_object();
  EXPECT_EQ(w.text(),
            R"({"lat":76.640303,"lng":19.07,"small":0,"negative":-12.5,"price":12500000000,)"
            R"("list":[1,null,true],"text":"a \"quote\"\n\u0001"})");
  const auto parsed = boost::json::parse(w.text());  // and it is JSON
  EXPECT_EQ(parsed.at("text").as_string(), "a \"quote\"\n\x01");
}

}  // namespace
}  // namespace griha::search
