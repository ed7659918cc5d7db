// Bulk CSV import over HTTP against the real binary: the report by row and column, partial
// and all-or-nothing writes, who may import, and the file's limits.
#include <gtest/gtest.h>

#include "support/api.hpp"

namespace griha::test {
namespace {

using bhttp::verb;

constexpr const char* k_header =
    "transaction,property_type,title,description,bhk,carpet_area_sqft,price,city_id,"
    "locality_id,amenities\r\n";

class ImportApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new GrihaProcess();
    agent_ = create_user(*server_, "agent");
    builder_ = create_user(*server_, "builder");
    owner_ = create_user(*server_, "owner");
    seeker_ = create_user(*server_, "seeker");
    const auto places = json_body(api().get("/api/v1/places?q=baner"));
    const auto& p = places.at("places").as_array().at(0);
    place_ = std::to_string(p.at("city_id").as_int64()) + "," +
             std::to_string(p.at("locality_id").as_int64());
  }
  static void TearDownTestSuite() { delete server_; }
  static Api api() { return Api(*server_); }

  static HttpResponse import(const std::string& csv, const TestUser* as,
                             const std::string& query = "", Headers headers = {}) {
    headers.emplace_back("Content-Type", "text/csv");
    return api().call(verb::post, "/api/v1/listings/import" + query, as, csv, headers);
  }

  // A CSV import by `as` answered `status` (and `code`, when set).
  static ApiScenario importing(std::string name, std::string csv, const TestUser* as,
                               unsigned status, std::string code = {},
                               const std::string& query = {}) {
    return {.name = std::move(name),
            .method = verb::post,
            .path = "/api/v1/listings/import" + query,
            .body = std::move(csv),
            .as = as,
            .headers = {{"Content-Type", "text/csv"}},
            .expected_status = status,
            .expected_code = std::move(code)};
  }

  // One data row: a complete resale flat in Baner, Pune with `bhk` bedrooms.
  static std::string row(const std::string& bhk, const std::string& title = "Bright flat in Baner",
                         const std::string& more = "") {
    return "sale_resale,apartment," + title +
           ",\"A bright flat near the highway,\r\nwith covered parking." + more + "\"," + bhk +
           ",900,\"95,00,000\"," + place_ + ",lift|gym\r\n";
  }

  static std::int64_t my_listing_count(const TestUser& who) {
    auto mine = json_body(api().get("/api/v1/me/listings?limit=100", &who));
    return static_cast<std::int64_t>(mine.at("listings").as_array().size());
  }

  static GrihaProcess* server_;
  static TestUser agent_, builder_, owner_, seeker_;
  static std::string place_;
};
GrihaProcess* ImportApi::server_ = nullptr;
TestUser ImportApi::agent_, ImportApi::builder_, ImportApi::owner_, ImportApi::seeker_;
std::string ImportApi::place_;

TEST_F(ImportApi, PartialImportReportsBadRowsAndWritesTheGoodOnes) {
  // Rows 2 and 4 are good; row 3 has 9 BHK; row 5 is short a cell. The description's line
  // break makes each record two lines of the file, but the row numbers stay a spreadsheet's.
  const std::string csv = "\xEF\xBB\xBF" + std::string(k_header) + row("2") + row("9") +
                          row("3", "Corner flat in Baner") + "sale_resale,apartment\r\n";
  auto res = import(csv, &agent_);
  ASSERT_EQ(res.result_int(), 200) << res.body();
  const auto report = json_body(res).as_object();
  EXPECT_EQ(report.at("mode"), "partial");
  EXPECT_EQ(report.at("rows_total"), 4);
  EXPECT_EQ(report.at("imported"), 2);
  EXPECT_EQ(report.at("failed"), 2);
  const auto& errors = report.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("row"), 3);
  EXPECT_EQ(errors[0].at("line"), 4);
  EXPECT_EQ(errors[0].at("column"), "bhk");
  EXPECT_EQ(errors[0].at("code"), "out_of_range");
  EXPECT_EQ(errors[1].at("row"), 5);
  EXPECT_EQ(errors[1].at("code"), "too_few_values");

  const auto& created = report.at("created").as_array();
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(created[0].at("row"), 2);
  EXPECT_EQ(created[1].at("row"), 4);
  const auto id = created[1].at("id").as_int64();
  const std::string path = "/api/v1/listings/" + std::to_string(id);
  auto got = api().get(path, &agent_);
  ASSERT_EQ(got.result_int(), 200);
  const auto listing = json_body(got);
  EXPECT_EQ(listing.at("title"), "Corner flat in Baner");
  EXPECT_EQ(listing.at("bhk"), 3);
  EXPECT_EQ(listing.at("price"), 9500000);
  EXPECT_EQ(listing.at("status"), "draft");
  EXPECT_EQ(listing.at("posted_by"), "agent");
  EXPECT_EQ(listing.at("owner_id"), agent_.id);
  EXPECT_EQ(listing.at("description"), "A bright flat near the highway,\nwith covered parking.");
  EXPECT_EQ(listing.at("amenities"), boost::json::parse(R"(["lift","gym"])"));
  // Imported drafts are as private as any draft.
  EXPECT_EQ(api().get(path).result_int(), 404);
}

