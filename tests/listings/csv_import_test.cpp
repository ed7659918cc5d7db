// The import rules: a row is the JSON API's field set, bad rows are reported by row and
// column, all_or_nothing writes nothing. The CSV reader itself is tested in tests/core.
#include "listings/csv_import.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "listings/gazetteer.hpp"
#include "listings/listing_service.hpp"
#include "storage/migrations.hpp"
#include "support/storage_support.hpp"

namespace griha::listings {
namespace {

std::vector<std::vector<std::string>> fields_of(std::string_view text) {
  std::vector<std::vector<std::string>> out;
  for (auto& r : csv::parse(text).value()) out.push_back(r.fields);
  return out;
}

TEST(ReadImportCsv, CellsBecomeTheJsonApisValues) {
  auto rows = read_import_csv(
                  "title,bhk,price,pets_allowed,latitude,amenities,furnishing,balconies\n"
                  "A flat in Pune,2,\"1,85,00,000\",Yes,18.52,lift | gym||cctv , furnished,\n")
                  .value();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].row, 2u);
  EXPECT_EQ(boost::json::value(rows[0].fields), boost::json::parse(R"({
    "title":"A flat in Pune","bhk":2,"price":18500000,"pets_allowed":true,"latitude":18.52,
    "amenities":["lift","gym","cctv"],"furnishing":"furnished"})"));
}

TEST(ReadImportCsv, CellsThatDoNotConvertStayTextForApplyPatchToRefuse) {
  auto rows = read_import_csv("bhk,pets_allowed,price\ntwo,maybe,\"1,,2\"\n").value();
  EXPECT_EQ(rows[0].fields.at("bhk"), "two");
  EXPECT_EQ(rows[0].fields.at("pets_allowed"), "maybe");
  EXPECT_EQ(rows[0].fields.at("price"), "1,,2");
  for (const char* grouped : {"1,85,00,000", "18,500,000", "18500000"})
    EXPECT_EQ(
        read_import_csv(std::string("price\n\"") + grouped + "\"\n").value()[0].fields.at("price"),
        18'500'000)
        << grouped;
  EXPECT_EQ(read_import_csv("price\n\"185,00,00\"\n").value()[0].fields.at("price"), "185,00,00");
  Listing l;
  auto r = apply_patch(l, rows[0].fields);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.size(), 3u);
}

TEST(ReadImportCsv, RowNumbersAreTheSpreadsheetsAndBlankRowsAreSkipped) {
  auto rows = read_import_csv("title,bhk\n\"Two\nlines\",1\n,\n\nLast one,3\n").value();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].row, 2u);
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[1].row, 5u);  // header 1, the two-line record 2, blanks 3 and 4
  EXPECT_EQ(rows[1].line, 6u);
}

TEST(ReadImportCsv, ARaggedRowIsThatRowsProblem) {
  auto rows = read_import_csv("title,bhk\nA,1,extra\nB,2\n").value();
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(rows[0].problems.size(), 1u);
  EXPECT_EQ(rows[0].problems[0].code, FieldCode::too_many_values);
  EXPECT_TRUE(rows[1].problems.empty());
}

TEST(ReadImportCsv, ProtectedUnknownAndRepeatedColumnsRefuseTheFile) {
  auto r = read_import_csv("title,status,owner_id,colour,title\nx,active,1,red,y\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid);
  EXPECT_EQ(r.error().code, "invalid_columns");
  EXPECT_NE(r.error().message.find("status"), std::string::npos);
  ASSERT_EQ(r.error().fields.size(), 4u);
  EXPECT_EQ(r.error().fields[0].field, "/status");
  EXPECT_EQ(r.error().fields[0].code, FieldCode::not_writable);
  EXPECT_EQ(r.error().fields[1].code, FieldCode::not_writable);
  EXPECT_EQ(r.error().fields[2].code, FieldCode::unknown_field);
  EXPECT_EQ(r.error().fields[3].code, FieldCode::duplicate_value);
}

TEST(ReadImportCsv, AnUnnamedColumnIsIgnoredOnlyWhenEmpty) {
  EXPECT_TRUE(read_import_csv("title,,bhk\nA flat,,2\n"));
  auto r = read_import_csv("title,,bhk\nA flat,oops,2\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().fields.at(0).code, FieldCode::required);
  EXPECT_EQ(r.error().fields.at(0).field, "/1");  // the second cell of a row
}

TEST(ReadImportCsv, TheRowLimitIsNamed) {
  std::string big = "bhk\n";
  for (std::size_t i = 0; i < k_max_import_rows; ++i) big += "2\n";
  EXPECT_EQ(read_import_csv(big).value().size(), k_max_import_rows);
  auto r = read_import_csv(big + "2\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::too_large);
  EXPECT_NE(r.error().message.find("5000"), std::string::npos);
  EXPECT_EQ(read_import_csv("").error().code, "empty_file");
}

TEST(ImportReport, ErrorsAsCsvOpenInASpreadsheet) {
  ImportReport report;
  report.errors.push_back({3, 3, "bhk", "out_of_range", "must be from 0 to 5"});
  report.errors.push_back({4, 5, "", "too_many_values", "has 3 cells; the header has 2"});
  const std::string text = errors_csv(report);
  auto rows = fields_of(text);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"row", "column", "code", "message"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"3", "bhk", "out_of_range", "must be from 0 to 5"}));
  EXPECT_EQ(rows[2][3], "has 3 cells; the header has 2");
  // A column name comes from the lister's file: a formula in it stays text.
  report.errors.push_back({5, 1, "=HYPERLINK(\"http://x\")", "unknown_column", "-"});
  rows = fields_of(errors_csv(report));
  EXPECT_EQ(rows.at(3)[1], "'=HYPERLINK(\"http://x\")");
  EXPECT_EQ(rows.at(3)[3], "'-");
}

