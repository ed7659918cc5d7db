// Listings over HTTP against the real binary: the lifecycle, views, ETags and the abuse
// cases — other people's ids, lower roles, protected fields, walking ids.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "support/api.hpp"

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

  static Api api() { return Api(*server_); }
  static HttpResponse call(verb method, const std::string& target, const TestUser* as,
                           const std::string& body = {}, Headers headers = {}) {
    return api().call(method, target, as, body, std::move(headers));
  }

  static std::string complete_body() { return boost::json::serialize(listing_body(*server_)); }

  // A listing by owner_ in the given state: "draft", "pending_review" or "active".
  static std::int64_t listing_in(const std::string& state) {
    return api().listing(owner_, &admin_, state);
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
  api().run({
      {.path = path, .as = &agent_, .expected_status = 404},
      {.path = path, .expected_status = 404},
      {.method = verb::patch,
       .path = path,
       .body = R"({"price":100000})",
       .as = &agent_,
       .expected_status = 404},
      {.method = verb::delete_, .path = path, .as = &agent_, .expected_status = 404},
      {.method = verb::post, .path = path + "/submit", .as = &agent_, .expected_status = 404},
      {.path = path + "/history", .as = &agent_, .expected_status = 404},
      {.name = "the draft is unchanged",
       .path = path,
       .as = &owner_,
       .expected_fields = {{"/price", 18500000}}},
  });
}

TEST_F(ListingsApi, AnotherListerCannotChangeALiveListing) {
  const auto id = listing_in("active");
  const std::string path = "/api/v1/listings/" + std::to_string(id);
  api().run({
      {.method = verb::patch,
       .path = path,
       .body = R"({"price":100000})",
       .as = &agent_,
       .expected_status = 403,
       .expected_code = "not_listing_owner"},
      {.method = verb::delete_, .path = path, .as = &agent_, .expected_status = 403},
      {.method = verb::post, .path = path + "/withdraw", .as = &seeker_, .expected_status = 403},
      {.name = "the listing is unchanged", .path = path, .expected_fields = {{"/price", 18500000}}},
  });
}

TEST_F(ListingsApi, LowerRolesAreRefusedByTheRouteTable) {
  const auto id = listing_in("pending_review");
  const std::string approve = "/api/v1/admin/listings/" + std::to_string(id) + "/approve";
  for (const TestUser* who : {&seeker_, &owner_, &agent_})
    api().run({.name = "approve as " + who->email,
               .method = verb::post,
               .path = approve,
               .as = who,
               .expected_status = 403,
               .expected_code = "forbidden"});
  api().run({
      {.name = "approve anonymously",
       .method = verb::post,
       .path = approve,
       .expected_status = 401,
       .expected_headers = {{"WWW-Authenticate", "Bearer"}}},
      {.name = "a seeker creates a listing",
       .method = verb::post,
       .path = "/api/v1/listings",
       .body = complete_body(),
       .as = &seeker_,
       .expected_status = 403},
      {.path = "/api/v1/admin/moderation", .as = &owner_, .expected_status = 403},
      {.name = "a forged admin token",
       .method = verb::post,
       .path = approve,
       .headers = {{"Authorization", "Bearer " + admin_.access_token.substr(0, 40) + "x.y.z"}},
       .expected_status = 401},
      {.name = "still pending",
       .path = "/api/v1/listings/" + std::to_string(id),
       .as = &owner_,
       .expected_fields = {{"/status", "pending_review"}}},
  });
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
  // A 400 with `code`, naming `field` first when there is one.
  const auto refused = [&](std::string body, std::string code, std::string field = {}) {
    ApiScenario s{.name = body,
                  .method = verb::post,
                  .path = "/api/v1/listings",
                  .body = body,
                  .as = &owner_,
                  .expected_status = 400,
                  .expected_code = std::move(code)};
    if (!field.empty()) s.expected_fields = {{"/errors/0/field", boost::json::value(field)}};
    return s;
  };
  const auto field_error = [&](std::string body, std::string field) {
    return refused(std::move(body), "validation_failed", std::move(field));
  };
  const auto not_json = [&](std::string body) { return refused(std::move(body), "invalid_json"); };
  api().run({
      field_error(R"({"bhk":"two"})", "/bhk"),
      field_error(R"({"price":-5})", "/price"),
      field_error(R"({"video_url":"https://evil.example/x"})", "/video_url"),
      field_error(R"({"locality_id":99999999})", "/locality_id"),
      field_error(R"({"nonsense":1})", "/nonsense"),
      not_json("{not json"),
      not_json("[1,2]"),
      {.name = "a form",
       .method = verb::post,
       .path = "/api/v1/listings",
       .body = "price=5",
       .as = &owner_,
       .headers = {{"Content-Type", "application/x-www-form-urlencoded"}},
       .expected_status = 415},
      {.path = "/api/v1/me/listings?limit=1000", .as = &owner_, .expected_status = 400},
  });
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
