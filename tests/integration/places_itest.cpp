// GET /api/v1/places against the real binary: autocomplete answers, caching, and a
// problem+json naming the field for every bad parameter.
#include <gtest/gtest.h>

#include "support/api.hpp"

namespace griha::test {
namespace {

class PlacesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new GrihaProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static Api api() { return Api(*server_); }
  static boost::json::array places(const std::string& target) {
    auto res = api().get(target);
    EXPECT_EQ(res.result_int(), 200) << target << ": " << res.body();
    return json_body(res).at("places").as_array();
  }
  static GrihaProcess* server_;
};
GrihaProcess* PlacesTest::server_ = nullptr;

TEST_F(PlacesTest, AndhFindsAndheriWestFirst) {
  auto res = api().run({.path = "/api/v1/places?q=andh",
                        .expected_fields = {{"/places/0/label", "Andheri West, Mumbai"},
                                            {"/places/0/kind", "locality"},
                                            {"/places/0/pincode", "400053"},
                                            {"/places/1/label", "Andheri East, Mumbai"}},
                        .expected_headers = {{"Cache-Control", "public, max-age=3600"}}});
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_TRUE(std::string(res[bhttp::field::content_type]).starts_with("application/json"));
  const auto list = json_body(res).at("places").as_array();
  ASSERT_GE(list.size(), 2u);
  const auto& first = list[0].as_object();
  EXPECT_EQ(first.at("label").as_string(), "Andheri West, Mumbai");
  EXPECT_EQ(first.at("kind").as_string(), "locality");
  EXPECT_EQ(first.at("pincode").as_string(), "400053");
  EXPECT_GT(first.at("city_id").as_int64(), 0);
  EXPECT_GT(first.at("locality_id").as_int64(), 0);
  EXPECT_NEAR(first.at("lat").as_double(), 19.136, 0.01);
  EXPECT_NEAR(first.at("lng").as_double(), 72.830, 0.01);
  EXPECT_EQ(list[1].at("label").as_string(), "Andheri East, Mumbai");
}

TEST_F(PlacesTest, EncodedSpacesLimitAndCityFilter) {
  for (const char* q : {"bandra%20w", "bandra+w", "Bandra%20W"}) {
    const auto list = places(std::string("/api/v1/places?q=") + q);
    ASSERT_EQ(list.size(), 1u) << q;
    EXPECT_EQ(list[0].at("label").as_string(), "Bandra West, Mumbai") << q;
  }
  EXPECT_EQ(places("/api/v1/places?q=andh%65ri")[0].at("label").as_string(),
            "Andheri West, Mumbai");
  EXPECT_EQ(places("/api/v1/places?city=navi%20mumbai&q=vashi")[0].at("label").as_string(),
            "Vashi, Navi Mumbai");
  EXPECT_EQ(places("/api/v1/places?q=sector&limit=3").size(), 3u);
  EXPECT_EQ(places("/api/v1/places?q=sector&limit=20").size(), 20u);
  for (const auto& p : places("/api/v1/places?q=sector&limit=20&city=noida"))
    EXPECT_TRUE(p.at("label").as_string().ends_with(", Noida")) << p.at("label").as_string();
  EXPECT_TRUE(places("/api/v1/places?q=andh&city=pune").empty());
  EXPECT_EQ(places("/api/v1/places?q=andh&city=Bombay").size(), 2u);
}

TEST_F(PlacesTest, CityHasNoLocalityOrPincode) {
  const auto list = places("/api/v1/places?q=gurgaon&limit=1");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("label").as_string(), "Gurugram");
  EXPECT_EQ(list[0].at("kind").as_string(), "city");
  EXPECT_TRUE(list[0].at("locality_id").is_null());
  EXPECT_TRUE(list[0].at("pincode").is_null());
}

// "/api/v1/places?q=aaa…" with `n` letters.
std::string query_of_length(std::size_t n) {
  std::string target = "/api/v1/places?q=";
  target.append(n, 'a');
  return target;
}

TEST_F(PlacesTest, BadParametersAreProblemsNamingTheField) {
  const auto names = [](std::string name, std::string target, std::string field) {
    return ApiScenario{.name = std::move(name),
                       .path = std::move(target),
                       .expected_status = 400,
                       .expected_code = "validation_failed",
                       .expected_fields = {{"/errors/0/field", boost::json::value(field)}},
                       .unexpected_fields = {"/errors/1"},
                       .expected_headers = {{"Content-Type", "application/problem+json"}}};
  };
  api().run({
      names("no q", "/api/v1/places", "/q"),
      names("empty q", "/api/v1/places?q=", "/q"),
      names("blank q", "/api/v1/places?q=%20%20", "/q"),
      names("65-character q", query_of_length(65), "/q"),
      names("limit 0", "/api/v1/places?q=andh&limit=0", "/limit"),
      names("limit 21", "/api/v1/places?q=andh&limit=21", "/limit"),
      names("limit not a number", "/api/v1/places?q=andh&limit=abc", "/limit"),
      names("unknown city", "/api/v1/places?q=andh&city=atlantis", "/city"),
  });
  // 64 characters is still a query, even one that matches nothing; so are 30 Devanagari
  // letters, 90 bytes of UTF-8.
  EXPECT_TRUE(places(query_of_length(64)).empty());
  std::string devanagari = "/api/v1/places?q=";
  for (int i = 0; i < 30; ++i) devanagari += "%E0%A4%85";
  EXPECT_TRUE(places(devanagari).empty());
}

TEST_F(PlacesTest, EveryBadFieldIsReportedAtOnce) {
  auto res = api().get("/api/v1/places?limit=99&city=atlantis");
  ASSERT_EQ(res.result_int(), 400);
  const auto body = json_body(res);
  std::vector<std::string> fields;
  for (const auto& e : body.at("errors").as_array()) fields.emplace_back(e.at("field").as_string());
  EXPECT_EQ(fields, (std::vector<std::string>{"/q", "/limit", "/city"}));
}

}  // namespace
}  // namespace griha::test