// The import rules against a real (SQLite) database.
class ImportRules : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = test::scratch_sqlite();
    storage::DatabaseOptions o;
    o.url = scratch_->url();
    db_ = storage::Database::open(o).value();
    ASSERT_TRUE(storage::migrate(*db_));
    gazetteer_ = std::make_unique<Gazetteer>(Gazetteer::load().value());
    service_ = std::make_unique<ListingService>(*db_, *gazetteer_, ListingOptions{30});
    static constexpr storage::Query k_insert{
        "test.insert_user",
        "INSERT INTO users (email, name, role, created_at, updated_at) "
        "VALUES ($1, 'Test', $2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z') RETURNING id"};
    for (const Role role : {Role::agent, Role::owner}) {
      const std::string name(to_string(role));
      const auto id = db_->exec(k_insert, storage::params(name + "@example.in", name)).value();
      (role == Role::agent ? agent_ : owner_) = {id.rows.at(0).i64(0), role};
    }
    const auto* city = gazetteer_->city_by_name_or_slug("Pune");
    place_ = std::to_string(city->id) + "," +
             std::to_string(gazetteer_->find_locality(city->id, "Baner")->id);
  }

  // A CSV of complete listings in Baner, Pune; `bhk` per row.
  std::vector<ImportRow> rows(std::initializer_list<std::string> bhks) const {
    std::string text =
        "transaction,property_type,title,description,bhk,carpet_area_sqft,price,city_id,"
        "locality_id,amenities\n";
    for (const auto& bhk : bhks)
      text +=
          "sale_resale,apartment,Bright flat in Baner,\"A bright flat near the "
          "highway, with covered parking.\"," +
          bhk + ",900,\"95,00,000\"," + place_ + ",lift|gym\n";
    return read_import_csv(text).value();
  }

  std::int64_t count_listings() const {
    static constexpr storage::Query k_count{"test.count", "SELECT COUNT(*) FROM listings"};
    return db_->exec(k_count).value().rows.at(0).i64(0);
  }

  std::unique_ptr<test::ScratchDatabase> scratch_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<Gazetteer> gazetteer_;
  std::unique_ptr<ListingService> service_;
  Principal agent_, owner_;
  std::string place_;
};

TEST_F(ImportRules, PartialWritesTheGoodRowsAndNamesTheBadOnes) {
  auto report = service_->import(agent_, rows({"2", "9", "3", "two"}), {}).value();
  EXPECT_TRUE(report.written);
  EXPECT_EQ(report.rows_total, 4u);
  EXPECT_EQ(report.imported, 2u);
  EXPECT_EQ(report.failed, 2u);
  ASSERT_EQ(report.errors.size(), 2u);
  EXPECT_EQ(report.errors[0].row, 3u);
  EXPECT_EQ(report.errors[0].column, "bhk");
  EXPECT_EQ(report.errors[0].code, "out_of_range");
  EXPECT_EQ(report.errors[1].row, 5u);
  ASSERT_EQ(report.created.size(), 2u);
  EXPECT_EQ(report.created[1].first, 4u);
  auto l = service_->get(agent_, report.created[1].second).value();
  EXPECT_EQ(l.bhk, 3);
  EXPECT_EQ(l.price, 9'500'000);
  EXPECT_EQ(l.status, Status::draft);
  EXPECT_EQ(l.owner_id, agent_.user_id);
  EXPECT_EQ(l.posted_by, "agent");
  EXPECT_EQ(l.amenities, 0b10001u);  // lift, gym
  EXPECT_TRUE(l.latitude);           // placed from the gazetteer like a created listing
  EXPECT_EQ(count_listings(), 2);
}

TEST_F(ImportRules, AllOrNothingWritesNothingWhenARowFails) {
  auto report = service_->import(agent_, rows({"2", "3", "9"}), {true, false}).value();
  EXPECT_FALSE(report.written);
  EXPECT_EQ(report.imported, 0u);
  EXPECT_EQ(report.failed, 1u);
  EXPECT_TRUE(report.created.empty());
  EXPECT_EQ(count_listings(), 0);
  auto good = service_->import(agent_, rows({"2", "3"}), {true, false}).value();
  EXPECT_TRUE(good.written);
  EXPECT_EQ(count_listings(), 2);
}

TEST_F(ImportRules, SubmitChecksCompletenessAndQueuesForReview) {
  auto all = rows({"2", "3"});
  all[1].fields.erase("price");
  auto drafts = service_->import(agent_, all, {false, false}).value();
  EXPECT_EQ(drafts.imported, 2u);  // a draft may lack a price
  auto report = service_->import(agent_, all, {false, true}).value();
  EXPECT_EQ(report.imported, 1u);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors[0].column, "price");
  EXPECT_EQ(report.errors[0].code, "required");
  auto l = service_->get(agent_, report.created[0].second).value();
  EXPECT_EQ(l.status, Status::pending_review);
  auto history = service_->history(agent_, l.id).value();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].to_status, "pending_review");
}

TEST_F(ImportRules, OnlyAgentsAndBuildersImport) {
  auto r = service_->import(owner_, rows({"2"}), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::forbidden);
  EXPECT_EQ(count_listings(), 0);
}

}  // namespace
}  // namespace griha::listings
