// Shortlists, compare, saved searches and their email alerts over HTTP against the real binary,
// on SQLite and PostgreSQL. Alerts are tested through time: the server sweeps every second
// (alerts.sweep_seconds = 1) and the test watches the outbox in the database.
#include <gtest/gtest.h>

#include <thread>

#include "storage/database.hpp"
#include "support/api.hpp"

namespace griha::test {
namespace {

using bhttp::verb;
using namespace std::chrono_literals;

struct AlertRow {
  std::string recipient, subject, text, status, extras;
};

class SavedApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Demo listings give the shortlist cap enough public listings to fill it.
    server_ = new GrihaProcess({{"GRIHA_ALERTS_SWEEP_SECONDS", "1"},
                                {"GRIHA_DEMO_SEED", "true"},
                                {"GRIHA_DEMO_LISTINGS", "400"}});
    owner_ = create_user(*server_, "owner");
    seeker_ = create_user(*server_, "seeker");
    other_ = create_user(*server_, "seeker");
    admin_ = create_user(*server_, "admin");
    storage::DatabaseOptions o;
    o.url = server_->database_url();
    o.pool_size = 1;
    db_ = storage::Database::open(o).value().release();
  }
  static void TearDownTestSuite() {
    delete db_;
    delete server_;
  }

  static Api api() { return Api(*server_); }
  static HttpResponse call(verb method, const std::string& target, const TestUser* as,
                           const std::string& body = {}, Headers headers = {}) {
    return api().call(method, target, as, body, std::move(headers));
  }

  // A listing by owner_ in Andheri West; live (approved by the admin) unless `live` is false.
  static std::int64_t listing(std::int64_t price, bool live = true, std::int64_t bhk = 2) {
    return api().listing(owner_, &admin_, live ? "active" : "draft",
                         {{"title", "Saved-search test flat at " + std::to_string(price)},
                          {"bhk", bhk},
                          {"price", price}});
  }

  static std::vector<AlertRow> alerts_to(const TestUser& user) {
    static constexpr storage::Query k_alerts{
        "test.alerts",
        "SELECT recipient, subject, body_text, status, extras FROM outbox "
        "WHERE kind = 'saved_search.alert' AND recipient = $1 ORDER BY id"};
    std::vector<AlertRow> out;
    for (const auto& r : db_->exec(k_alerts, storage::params(user.email)).value().rows)
      out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4)});
    return out;
  }

  // Waits for `n` alerts to `user`, at most `limit`.
  static std::vector<AlertRow> wait_for_alerts(const TestUser& user, std::size_t n,
                                               std::chrono::seconds limit = 20s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    auto rows = alerts_to(user);
    while (rows.size() < n && std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(200ms);
      rows = alerts_to(user);
    }
    return rows;
  }

  static bool mentions(const AlertRow& row, std::int64_t listing_id) {
    return row.text.find("/listings/" + std::to_string(listing_id) + "\n") != std::string::npos;
  }

  static std::int64_t save_search(const TestUser& user, const std::string& query,
                                  const std::string& frequency = "instant") {
    auto r = call(verb::post, "/api/v1/me/saved-searches", &user,
                  boost::json::serialize(boost::json::object{
                      {"name", "Alert test"}, {"query", query}, {"frequency", frequency}}));
    EXPECT_EQ(r.result_int(), 201) << r.body();
    return json_body(r).at("id").as_int64();
  }

  static GrihaProcess* server_;
  static storage::Database* db_;
  static TestUser owner_, seeker_, other_, admin_;
};
GrihaProcess* SavedApi::server_ = nullptr;
storage::Database* SavedApi::db_ = nullptr;
TestUser SavedApi::owner_, SavedApi::seeker_, SavedApi::other_, SavedApi::admin_;

// ---- shortlist ----

