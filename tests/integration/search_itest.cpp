// Search over HTTP against the real binary: fresh on every write, rebuilt at start from either
// database, shareable as GET or POST, and strict about its parameters.
#include <gtest/gtest.h>
#include <signal.h>

#include <regex>

#include "support/griha_process.hpp"
#include "support/http_client.hpp"
#include "support/api.hpp"

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

  static Api api() { return Api(*server_); }
  static HttpResponse call(verb method, const std::string& target, const TestUser* as,
                           const std::string& body = {}) {
    return api().call(method, target, as, body);
  }

  static json::object place(const std::string& q) {
    return json_body(api().get("/api/v1/places?q=" + q)).at("places").at(0).as_object();
  }

  // A live listing in `locality` (a places query), returns its id.
  static std::int64_t live(const std::string& locality, const std::string& transaction, int bhk,
                           std::int64_t price, const std::string& title) {
    const auto p = place(locality);
    return api().publish_listing(owner_, admin_,
                                 {{"transaction", transaction},
                                  {"title", title},
                                  {"bhk", bhk},
                                  {"carpet_area_sqft", 500 + 200 * bhk},
                                  {"price", price},
                                  {"city_id", p.at("city_id")},
                                  {"locality_id", p.at("locality_id")}});
  }

  // A live listing from `fields` (created, submitted and approved), returns its id.
  static std::int64_t post_live(json::object fields, const std::string& locality) {
    const auto p = place(locality);
    fields["city_id"] = p.at("city_id");
    fields["locality_id"] = p.at("locality_id");
    if (!fields.contains("description"))
      fields["description"] = "A bright place close to the metro, with good light and air.";
    auto created = call(verb::post, "/api/v1/listings", &owner_, json::serialize(fields));
    EXPECT_EQ(created.result_int(), 201) << created.body();
    const auto id = json_body(created).at("id").as_int64();
    auto submitted =
        call(verb::post, "/api/v1/listings/" + std::to_string(id) + "/submit", &owner_);
    EXPECT_EQ(submitted.result_int(), 200) << submitted.body();
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
    auto r = api().get("/api/v1/search?" + query);
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
  auto out = api().run({.path = "/api/v1/search/map?" + box + "&zoom=9",
                        .expected_fields = {{"/type", "FeatureCollection"}, {"/clustered", true}},
                        .expected_headers = {{"Content-Type", "application/geo+json"}}});
  ASSERT_EQ(out.result_int(), 200) << out.body();
  auto clusters = json_body(out);
  EXPECT_EQ(clusters.at("type").as_string(), "FeatureCollection");
  EXPECT_TRUE(clusters.at("clustered").as_bool());
  std::int64_t counted = 0;
  for (const auto& f : clusters.at("features").as_array())
    counted += f.at("properties").at("count").as_int64();
  EXPECT_EQ(counted, clusters.at("total").as_int64());
  auto pins = json_body(api().get("/api/v1/search/map?" + box + "&zoom=16"));
  EXPECT_FALSE(pins.at("clustered").as_bool());
  for (const auto& f : pins.at("features").as_array())
    EXPECT_TRUE(f.at("properties").as_object().contains("id"));
  api().run({
      {.name = "no zoom", .path = "/api/v1/search/map?" + box, .expected_status = 400},
      {.name = "no bbox", .path = "/api/v1/search/map?zoom=9", .expected_status = 400},
  });
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
    auto r = api().run({.path = "/api/v1/search?" + c.query,
                        .expected_status = 400,
                        .expected_code = "validation_failed"});
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
  api().run({.name = "an altered cursor",
             .path = "/api/v1/search?city=" + city + "&page_size=1&cursor=" + cursor,
             .expected_status = 400});
}

