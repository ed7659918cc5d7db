// Listings over HTTP against the real binary: the lifecycle, views, ETags and the abuse
// cases — other people's ids, lower roles, protected fields, walking ids.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include "support/griha_process.hpp"
#include "support/http_client.hpp"

namespace griha::test {
namespace {

using bhttp::verb;

class ListingsApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Views are saved every second here, not every ten, so that a test can see them.
    server_ = new GrihaProcess(
        std::map<std::string, std::string>{{"GRIHA_LISTINGS_VIEWS_FLUSH_SECONDS", "1"}});
    owner_ = create_user(*server_, "owner");
    agent_ = create_user(*server_, "agent");
    seeker_ = create_user(*server_, "seeker");
    admin_ = create_user(*server_, "admin");
  }
  static void TearDownTestSuite() { delete server_; }

  static HttpResponse call(verb method, const std::string& target, const TestUser* as,
                           const std::string& body = {}, Headers headers = {}) {
    if (as) headers.emplace_back("Authorization", as->bearer());
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    return http_request(server_->port(), method, target, body, headers);
  }

  static std::string complete_body() {
    const auto places = json_body(http_get(server_->port(), "/api/v1/places?q=andheri%20west"));
    const auto& p = places.at("places").as_array().at(0);
    return boost::json::serialize(boost::json::object{
        {"transaction", "sale_resale"},
        {"property_type", "apartment"},
        {"title", "Sunny 2 BHK in Andheri West"},
        {"description", "A bright flat close to the metro, with good light and cross ventilation."},
        {"bhk", 2},
        {"bathrooms", 2},
        {"carpet_area_sqft", 750},
        {"price", 18500000},
        {"city_id", p.at("city_id")},
        {"locality_id", p.at("locality_id")}});
  }

  // A listing by owner_ in the given state: "draft", "pending_review" or "active".
  static std::int64_t listing_in(const std::string& state) {
    auto created = call(verb::post, "/api/v1/listings", &owner_, complete_body());
    EXPECT_EQ(created.result_int(), 201) << created.body();
    const auto id = json_body(created).at("id").as_int64();
    const std::string path = "/api/v1/listings/" + std::to_string(id);
    if (state != "draft") EXPECT_EQ(call(verb::post, path + "/submit", &owner_).result_int(), 200);
    if (state == "active")
      EXPECT_EQ(
          call(verb::post, "/api/v1/admin/listings/" + std::to_string(id) + "/approve", &admin_)
              .result_int(),
          200);
    return id;
  }

  static GrihaProcess* server_;
  static TestUser owner_, agent_, seeker_, admin_;
};
GrihaProcess* ListingsApi::server_ = nullptr;
TestUser ListingsApi::owner_, ListingsApi::agent_, ListingsApi::seeker_, ListingsApi::admin_;

TEST_F(ListingsApi, TheWholeLifeOfAListing) {
  auto created = call(verb::post, "/api/v1/listings", &owner_, complete_body());
  ASSERT_EQ(created.result_int(), 201) << created.body();
  const auto id = json_body(created).at("id").as_int64();
  const std::string path = "/api/v1/listings/" + std::to_string(id);
  EXPECT_EQ(created[bhttp::field::location], path);
  EXPECT_EQ(json_body(created).at("status").as_string(), "draft");
  EXPECT_EQ(json_body(created).at("posted_by").as_string(), "owner");

  auto submitted = call(verb::post, path + "/submit", &owner_);
  EXPECT_EQ(json_body(submitted).at("status").as_string(), "pending_review");
  auto queue = json_body(call(verb::get, "/api/v1/admin/moderation", &admin_));
  bool queued = false;
  for (const auto& item : queue.at("items").as_array())
    queued |= item.at("listing").at("id").as_int64() == id;
  EXPECT_TRUE(queued);

  auto approved =
      call(verb::post, "/api/v1/admin/listings/" + std::to_string(id) + "/approve", &admin_);
  ASSERT_EQ(approved.result_int(), 200) << approved.body();
  auto pub = call(verb::get, path, nullptr);
  ASSERT_EQ(pub.result_int(), 200);
  EXPECT_EQ(json_body(pub).at("status").as_string(), "active");

  auto sold = call(verb::post, path + "/close", &owner_, R"({"outcome":"sold"})");
  EXPECT_EQ(json_body(sold).at("status").as_string(), "sold");
  auto history = json_body(call(verb::get, path + "/history", &owner_));
  EXPECT_EQ(history.at("events").as_array().size(), 4u);
}