TEST_F(SavedApi, ShortlistAddListRemove) {
  const auto id = listing(11'000'000);
  const std::string path = "/api/v1/me/shortlist/" + std::to_string(id);
  EXPECT_EQ(call(verb::put, path, &seeker_).result_int(), 204);
  EXPECT_EQ(call(verb::put, path, &seeker_).result_int(), 204);  // idempotent
  auto list = call(verb::get, "/api/v1/me/shortlist", &seeker_);
  ASSERT_EQ(list.result_int(), 200) << list.body();
  const auto listed = json_body(list);
  const auto& items = listed.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("listing_id").as_int64(), id);
  EXPECT_TRUE(items[0].at("available").as_bool());
  const auto& view = items[0].at("listing").as_object();
  EXPECT_EQ(view.at("price").as_int64(), 11'000'000);
  EXPECT_FALSE(view.contains("owner_id"));
  EXPECT_FALSE(items[0].at("added_at").as_string().empty());

  // Another user sees their own (empty) list, and cannot remove from this one.
  EXPECT_TRUE(
      json_body(call(verb::get, "/api/v1/me/shortlist", &other_)).at("items").as_array().empty());
  EXPECT_EQ(call(verb::delete_, path, &other_).result_int(), 204);
  EXPECT_EQ(
      json_body(call(verb::get, "/api/v1/me/shortlist", &seeker_)).at("items").as_array().size(),
      1u);

  // Off the market: still listed, marked unavailable, with nothing of the listing but its id
  // and the title it had.
  EXPECT_EQ(call(verb::post, "/api/v1/listings/" + std::to_string(id) + "/withdraw", &owner_)
                .result_int(),
            200);
  const auto after = json_body(call(verb::get, "/api/v1/me/shortlist", &seeker_));
  const auto& gone = after.at("items").as_array().at(0);
  EXPECT_FALSE(gone.at("available").as_bool());
  EXPECT_TRUE(gone.at("listing").is_null());
  EXPECT_EQ(gone.at("title").as_string(), "Saved-search test flat at 11000000");

  EXPECT_EQ(call(verb::delete_, path, &seeker_).result_int(), 204);
  EXPECT_TRUE(
      json_body(call(verb::get, "/api/v1/me/shortlist", &seeker_)).at("items").as_array().empty());
  EXPECT_EQ(call(verb::get, "/api/v1/me/shortlist", nullptr).result_int(), 401);
  EXPECT_EQ(call(verb::put, path, nullptr).result_int(), 401);
}

TEST_F(SavedApi, OnlyPublicListingsCanBeShortlisted) {
  const auto draft = listing(11'100'000, false);
  auto r = call(verb::put, "/api/v1/me/shortlist/" + std::to_string(draft), &seeker_);
  EXPECT_EQ(r.result_int(), 404);
  EXPECT_EQ(json_body(r).at("code").as_string(), "listing_not_found");
  EXPECT_EQ(call(verb::put, "/api/v1/me/shortlist/987654321", &seeker_).result_int(), 404);
  // Not even its owner can shortlist a draft: the shortlist holds what is on the market.
  EXPECT_EQ(call(verb::put, "/api/v1/me/shortlist/" + std::to_string(draft), &owner_).result_int(),
            404);
}

TEST_F(SavedApi, TheShortlistHoldsTwoHundred) {
  std::vector<std::int64_t> ids;
  std::string cursor;
  while (ids.size() < 201) {
    auto page = json_body(api().get("/api/v1/search?sort=newest&page_size=100" +
                                    (cursor.empty() ? "" : "&cursor=" + cursor)));
    for (const auto& r : page.at("results").as_array()) ids.push_back(r.at("id").as_int64());
    ASSERT_FALSE(page.at("next_cursor").is_null()) << "not enough public listings";
    cursor = page.at("next_cursor").as_string();
  }
  const TestUser collector = create_user(*server_, "seeker");
  for (std::size_t i = 0; i < 200; ++i)
    ASSERT_EQ(
        call(verb::put, "/api/v1/me/shortlist/" + std::to_string(ids[i]), &collector).result_int(),
        204)
        << i;
  auto full = call(verb::put, "/api/v1/me/shortlist/" + std::to_string(ids[200]), &collector);
  EXPECT_EQ(full.result_int(), 409);
  EXPECT_EQ(json_body(full).at("code").as_string(), "shortlist_full");
  // Re-adding one already there is still fine, and removing one makes room.
  EXPECT_EQ(
      call(verb::put, "/api/v1/me/shortlist/" + std::to_string(ids[0]), &collector).result_int(),
      204);
  EXPECT_EQ(call(verb::delete_, "/api/v1/me/shortlist/" + std::to_string(ids[0]), &collector)
                .result_int(),
            204);
  EXPECT_EQ(
      call(verb::put, "/api/v1/me/shortlist/" + std::to_string(ids[200]), &collector).result_int(),
      204);
  EXPECT_EQ(
      json_body(call(verb::get, "/api/v1/me/shortlist", &collector)).at("items").as_array().size(),
      200u);
}

// ---- compare ----