TEST_F(SearchApi, SemiFurnishedIsOneValueEverywhere) {
  const auto id = post_live({{"transaction", "rent"},
                             {"property_type", "apartment"},
                             {"title", "Quokka court semi furnished flat"},
                             {"bhk", 2},
                             {"carpet_area_sqft", 800},
                             {"price", 40'000},
                             {"furnishing", "semi_furnished"}},
                            "andheri%20west");
  auto found = search("q=quokka&furnishing=semi_furnished&facets=furnishing");
  ASSERT_EQ(ids(found), std::vector<std::int64_t>{id});
  EXPECT_EQ(found.at("results").at(0).at("furnishing").as_string(), "semi_furnished");
  EXPECT_EQ(found.at("facets").at("furnishing").at(0).at("value").as_string(), "semi_furnished");
  EXPECT_EQ(search("q=quokka&furnishing=unfurnished").at("total").as_int64(), 0);
  auto posted = call(verb::post, "/api/v1/search", nullptr,
                     R"({"q":"quokka","furnishing":["semi_furnished"]})");
  EXPECT_EQ(ids(json_body(posted)), std::vector<std::int64_t>{id});
  auto map = http_get(
      server_->port(),
      "/api/v1/search/map?zoom=16&bbox=18.8,72.7,19.4,73.1&q=quokka&furnishing=semi_furnished");
  ASSERT_EQ(map.result_int(), 200) << map.body();
  EXPECT_EQ(json_body(map).at("total").as_int64(), 1);
}

TEST_F(SearchApi, AbsentValuesNeverMatchNorCount) {
  // A plot has no BHK; this sale flat says nothing of furnishing, floor or tenants.
  const auto plot = post_live({{"transaction", "sale_resale"},
                               {"property_type", "plot"},
                               {"title", "Wombat corner plot on the main road"},
                               {"plot_area_sqyd", 200},
                               {"price", 9'000'000}},
                              "powai");
  const auto flat = post_live({{"transaction", "sale_resale"},
                               {"property_type", "apartment"},
                               {"title", "Wombat view 1 RK near the lake"},
                               {"bhk", 0},
                               {"carpet_area_sqft", 350},
                               {"price", 6'000'000}},
                              "powai");
  EXPECT_EQ(ids(search("q=wombat&bhk=0")), std::vector<std::int64_t>{flat});
  auto facets = search("q=wombat&bhk=0&facets=property_type,bhk,furnishing");
  ASSERT_EQ(facets.at("facets").at("property_type").as_array().size(), 1u);
  EXPECT_EQ(facets.at("facets").at("property_type").at(0).at("value").as_string(), "apartment");
  EXPECT_EQ(facets.at("facets").at("bhk").as_array().size(), 1u);  // 1 RK only, no plot as "0"
  EXPECT_TRUE(facets.at("facets").at("furnishing").as_array().empty());
  for (const char* filter : {"furnishing=unfurnished", "floor_max=0", "tenant=any",
                             "bathrooms_min=0", "facing=north", "ready_to_move=true"})
    EXPECT_EQ(search(std::string("q=wombat&") + filter).at("total").as_int64(), 0) << filter;
  // Cards say null for what is missing.
  auto cards = search("q=wombat&sort=price_desc");
  ASSERT_EQ(ids(cards), (std::vector<std::int64_t>{plot, flat}));
  EXPECT_TRUE(cards.at("results").at(0).at("bhk").is_null());
  EXPECT_TRUE(cards.at("results").at(0).at("furnishing").is_null());
  EXPECT_EQ(cards.at("results").at(0).at("area_sqft").as_int64(), 1800);  // 200 sq yd
  EXPECT_EQ(cards.at("results").at(1).at("bhk").as_int64(), 0);
  // A tenant preference is for rentals only.
  const auto rental = post_live({{"transaction", "rent"},
                                 {"property_type", "apartment"},
                                 {"title", "Wombat lane flat for families"},
                                 {"bhk", 2},
                                 {"carpet_area_sqft", 700},
                                 {"price", 35'000},
                                 {"tenant_preference", "any"}},
                                "powai");
  EXPECT_EQ(ids(search("q=wombat&tenant=family")), std::vector<std::int64_t>{rental});
}

TEST_F(SearchApi, TextCoversPlacesProjectsAndRegistrationNumbers) {
  const auto id = post_live({{"transaction", "sale_new"},
                             {"property_type", "apartment"},
                             {"title", "Numbat residences, 3 BHK homes"},
                             {"bhk", 3},
                             {"carpet_area_sqft", 1200},
                             {"price", 25'000'000},
                             {"possession", "under_construction"},
                             {"possession_date", "2028-06"},
                             {"project_name", "Ocelot Heights"},
                             {"rera_number", "P51800077777"}},
                            "powai");
  const std::vector<std::int64_t> just{id};
  EXPECT_EQ(ids(search("q=numbat%20powai")), just);      // the locality's name
  EXPECT_EQ(ids(search("q=numbat%20mumbai")), just);     // the city's name
  EXPECT_EQ(ids(search("q=ocelot%20heights")), just);    // the project's name
  EXPECT_EQ(ids(search("q=numbat%20pwoai")), just);      // a swap is one typo
  EXPECT_EQ(ids(search("q=%20p51800077777%20")), just);  // the RERA number, case aside
  EXPECT_EQ(search("q=P51800077778").at("total").as_int64(), 0);
}

TEST_F(SearchApi, NumbersArePlain) {
  post_live({{"transaction", "sale_resale"},
             {"property_type", "apartment"},
             {"title", "Bilby tower 2 BHK flat"},
             {"bhk", 2},
             {"carpet_area_sqft", 777},
             {"price", 15'000'000},
             {"latitude", 19.1176543219876},
             {"longitude", 72.9060123456789}},
            "powai");
  auto r = http_get(server_->port(), "/api/v1/search?q=bilby&lat=19.1&lng=72.9&sort=distance");
  ASSERT_EQ(r.result_int(), 200);
  const std::string body = r.body();
  EXPECT_EQ(body.find("E+"), std::string::npos) << body;
  EXPECT_EQ(body.find("E-"), std::string::npos) << body;
  EXPECT_EQ(body.find("e+"), std::string::npos) << body;
  // Coordinates to at most six decimals (the index keeps them as floats), money as integers.
  EXPECT_TRUE(std::regex_search(body, std::regex(R"("latitude":19\.11765\d?,)"))) << body;
  EXPECT_TRUE(std::regex_search(body, std::regex(R"("longitude":72\.90601\d?,)"))) << body;
  EXPECT_NE(body.find("\"price_per_sqft\":19305,"), std::string::npos) << body;
  EXPECT_TRUE(std::regex_search(body, std::regex(R"("distance_m":\d+[,}])"))) << body;
  auto map = http_get(server_->port(), "/api/v1/search/map?zoom=16&bbox=19,72.8,19.2,73&q=bilby");
  EXPECT_TRUE(std::regex_search(map.body(), std::regex(R"(\[72\.90601\d?,19\.11765\d?\])")))
      << map.body();
}

TEST_F(SearchApi, ListsBeyondTheirCapsAreRefused) {
  struct Case {
    std::string query, field;
  };
  std::string localities;
  for (int i = 1; i <= 51; ++i) localities += (i > 1 ? "," : "") + std::to_string(1000 + i);
  for (const auto& c :
       std::vector<Case>{{"facets=bhk,bhk,bhk,bhk,bhk,bhk,bhk", "/facets"},
                         {"locality=" + localities, "/locality"},
                         {"bhk=1&bhk=1&bhk=1&bhk=1&bhk=1&bhk=1&bhk=1", "/bhk"},
                         {"furnishing=furnished,furnished,furnished,furnished", "/furnishing"}}) {
    auto r = http_get(server_->port(), "/api/v1/search?" + c.query);
    ASSERT_EQ(r.result_int(), 400) << c.query;
    const auto e = json_body(r).at("errors").at(0);
    EXPECT_EQ(e.at("field").as_string(), c.field) << c.query;
    EXPECT_EQ(e.at("code").as_string(), "too_many_values") << c.query;
  }
  // Duplicates within the cap are dropped, not refused.
  EXPECT_EQ(http_get(server_->port(), "/api/v1/search?facets=bhk,bhk&bhk=2,2").result_int(), 200);
  // POST: a list over its cap is refused before it is read; a long body is refused unread.
  auto seven = call(verb::post, "/api/v1/search", nullptr,
                    R"({"facets":["bhk","bhk","bhk","bhk","bhk","bhk","bhk"]})");
  ASSERT_EQ(seven.result_int(), 400);
  EXPECT_EQ(json_body(seven).at("errors").at(0).at("code").as_string(), "too_many_values");
  std::string huge = R"({"facets":[)";
  for (int i = 0; i < 150'000; ++i) huge += i ? R"(,"bhk")" : R"("bhk")";
  huge += "]}";
  EXPECT_EQ(call(verb::post, "/api/v1/search", nullptr, huge).result_int(), 413);
}

TEST(SearchDemo, DemoCardsClaimOnlyPhotosTheyHave) {
  GrihaProcess server({{"GRIHA_DEMO_SEED", "true"}, {"GRIHA_DEMO_LISTINGS", "200"}});
  auto page = json_body(http_get(server.port(), "/api/v1/search?page_size=100"));
  ASSERT_GT(page.at("total").as_int64(), 50);
  for (const auto& card : page.at("results").as_array()) {
    const auto id = std::to_string(card.at("id").as_int64());
    auto photos = json_body(http_get(server.port(), "/api/v1/listings/" + id + "/photos"));
    EXPECT_EQ(card.at("photo_count").as_int64(),
              static_cast<std::int64_t>(photos.at("items").as_array().size()))
        << "listing " << id;
    EXPECT_TRUE(card.at("cover_photo_url").is_null()) << "listing " << id;
  }
  EXPECT_EQ(
      json_body(http_get(server.port(), "/api/v1/search?with_photos=true")).at("total").as_int64(),
      0);
}

TEST(SearchRestart, TheIndexIsRebuiltFromTheDatabaseAtStart) {
  GrihaProcess first;
  const auto owner = create_user(first, "owner");
  const auto admin = create_user(first, "admin");
  const Api api(first);
  const auto p = json_body(api.get("/api/v1/places?q=koramangala")).at("places").at(0);
  const auto id = api.publish_listing(owner, admin,
                                      {{"transaction", "rent"},
                                       {"title", "Garden-facing 2 BHK on a quiet road"},
                                       {"carpet_area_sqft", 900},
                                       {"price", 45000},
                                       {"city_id", p.at("city_id")},
                                       {"locality_id", p.at("locality_id")}});
  ASSERT_EQ(first.signal_and_wait(SIGTERM, std::chrono::seconds(30)), 0);

  GrihaProcess second({{"GRIHA_DATABASE_URL", first.database_url()}});
  auto found = json_body(Api(second).get("/api/v1/search?q=garden"));
  ASSERT_EQ(found.at("total").as_int64(), 1);
  EXPECT_EQ(found.at("results").at(0).at("id").as_int64(), id);
}

}  // namespace
}  // namespace griha::test
