// Search over HTTP against the real binary: fresh on every write, rebuilt at start from either
// database, shareable as GET or POST, and strict about its parameters.
#include <gtest/gtest.h>
#include <signal.h>

#include "support/griha_process.hpp"
#include "support/http_client.hpp"

namespace griha::test {
namespace {

using bhttp::verb;
namespace json = boost::json;

class SearchApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new GrihaProcess();
    owner_ = create_user(*server_, "owner");
    admin_ = create_user(*server_, "admin");
  }
  static void TearDownTestSuite() { delete server_; }

  static HttpResponse call(verb method, const std::string& target, const TestUser* as,
                           const std::string& body = {}) {
    Headers h;
    if (as) h.emplace_back("Authorization", as->bearer());
    if (!body.empty()) h.emplace_back("Content-Type", "application/json");
    return http_request(server_->port(), method, target, body, h);
  }

  static json::object place(const std::string& q) {
    return json_body(http_get(server_->port(), "/api/v1/places?q=" + q))
        .at("places")
        .at(0)
        .as_object();
  }

  // A live listing in `locality` (a places query), returns its id.
  static std::int64_t live(const std::string& locality, const std::string& transaction, int bhk,
                           std::int64_t price, const std::string& title) {
    const auto p = place(locality);
    json::object body{{"transaction", transaction},
                      {"property_type", "apartment"},
                      {"title", title},
                      {"description", "A bright flat close to the metro, with good light and air."},
                      {"bhk", bhk},
                      {"carpet_area_sqft", 500 + 200 * bhk},
                      {"price", price},
                      {"city_id", p.at("city_id")},
                      {"locality_id", p.at("locality_id")}};
    auto created = call(verb::post, "/api/v1/listings", &owner_, json::serialize(body));
    const auto id = json_body(created).at("id").as_int64();
    call(verb::post, "/api/v1/listings/" + std::to_string(id) + "/submit", &owner_);
    auto approved =
        call(verb::post, "/api/v1/admin/listings/" + std::to_string(id) + "/approve", &admin_);
    EXPECT_EQ(approved.result_int(), 200) << approved.body();
    return id;
  }

  static std::vector<std::int64_t> ids(const json::value& page) {
    std::vector<std::int64_t> out;
    for (const auto& r : page.at("results").as_array()) out.push_back(r.at("id").as_int64());
    return out;
  }
  static json::value search(const std::string& query) {
    auto r = http_get(server_->port(), "/api/v1/search?" + query);
    EXPECT_EQ(r.result_int(), 200) << query << " -> " << r.body();
    return json_body(r);
  }

  static GrihaProcess* server_;
  static TestUser owner_, admin_;
};
GrihaProcess* SearchApi::server_ = nullptr;
TestUser SearchApi::owner_, SearchApi::admin_;

TEST_F(SearchApi, WritesShowInSearchAtOnce) {
  const auto city = std::to_string(place("andheri%20west").at("city_id").as_int64());
  const std::string q = "city=" + city + "&q=lighthouse";
  EXPECT_EQ(search(q).at("total").as_int64(), 0);
  const auto id =
      live("andheri%20west", "sale_resale", 2, 15'000'000, "Lighthouse view 2 BHK flat");
  auto found = search(q);
  ASSERT_EQ(ids(found), std::vector<std::int64_t>{id});
  const auto& card = found.at("results").at(0);
  EXPECT_EQ(card.at("title").as_string(), "Lighthouse view 2 BHK flat");
  EXPECT_EQ(card.at("locality").as_string(), "Andheri West");
  EXPECT_EQ(card.at("price").as_int64(), 15'000'000);

  // A price edit moves it across a price filter; withdrawal and deletion take it out.
  EXPECT_EQ(search(q + "&price_max=14000000").at("total").as_int64(), 0);
  call(verb::patch, "/api/v1/listings/" + std::to_string(id), &owner_, R"({"price":13500000})");
  EXPECT_EQ(search(q + "&price_max=14000000").at("total").as_int64(), 1);
  call(verb::post, "/api/v1/listings/" + std::to_string(id) + "/withdraw", &owner_);
  EXPECT_EQ(search(q).at("total").as_int64(), 0);
}