TEST_F(SavedApi, CompareTwoToFourPublicListingsShowsNothingPrivate) {
  const auto a = listing(12'000'000), b = listing(12'500'000, true, 3), c = listing(13'000'000);
  const auto draft = listing(13'500'000, false);
  const auto ids = std::to_string(b) + "," + std::to_string(a) + "," + std::to_string(c);
  auto r = call(verb::get, "/api/v1/compare?ids=" + ids, nullptr);
  ASSERT_EQ(r.result_int(), 200) << r.body();
  const auto body = json_body(r);
  const auto& views = body.at("listings").as_array();
  ASSERT_EQ(views.size(), 3u);
  EXPECT_EQ(views[0].at("id").as_int64(), b);
  bool saw_bhk = false;
  for (const auto& row : body.at("rows").as_array()) {
    ASSERT_EQ(row.at("values").as_array().size(), 3u);
    if (row.at("field") == "bhk") {
      saw_bhk = true;
      EXPECT_EQ(row.at("values").as_array()[0].as_int64(), 3);
      EXPECT_EQ(row.at("values").as_array()[1].as_int64(), 2);
    }
  }
  EXPECT_TRUE(saw_bhk);
  for (const auto& v : views) EXPECT_FALSE(v.as_object().contains("owner_id"));
  EXPECT_EQ(r.body().find("owner_id"), std::string::npos);
  EXPECT_EQ(r.body().find(owner_.email), std::string::npos);

  struct Case {
    std::string ids;
    int status;
  };
  for (const auto& k : std::vector<Case>{
           {std::to_string(a), 400},
           {ids + "," + std::to_string(draft) + ",1", 400},
           {std::to_string(a) + "," + std::to_string(a), 400},
           {std::to_string(a) + ",abc", 400},
           {"", 400},
       }) {
    auto bad = call(verb::get, "/api/v1/compare?ids=" + k.ids, nullptr);
    EXPECT_EQ(bad.result_int(), k.status) << k.ids;
    EXPECT_EQ(json_body(bad).at("errors").at(0).at("field").as_string(), "/ids") << k.ids;
  }
  auto hidden = call(
      verb::get, "/api/v1/compare?ids=" + std::to_string(a) + "," + std::to_string(draft), nullptr);
  EXPECT_EQ(hidden.result_int(), 404);
  EXPECT_NE(json_body(hidden).at("detail").as_string().find(std::to_string(draft)),
            std::string::npos);
  EXPECT_EQ(call(verb::get, "/api/v1/compare", nullptr).result_int(), 400);
}

// ---- saved searches ----

TEST_F(SavedApi, SavedSearchCrudIsTheOwnersAlone) {
  auto created = call(verb::post, "/api/v1/me/saved-searches", &seeker_,
                      R"({"name":"2 BHK Andheri","query":"city=1&bhk=2&price_max=15000000",
                          "frequency":"daily"})");
  ASSERT_EQ(created.result_int(), 201) << created.body();
  const auto s = json_body(created).as_object();
  const auto id = s.at("id").as_int64();
  const std::string path = "/api/v1/me/saved-searches/" + std::to_string(id);
  EXPECT_EQ(created[bhttp::field::location], path);
  EXPECT_EQ(s.at("query").as_string(), "city=1&bhk=2&price_max=15000000");
  EXPECT_EQ(s.at("frequency").as_string(), "daily");

  auto list = json_body(call(verb::get, "/api/v1/me/saved-searches", &seeker_));
  bool found = false;
  for (const auto& one : list.at("saved_searches").as_array()) found |= one.at("id") == id;
  EXPECT_TRUE(found);
  for (const auto& one : json_body(call(verb::get, "/api/v1/me/saved-searches", &other_))
                             .at("saved_searches")
                             .as_array())
    EXPECT_NE(one.at("id").as_int64(), id);

  // Another user's id is not found, for every verb.
  EXPECT_EQ(call(verb::patch, path, &other_, R"({"name":"mine"})").result_int(), 404);
  EXPECT_EQ(call(verb::delete_, path, &other_).result_int(), 404);

  auto renamed = call(verb::patch, path, &seeker_, R"({"name":"Renamed","frequency":"weekly"})");
  ASSERT_EQ(renamed.result_int(), 200) << renamed.body();
  EXPECT_EQ(json_body(renamed).at("name").as_string(), "Renamed");
  EXPECT_EQ(json_body(renamed).at("frequency").as_string(), "weekly");
  for (const char* body : {R"({"query":"bhk=3"})", R"({"user_id":1})", R"({"last_sent_at":"x"})"}) {
    auto r = call(verb::patch, path, &seeker_, body);
    EXPECT_EQ(r.result_int(), 400) << body;
    EXPECT_EQ(json_body(r).at("errors").at(0).at("code").as_string(), "not_writable");
  }

  EXPECT_EQ(call(verb::delete_, path, &seeker_).result_int(), 204);
  EXPECT_EQ(call(verb::delete_, path, &seeker_).result_int(), 404);
  EXPECT_EQ(call(verb::get, "/api/v1/me/saved-searches", nullptr).result_int(), 401);
}

