// The storage contract on PostgreSQL, plus what only PostgreSQL has: column types by OID,
// dropped server connections, and the fresh-database helper the other suites rely on.
// Needs GRIHA_TEST_PG_URL (scripts/with-postgres.sh sets it); without it every test fails.
#include "storage/storage_contract.hpp"

namespace griha::storage {
namespace {

INSTANTIATE_TEST_SUITE_P(Postgres, StorageContract,
                         ::testing::Values(Backend{"postgres", Dialect::postgres,
                                                   test::scratch_postgres}),
                         backend_name);

class PgDatabase : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      admin_url_ = test::pg_admin_url();
      scratch_ = test::scratch_postgres();
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
  }

  std::unique_ptr<Database> open(const std::string& url, int pool_size = 4) {
    auto db = Database::open({.url = url, .pool_size = pool_size});
    if (!db) {
      ADD_FAILURE() << db.error().detail;
      return nullptr;
    }
    return std::move(*db);
  }

  std::string admin_url_;
  std::unique_ptr<test::ScratchDatabase> scratch_;
};

TEST_F(PgDatabase, ConvertsColumnsByType) {
  auto db = open(scratch_->url());
  ASSERT_NE(db, nullptr);
  auto r = db->exec(Query{"types",
                          "SELECT true, false, 2::int2, 4::int4, 8::int8, 1.5::float4, "
                          "2.25::float8, 3.5::numeric, 'x'::text, DATE '2024-01-02', NULL::int8"});
  ASSERT_TRUE(r) << r.error().detail;
  const Row& row = r->rows.at(0);
  const std::vector<Value> want = {std::int64_t{1},
                                   std::int64_t{0},
                                   std::int64_t{2},
                                   std::int64_t{4},
                                   std::int64_t{8},
                                   1.5,
                                   2.25,
                                   3.5,
                                   std::string("x"),
                                   std::string("2024-01-02"),
                                   Value{}};
  ASSERT_EQ(row.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(row[i], want[i]) << "column " << i;
}

TEST_F(PgDatabase, RefusesTextWithNulInsteadOfTruncating) {
  auto db = open(scratch_->url());
  ASSERT_NE(db, nullptr);
  auto r = db->exec(Query{"nul", "SELECT $1::text"}, params(std::string("a\0b", 3)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::invalid);
}

TEST_F(PgDatabase, ReplacesAConnectionTheServerDropped) {
  auto db = open(scratch_->url(), 1);
  auto admin = open(admin_url_, 1);
  ASSERT_NE(db, nullptr);
  ASSERT_NE(admin, nullptr);
  const Query backend_pid{"backend_pid", "SELECT pg_backend_pid()"};
  auto before = db->exec(backend_pid);
  ASSERT_TRUE(before);
  const std::int64_t pid = before->rows.at(0).i64(0);

  ASSERT_TRUE(admin->exec(Query{"kill", "SELECT pg_terminate_backend($1)"}, params(pid)));
  const Query alive{"alive", "SELECT count(*) FROM pg_stat_activity WHERE pid = $1"};
  for (;;) {
    auto r = admin->exec(alive, params(pid));
    ASSERT_TRUE(r);
    if (r->rows.at(0).i64(0) == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  // The pool notices the dead connection when handing it out, so no caller sees the error.
  auto after = db->exec(backend_pid);
  ASSERT_TRUE(after) << after.error().detail;
  EXPECT_NE(after->rows.at(0).i64(0), pid);
  EXPECT_EQ(db->stats().size, 1);
}

TEST_F(PgDatabase, FreshDatabasesAreSeparateAndDropped) {
  const Query exists{"exists", "SELECT count(*) FROM pg_database WHERE datname = $1"};
  auto admin = open(admin_url_, 1);
  ASSERT_NE(admin, nullptr);
  const std::string url = test::fresh_pg_database(admin_url_);
  const std::string name = url.substr(url.rfind('/') + 1);
  EXPECT_TRUE(name.starts_with("griha_t_"));
  EXPECT_NE(url, scratch_->url());
  {
    auto db = open(url);
    ASSERT_NE(db, nullptr);
    ASSERT_TRUE(db->exec_script("CREATE TABLE only_here (x INTEGER)"));
    auto other = open(scratch_->url());
    ASSERT_NE(other, nullptr);
    EXPECT_FALSE(other->exec(Query{"other", "SELECT * FROM only_here"}));
    EXPECT_EQ(admin->exec(exists, params(name))->rows.at(0).i64(0), 1);
    test::drop_pg_database(admin_url_, url);  // while `db` is still connected
  }
  EXPECT_EQ(admin->exec(exists, params(name))->rows.at(0).i64(0), 0);
  EXPECT_THROW(test::drop_pg_database(admin_url_, admin_url_), std::runtime_error);
}

}  // namespace
}  // namespace griha::storage