TEST_F(ImportApi, AllOrNothingWithOneBadRowCreatesNothing) {
  const auto before = my_listing_count(builder_);
  const std::string csv = std::string(k_header) + row("2") + row("3") + row("-1");
  auto res = import(csv, &builder_, "?mode=all_or_nothing");
  ASSERT_EQ(res.result_int(), 422) << res.body();
  const auto report = json_body(res);
  EXPECT_EQ(report.at("written"), false);
  EXPECT_EQ(report.at("imported"), 0);
  EXPECT_EQ(report.at("errors").as_array().at(0).at("row"), 4);
  EXPECT_TRUE(report.at("created").as_array().empty());
  EXPECT_EQ(my_listing_count(builder_), before);

  auto good = import(std::string(k_header) + row("2") + row("3"), &builder_,
                     "?mode=all_or_nothing&submit=true");
  ASSERT_EQ(good.result_int(), 200) << good.body();
  EXPECT_EQ(my_listing_count(builder_), before + 2);
  const auto id = json_body(good).at("created").as_array().at(0).at("id").as_int64();
  api().run({.path = "/api/v1/listings/" + std::to_string(id),
             .as = &builder_,
             .expected_fields = {{"/status", "pending_review"}}});
}

TEST_F(ImportApi, TheErrorReportAsCsv) {
  auto res =
      import(std::string(k_header) + row("2") + row("nine"), &agent_, "", {{"Accept", "text/csv"}});
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_TRUE(std::string(res[bhttp::field::content_type]).starts_with("text/csv"));
  EXPECT_EQ(res.body(),
            "row,column,code,message\r\n3,bhk,invalid_type,must be a whole number\r\n");
}

TEST_F(ImportApi, OnlyAgentsAndBuildersImport) {
  const std::string csv = std::string(k_header) + row("2");
  api().run({
      importing("an owner", csv, &owner_, 403, "forbidden"),
      importing("a seeker", csv, &seeker_, 403, "forbidden"),
      importing("nobody", csv, nullptr, 401),
  });
  EXPECT_EQ(my_listing_count(owner_), 0);
}

TEST_F(ImportApi, AProtectedOrUnknownColumnRefusesTheFile) {
  const auto before = my_listing_count(agent_);
  auto res = import("title,status,bhk\r\nA flat in Baner,active,2\r\n", &agent_);
  ASSERT_EQ(res.result_int(), 400);
  const auto problem = json_body(res);
  EXPECT_EQ(problem.at("code"), "invalid_columns");
  EXPECT_NE(std::string(problem.at("detail").as_string()).find("status"), std::string::npos)
      << problem;
  EXPECT_EQ(problem.at("errors").as_array().at(0).at("field"), "/status");
  EXPECT_EQ(import("title,colour\r\nA flat in Baner,red\r\n", &agent_).result_int(), 400);
  EXPECT_EQ(my_listing_count(agent_), before);
}

TEST_F(ImportApi, NotCsvOrBadOptionsAreRefused) {
  const std::string csv = std::string(k_header) + row("2");
  api().run({
      {.name = "JSON",
       .method = verb::post,
       .path = "/api/v1/listings/import",
       .body = "{}",
       .as = &agent_,
       .expected_status = 415},
      importing("an unknown mode", csv, &agent_, 400, "", "?mode=some"),
      importing("submit is no boolean", csv, &agent_, 400, "", "?submit=maybe"),
      importing("a quote never closed", "title\r\n\"never closed\r\n", &agent_, 400),
  });
}

TEST_F(ImportApi, MoreThan5000RowsIsRefusedNamingTheLimit) {
  std::string csv = "bhk\n";
  for (int i = 0; i < 5001; ++i) csv += "2\n";
  auto res = import(csv, &agent_);
  ASSERT_EQ(res.result_int(), 413) << res.body();
  EXPECT_EQ(json_body(res).at("code"), "csv_too_many_rows");
  EXPECT_NE(std::string(json_body(res).at("detail").as_string()).find("5000"), std::string::npos);
}

TEST_F(ImportApi, TheRouteTakesFilesLargerThanTheServerDefaultUpTo5MiB) {
  // 4,000 rows, about 1.6 MiB: over the server's 1 MiB default, so this passes only because
  // the route declares its own limit. The last row is bad, so nothing is written.
  std::string csv = k_header;
  const std::string more(200, '.');
  for (int i = 0; i < 3999; ++i) csv += row("2", "Bright flat in Baner", more);
  csv += row("9");
  ASSERT_GT(csv.size(), 1u << 20);
  auto res = import(csv, &agent_, "?mode=all_or_nothing");
  ASSERT_EQ(res.result_int(), 422) << res.body().substr(0, 300);
  EXPECT_EQ(json_body(res).at("rows_total"), 4000);
  EXPECT_EQ(json_body(res).at("errors").as_array().at(0).at("row"), 4001);

  // Over 5 MiB: refused from its Content-Length, before the body is read.
  RawConnection conn(server_->port());
  ASSERT_TRUE(conn.send("POST /api/v1/listings/import HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                        agent_.bearer() + "\r\nContent-Type: text/csv\r\nContent-Length: " +
                        std::to_string((5 << 20) + 1) + "\r\n\r\n" + k_header));
  bool closed = false;
  const std::string out = conn.read_until_closed(std::chrono::seconds(10), &closed);
  EXPECT_TRUE(out.starts_with("HTTP/1.1 413")) << out.substr(0, 200);
}

}  // namespace
}  // namespace griha::test