TEST_F(SavedApi, ABadQueryIsRefusedWithTheParsersFieldError) {
  struct Case {
    std::string body, field;
  };
  for (const auto& c : std::vector<Case>{
           {R"({"name":"x","query":"bhk=nine"})", "/query/bhk"},
           {R"({"name":"x","query":"price_min=9&price_max=1"})", "/query/price_min"},
           {R"({"name":"x","query":"colour=blue"})", "/query/colour"},
           {R"({"name":"x","query":"city=1&cursor=abc"})", "/query/cursor"},
           {R"({"name":"","query":"city=1"})", "/name"},
           {R"({"name":"x","query":"city=1","frequency":"hourly"})", "/frequency"},
           {R"({"query":"city=1"})", "/name"},
       }) {
    auto r = call(verb::post, "/api/v1/me/saved-searches", &seeker_, c.body);
    EXPECT_EQ(r.result_int(), 400) << c.body;
    EXPECT_EQ(json_body(r).at("errors").at(0).at("field").as_string(), c.field) << c.body;
  }
}

TEST_F(SavedApi, FiftySavedSearchesAtMost) {
  const TestUser keeper = create_user(*server_, "seeker");
  for (int i = 0; i < 50; ++i)
    ASSERT_EQ(call(verb::post, "/api/v1/me/saved-searches", &keeper,
                   R"({"name":"n","query":"bhk=2","frequency":"off"})")
                  .result_int(),
              201)
        << i;
  auto full = call(verb::post, "/api/v1/me/saved-searches", &keeper,
                   R"({"name":"n","query":"bhk=2","frequency":"off"})");
  EXPECT_EQ(full.result_int(), 409);
  EXPECT_EQ(json_body(full).at("code").as_string(), "saved_searches_full");
}

// ---- alerts ----

TEST_F(SavedApi, AnInstantAlertArrivesOnceAndUnsubscribingStopsThem) {
  const TestUser alice = create_user(*server_, "seeker");
  // A price band no other test uses: only this test's listings can match.
  const auto search_id = save_search(alice, "price_min=14440000&price_max=14450000");
  const auto match = listing(14'444'000);
  const auto miss = listing(14'460'000);

  auto rows = wait_for_alerts(alice, 1);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].recipient, alice.email);
  EXPECT_TRUE(mentions(rows[0], match));
  EXPECT_FALSE(mentions(rows[0], miss));
  EXPECT_NE(rows[0].subject.find("Alert test"), std::string::npos);
  // Several more sweeps: the same listing is not sent again, the other never.
  std::this_thread::sleep_for(3500ms);
  ASSERT_EQ(alerts_to(alice).size(), 1u);

  // The one-click link, from the email's List-Unsubscribe header.
  const auto extras = boost::json::parse(rows[0].extras);
  std::string link, one_click;
  for (const auto& h : extras.at("headers").as_array()) {
    if (h.as_array().at(0) == "List-Unsubscribe") link = h.as_array().at(1).as_string();
    if (h.as_array().at(0) == "List-Unsubscribe-Post") one_click = h.as_array().at(1).as_string();
  }
  EXPECT_EQ(one_click, "List-Unsubscribe=One-Click");
  const auto at = link.find("/api/v1/saved-searches/unsubscribe?token=");
  ASSERT_NE(at, std::string::npos) << link;
  const std::string target = link.substr(at, link.size() - at - 1);  // without the closing '>'
  EXPECT_NE(rows[0].text.find(target), std::string::npos);

  // Opening the link only asks; a tampered token is refused either way.
  const Headers form = {{"Content-Type", "application/x-www-form-urlencoded"}};
  std::string tampered = target;
  char& c = tampered[target.find('.') + 10];  // inside the tag
  c = c == 'A' ? 'B' : 'A';
  api().run({
      {.name = "the page asks", .path = target, .expected_content = {"<form method=\"post\""}},
      {.name = "a tampered link, opened", .path = tampered, .expected_status = 400},
      {.name = "a tampered link, one-click",
       .method = verb::post,
       .path = tampered,
       .body = "List-Unsubscribe=One-Click",
       .headers = form,
       .expected_status = 400},
  });
  auto still = json_body(call(verb::get, "/api/v1/me/saved-searches", &alice));
  EXPECT_EQ(still.at("saved_searches").at(0).at("frequency").as_string(), "instant");

  auto off = call(verb::post, target, nullptr, "List-Unsubscribe=One-Click", form);
  EXPECT_EQ(off.result_int(), 200) << off.body();
  auto now_off = json_body(call(verb::get, "/api/v1/me/saved-searches", &alice));
  EXPECT_EQ(now_off.at("saved_searches").at(0).at("id").as_int64(), search_id);
  EXPECT_EQ(now_off.at("saved_searches").at(0).at("frequency").as_string(), "off");

  // A new match after unsubscribing: no email.
  const auto later = listing(14'445'000);
  std::this_thread::sleep_for(3500ms);
  rows = alerts_to(alice);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(mentions(rows[0], later));
}

}  // namespace
}  // namespace griha::test