TEST_F(SearchApi, FiltersFacetsAndPages) {
  const auto bandra = place("bandra%20west");
  const auto city = std::to_string(bandra.at("city_id").as_int64());
  const auto loc = std::to_string(bandra.at("locality_id").as_int64());
  std::vector<std::int64_t> made;
  for (int i = 0; i < 5; ++i)
    made.push_back(live("bandra%20west", "rent", 1 + i % 3, 50'000 + 10'000 * i,
                        "Seaside rental number " + std::to_string(i)));
  const std::string base = "city=" + city + "&locality=" + loc + "&transaction=rent";
  auto all = search(base + "&sort=price_asc&facets=bhk,price");
  EXPECT_EQ(all.at("total").as_int64(), 5);
  EXPECT_EQ(ids(all), made);  // cheapest first, as made

  // The BHK facet ignores the BHK filter, as users expect; the total does not.
  auto two = search(base + "&bhk=2&facets=bhk");
  EXPECT_EQ(two.at("total").as_int64(), 2);
  std::int64_t facet_total = 0;
  for (const auto& f : two.at("facets").at("bhk").as_array())
    facet_total += f.at("count").as_int64();
  EXPECT_EQ(facet_total, 5);

  // Pages by cursor cover everything exactly once.
  std::vector<std::int64_t> paged;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    auto p =
        search(base + "&sort=price_asc&page_size=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (auto id : ids(p)) paged.push_back(id);
    if (p.at("next_cursor").is_null()) break;
    cursor = std::string(p.at("next_cursor").as_string());
  }
  EXPECT_EQ(paged, made);

  // POST with the same query as JSON gives the same answer.
  auto posted =
      call(verb::post, "/api/v1/search", nullptr,
           json::serialize(json::object{{"city", bandra.at("city_id")},
                                        {"locality", json::array{bandra.at("locality_id")}},
                                        {"transaction", json::array{"rent"}},
                                        {"sort", "price_asc"}}));
  ASSERT_EQ(posted.result_int(), 200) << posted.body();
  EXPECT_EQ(ids(json_body(posted)), made);
}

TEST_F(SearchApi, MapClustersWhenZoomedOutAndPinsWhenZoomedIn) {
  live("powai", "sale_resale", 3, 25'000'000, "Lakeside 3 BHK in Powai");
  const std::string box = "bbox=18.8,72.7,19.4,73.1";
  auto out = http_get(server_->port(), "/api/v1/search/map?" + box + "&zoom=9");
  ASSERT_EQ(out.result_int(), 200) << out.body();
  EXPECT_EQ(out[bhttp::field::content_type], "application/geo+json");
  auto clusters = json_body(out);
  EXPECT_EQ(clusters.at("type").as_string(), "FeatureCollection");
  EXPECT_TRUE(clusters.at("clustered").as_bool());
  std::int64_t counted = 0;
  for (const auto& f : clusters.at("features").as_array())
    counted += f.at("properties").at("count").as_int64();
  EXPECT_EQ(counted, clusters.at("total").as_int64());
  auto pins = json_body(http_get(server_->port(), "/api/v1/search/map?" + box + "&zoom=16"));
  EXPECT_FALSE(pins.at("clustered").as_bool());
  for (const auto& f : pins.at("features").as_array())
    EXPECT_TRUE(f.at("properties").as_object().contains("id"));
  EXPECT_EQ(http_get(server_->port(), "/api/v1/search/map?" + box).result_int(), 400);
  EXPECT_EQ(http_get(server_->port(), "/api/v1/search/map?zoom=9").result_int(), 400);
}