TEST_F(ListingsApi, PublicViewHidesTheListerOwnerSeesAll) {
  const auto id = listing_in("active");
  const std::string path = "/api/v1/listings/" + std::to_string(id);
  auto pub = json_body(call(verb::get, path, nullptr)).as_object();
  EXPECT_FALSE(pub.contains("owner_id"));
  EXPECT_FALSE(pub.contains("rejection_reason"));
  auto other = json_body(call(verb::get, path, &agent_)).as_object();
  EXPECT_FALSE(other.contains("owner_id"));
  auto own = json_body(call(verb::get, path, &owner_)).as_object();
  EXPECT_EQ(own.at("owner_id").as_int64(), owner_.id);
  auto admin = json_body(call(verb::get, path, &admin_)).as_object();
  EXPECT_EQ(admin.at("owner_id").as_int64(), owner_.id);
}

TEST_F(ListingsApi, AnotherListerCannotReadEditOrDeleteADraft) {
  const auto id = listing_in("draft");
  const std::string path = "/api/v1/listings/" + std::to_string(id);
  EXPECT_EQ(call(verb::get, path, &agent_).result_int(), 404);
  EXPECT_EQ(call(verb::get, path, nullptr).result_int(), 404);
  EXPECT_EQ(call(verb::patch, path, &agent_, R"({"price":100000})").result_int(), 404);
  EXPECT_EQ(call(verb::delete_, path, &agent_).result_int(), 404);
  EXPECT_EQ(call(verb::post, path + "/submit", &agent_).result_int(), 404);
  EXPECT_EQ(call(verb::get, path + "/history", &agent_).result_int(), 404);
  EXPECT_EQ(json_body(call(verb::get, path, &owner_)).at("price").as_int64(), 18500000);
}

TEST_F(ListingsApi, AnotherListerCannotChangeALiveListing) {
  const auto id = listing_in("active");
  const std::string path = "/api/v1/listings/" + std::to_string(id);
  auto patch = call(verb::patch, path, &agent_, R"({"price":100000})");
  EXPECT_EQ(patch.result_int(), 403);
  EXPECT_EQ(json_body(patch).at("code").as_string(), "not_listing_owner");
  EXPECT_EQ(call(verb::delete_, path, &agent_).result_int(), 403);
  EXPECT_EQ(call(verb::post, path + "/withdraw", &seeker_).result_int(), 403);
  EXPECT_EQ(json_body(call(verb::get, path, nullptr)).at("price").as_int64(), 18500000);
}

TEST_F(ListingsApi, LowerRolesAreRefusedByTheRouteTable) {
  const auto id = listing_in("pending_review");
  const std::string approve = "/api/v1/admin/listings/" + std::to_string(id) + "/approve";
  for (const TestUser* who : {&seeker_, &owner_, &agent_}) {
    auto r = call(verb::post, approve, who);
    EXPECT_EQ(r.result_int(), 403);
    EXPECT_EQ(json_body(r).at("code").as_string(), "forbidden");
  }
  auto anonymous = call(verb::post, approve, nullptr);
  EXPECT_EQ(anonymous.result_int(), 401);
  EXPECT_EQ(anonymous[bhttp::field::www_authenticate], "Bearer");
  EXPECT_EQ(call(verb::post, "/api/v1/listings", &seeker_, complete_body()).result_int(), 403);
  EXPECT_EQ(call(verb::get, "/api/v1/admin/moderation", &owner_).result_int(), 403);
  auto forged = call(verb::post, approve, nullptr, {},
                     {{"Authorization", "Bearer " + admin_.access_token.substr(0, 40) + "x.y.z"}});
  EXPECT_EQ(forged.result_int(), 401);
  EXPECT_EQ(json_body(call(verb::get, "/api/v1/listings/" + std::to_string(id), &owner_))
                .at("status")
                .as_string(),
            "pending_review");
}