TEST_F(SearchApi, EachBadParameterIsNamed) {
  std::string polygon_big;
  for (int i = 0; i < 201; ++i)
    polygon_big += (i ? ";" : "") + std::to_string(19.0 + 0.001 * i) + "," +
                   std::to_string(72.8 + 0.001 * (i % 7));
  struct Case {
    std::string query, field;
  };
  for (const auto& c : std::vector<Case>{
           {"price_min=abc", "price_min"},
           {"price_min=500&price_max=100", "price_min"},
           {"page_size=101", "page_size"},
           {"sort=cheapest", "sort"},
           {"colour=blue", "colour"},
           {"cursor=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cursor"},
           {"polygon=" + polygon_big, "polygon"},
           {"polygon=19.0,72.8;19.1,72.9;19.0,72.9;19.1,72.8", "polygon"},  // a bow tie
           {"bhk=9", "bhk"},
       }) {
    auto r = http_get(server_->port(), "/api/v1/search?" + c.query);
    EXPECT_EQ(r.result_int(), 400) << c.query;
    auto p = json_body(r);
    EXPECT_EQ(p.at("code").as_string(), "validation_failed") << c.query;
    bool named = false;
    for (const auto& e : p.at("errors").as_array())
      named |= e.at("field").as_string().starts_with("/" + c.field);
    EXPECT_TRUE(named) << c.query << " -> " << r.body();
  }
  // A cursor from a real page, altered by one character, is refused too.
  const auto city = std::to_string(place("andheri%20west").at("city_id").as_int64());
  live("andheri%20west", "sale_resale", 1, 9'000'000, "Compact 1 BHK for a first home");
  live("andheri%20west", "sale_resale", 1, 9'500'000, "Another compact 1 BHK home here");
  auto first = search("city=" + city + "&page_size=1");
  std::string cursor(first.at("next_cursor").as_string());
  cursor[cursor.size() / 2] = cursor[cursor.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(
      http_get(server_->port(), "/api/v1/search?city=" + city + "&page_size=1&cursor=" + cursor)
          .result_int(),
      400);
}

TEST(SearchRestart, TheIndexIsRebuiltFromTheDatabaseAtStart) {
  GrihaProcess first;
  const auto owner = create_user(first, "owner");
  const auto admin = create_user(first, "admin");
  const auto p =
      json_body(http_get(first.port(), "/api/v1/places?q=koramangala")).at("places").at(0);
  json::object body{{"transaction", "rent"},
                    {"property_type", "apartment"},
                    {"title", "Garden-facing 2 BHK on a quiet road"},
                    {"description", "A bright flat close to the metro, with good light and air."},
                    {"bhk", 2},
                    {"carpet_area_sqft", 900},
                    {"price", 45000},
                    {"city_id", p.at("city_id")},
                    {"locality_id", p.at("locality_id")}};
  const auto id =
      json_body(
          http_request(first.port(), verb::post, "/api/v1/listings", json::serialize(body),
                       {{"Authorization", owner.bearer()}, {"Content-Type", "application/json"}}))
          .at("id")
          .as_int64();
  const std::string path = std::to_string(id);
  http_request(first.port(), verb::post, "/api/v1/listings/" + path + "/submit", {},
               {{"Authorization", owner.bearer()}});
  http_request(first.port(), verb::post, "/api/v1/admin/listings/" + path + "/approve", {},
               {{"Authorization", admin.bearer()}});
  ASSERT_EQ(first.signal_and_wait(SIGTERM, std::chrono::seconds(30)), 0);

  GrihaProcess second({{"GRIHA_DATABASE_URL", first.database_url()}});
  auto found = json_body(http_get(second.port(), "/api/v1/search?q=garden"));
  ASSERT_EQ(found.at("total").as_int64(), 1);
  EXPECT_EQ(found.at("results").at(0).at("id").as_int64(), id);
}

}  // namespace
}  // namespace griha::test