TEST_F(ListingsApi, ProtectedFieldsChangeNothingAndSaySo) {
  const auto id = listing_in("active");
  const std::string path = "/api/v1/listings/" + std::to_string(id);
  const auto before = json_body(call(verb::get, path, &owner_));
  auto r = call(verb::patch, path, &owner_,
                boost::json::serialize(boost::json::object{{"status", "sold"},
                                                           {"owner_id", agent_.id},
                                                           {"featured", true},
                                                           {"verified", true},
                                                           {"price", 1}}));
  ASSERT_EQ(r.result_int(), 400);
  auto problem = json_body(r);
  EXPECT_EQ(problem.at("code").as_string(), "validation_failed");
  std::set<std::string> named;
  for (const auto& e : problem.at("errors").as_array())
    if (e.at("code").as_string() == "not_writable")
      named.insert(std::string(e.at("field").as_string()));
  EXPECT_EQ(named, (std::set<std::string>{"/status", "/owner_id", "/featured", "/verified"}));
  EXPECT_EQ(json_body(call(verb::get, path, &owner_)), before);
}

TEST_F(ListingsApi, WalkingIdsRevealsNoDrafts) {
  const auto draft = listing_in("draft");
  const auto pending = listing_in("pending_review");
  const auto live = listing_in("active");
  for (std::int64_t id = 1; id <= live + 3; ++id) {
    auto r = call(verb::get, "/api/v1/listings/" + std::to_string(id), &seeker_);
    if (id == draft || id == pending) {
      EXPECT_EQ(r.result_int(), 404) << id;
      EXPECT_EQ(json_body(r).at("code").as_string(), "listing_not_found");
    }
    if (r.result_int() == 200) EXPECT_EQ(json_body(r).at("status").as_string(), "active") << id;
  }
}

TEST_F(ListingsApi, ETagsAndPreconditions) {
  const auto id = listing_in("draft");
  const std::string path = "/api/v1/listings/" + std::to_string(id);
  auto first = call(verb::get, path, &owner_);
  const std::string tag(first[bhttp::field::etag]);
  ASSERT_FALSE(tag.empty());
  EXPECT_EQ(call(verb::get, path, &owner_, {}, {{"If-None-Match", tag}}).result_int(), 304);
  auto updated = call(verb::patch, path, &owner_, R"({"price":18000000})", {{"If-Match", tag}});
  ASSERT_EQ(updated.result_int(), 200) << updated.body();
  EXPECT_NE(updated[bhttp::field::etag], tag);
  auto stale = call(verb::patch, path, &owner_, R"({"price":17000000})", {{"If-Match", tag}});
  EXPECT_EQ(stale.result_int(), 412);
  EXPECT_EQ(json_body(stale).at("code").as_string(), "listing_changed");
  EXPECT_EQ(json_body(call(verb::get, path, &owner_)).at("price").as_int64(), 18000000);
}

TEST_F(ListingsApi, MaterialEditOfALiveListingIsHeldForReview) {
  const auto id = listing_in("active");
  const std::string path = "/api/v1/listings/" + std::to_string(id);
  auto r = call(verb::patch, path, &owner_, R"({"title":"Renovated 2 BHK in Andheri West"})");
  EXPECT_EQ(r.result_int(), 202);
  EXPECT_EQ(json_body(call(verb::get, path, nullptr)).at("title").as_string(),
            "Sunny 2 BHK in Andheri West");
  auto queue = json_body(call(verb::get, "/api/v1/admin/moderation", &admin_));
  bool found = false;
  for (const auto& item : queue.at("items").as_array())
    if (item.at("listing").at("id").as_int64() == id) {
      found = true;
      EXPECT_EQ(item.at("kind").as_string(), "edit");
      EXPECT_EQ(item.at("diff").at("title").at("to").as_string(),
                "Renovated 2 BHK in Andheri West");
    }
  EXPECT_TRUE(found);
}

TEST_F(ListingsApi, BadInputIsAProblemNamingTheField) {
  struct Case {
    std::string body;
    Headers headers;
    unsigned status;
    std::string code, field;
  };
  for (const auto& c : std::vector<Case>{
           {R"({"bhk":"two"})", {}, 400, "validation_failed", "/bhk"},
           {R"({"price":-5})", {}, 400, "validation_failed", "/price"},
           {R"({"video_url":"https://evil.example/x"})", {}, 400, "validation_failed", "/video_url"},
           {R"({"locality_id":99999999})", {}, 400, "validation_failed", "/locality_id"},
           {R"({"nonsense":1})", {}, 400, "validation_failed", "/nonsense"},
           {"{not json", {}, 400, "invalid_json", ""},
           {"[1,2]", {}, 400, "invalid_json", ""},
       }) {
    auto r = call(verb::post, "/api/v1/listings", &owner_, c.body, c.headers);
    EXPECT_EQ(r.result_int(), c.status) << c.body;
    auto p = json_body(r);
    EXPECT_EQ(p.at("code").as_string(), c.code) << c.body;
    if (!c.field.empty()) EXPECT_EQ(p.at("errors").at(0).at("field").as_string(), c.field);
  }
  auto wrong_type = http_request(
      server_->port(), verb::post, "/api/v1/listings", "price=5",
      {{"Authorization", owner_.bearer()}, {"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(wrong_type.result_int(), 415);
  EXPECT_EQ(call(verb::get, "/api/v1/me/listings?limit=1000", &owner_).result_int(), 400);
}

TEST_F(ListingsApi, MyListingsAreMineOnly) {
  listing_in("draft");
  auto mine = json_body(call(verb::get, "/api/v1/me/listings?limit=100", &owner_));
  ASSERT_FALSE(mine.at("listings").as_array().empty());
  for (const auto& l : mine.at("listings").as_array())
    EXPECT_EQ(l.at("owner_id").as_int64(), owner_.id);
  EXPECT_TRUE(
      json_body(call(verb::get, "/api/v1/me/listings", &agent_)).at("listings").as_array().empty());
}

TEST_F(ListingsApi, ViewsCountPublicReadsForTheListerOnly) {
  const auto id = listing_in("active");
  const std::string path = "/api/v1/listings/" + std::to_string(id);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(call(verb::get, path, nullptr).result_int(), 200);
  ASSERT_EQ(call(verb::get, path, &seeker_).result_int(), 200);
  // The lister and a moderator reading it are not views.
  ASSERT_EQ(call(verb::get, path, &owner_).result_int(), 200);
  ASSERT_EQ(call(verb::get, path, &admin_).result_int(), 200);
  auto views_of = [&](const TestUser& who) -> std::int64_t {
    const auto body = json_body(call(verb::get, "/api/v1/me/listings/views", &who));
    for (const auto& item : body.at("items").as_array())
      if (item.at("listing_id").as_int64() == id) return item.at("views").as_int64();
    return -1;
  };
  std::int64_t seen = -1;
  for (int i = 0; i < 100 && seen != 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    seen = views_of(owner_);
  }
  EXPECT_EQ(seen, 4);
  EXPECT_EQ(views_of(agent_), -1) << "another lister does not see this listing's views";
  EXPECT_EQ(call(verb::get, "/api/v1/me/listings/views", nullptr).result_int(), 401);
}

}  // namespace
}  // namespace griha::test
