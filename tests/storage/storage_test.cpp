// The storage contract on SQLite, plus what only SQLite has: pragmas, URL forms, and the
// embedded migration files themselves.
#include <filesystem>
#include <fstream>

#include "core/resources.hpp"
#include "storage/storage_contract.hpp"

namespace griha::storage {
namespace {

INSTANTIATE_TEST_SUITE_P(Sqlite, StorageContract,
                         ::testing::Values(Backend{"sqlite", Dialect::sqlite,
                                                   test::scratch_sqlite}),
                         backend_name);

std::unique_ptr<Database> open_url(const std::string& url) {
  auto db = Database::open({.url = url});
  if (!db) {
    ADD_FAILURE() << url << ": " << db.error().detail;
    return nullptr;
  }
  return std::move(*db);
}

Value pragma(Database& db, std::string_view name) {
  auto r = db.exec(Query{"pragma", "PRAGMA " + std::string(name)});
  EXPECT_TRUE(r);
  return r && !r->rows.empty() ? r->rows[0][0] : Value{};
}

TEST(SqliteDatabase, EveryConnectionIsDurableWalWithForeignKeys) {
  test::TempDir dir;
  auto db = open_url("sqlite://" + (dir.path() / "g.db").string());
  ASSERT_NE(db, nullptr);
  // Holding a transaction makes the pragma queries run on a second pooled connection.
  auto tx = db->begin();
  ASSERT_TRUE(tx);
  EXPECT_EQ(pragma(*db, "journal_mode"), Value(std::string("wal")));
  EXPECT_EQ(pragma(*db, "synchronous"), Value(std::int64_t{2}));  // FULL
  EXPECT_EQ(pragma(*db, "foreign_keys"), Value(std::int64_t{1}));
  EXPECT_EQ(db->stats().size, 2);
  auto in_tx = tx->exec(Query{"pragma", "PRAGMA foreign_keys"});
  ASSERT_TRUE(in_tx);
  EXPECT_EQ(in_tx->rows.at(0).i64(0), 1);
}

TEST(SqliteDatabase, EnforcesForeignKeys) {
  test::TempDir dir;
  auto db = open_url((dir.path() / "g.db").string());
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->exec_script(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));"));
  EXPECT_FALSE(db->exec(Query{"orphan", "INSERT INTO child (id, parent_id) VALUES (1, 42)"}));
}

TEST(SqliteDatabase, AcceptsUrlFormsAndCreatesTheDirectory) {
  test::TempDir dir;
  const auto nested = dir.path() / "a" / "b" / "griha.db";
  ASSERT_NE(open_url("sqlite://" + nested.string()), nullptr);
  EXPECT_TRUE(std::filesystem::exists(nested));

  const auto bare = dir.path() / "c" / "bare.db";
  ASSERT_NE(open_url(bare.string()), nullptr);
  EXPECT_TRUE(std::filesystem::exists(bare));

  for (const char* bad : {"", "sqlite://", "mysql://localhost/griha"}) {
    auto db = Database::open({.url = bad});
    ASSERT_FALSE(db) << bad;
    EXPECT_EQ(db.error().kind, ErrorKind::invalid) << bad;
  }
  auto no_pool = Database::open({.url = bare.string(), .pool_size = 0});
  ASSERT_FALSE(no_pool);
  EXPECT_EQ(no_pool.error().kind, ErrorKind::invalid);
}

TEST(SqliteDatabase, InMemoryDatabaseIsOneSharedConnection) {
  for (const char* url : {"sqlite::memory:", ":memory:"}) {
    auto db = open_url(url);
    ASSERT_NE(db, nullptr);
    // A second connection would see a different, empty database.
    EXPECT_EQ(db->stats().max, 1);
    ASSERT_TRUE(db->exec_script("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);"));
    auto r = db->exec(Query{"read", "SELECT x FROM t"});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rows.at(0).i64(0), 7);
  }
}

TEST(SqliteDatabase, UnusableLocationFailsAtOpen) {
  test::TempDir dir;
  const auto file = dir.path() / "file";
  std::ofstream(file) << "not a directory";
  auto under_file = Database::open({.url = (file / "x.db").string()});
  ASSERT_FALSE(under_file);
  EXPECT_EQ(under_file.error().kind, ErrorKind::unavailable);
  EXPECT_FALSE(Database::open({.url = dir.path().string()})) << "a directory is not a database";
}

TEST(Row, ConvertsBetweenNumbersAndTextOnlyWhereExact) {
  const Row row({std::int64_t{42}, 2.0, 2.5, std::string("17"), std::string("abc"), Value{}});
  EXPECT_EQ(row.text(0), "42");
  EXPECT_EQ(row.f64(0), 42.0);
  EXPECT_EQ(row.i64(1), 2);
  EXPECT_EQ(row.text(2), "2.5");
  EXPECT_EQ(row.i64(3), 17);
  EXPECT_EQ(row.f64(3), 17.0);
  EXPECT_THROW(row.i64(2), ErrorException);
  EXPECT_THROW(row.i64(4), ErrorException);
  EXPECT_THROW(row.f64(4), ErrorException);
  EXPECT_EQ(row.opt_i64(5), std::nullopt);
  EXPECT_EQ(row.opt_i64(0), 42);
  EXPECT_THROW(row[6], std::out_of_range);
}

TEST(EmbeddedMigrations, BothDialectsShipTheSameNumberedMigrations) {
  const auto sqlite = embedded_migrations(Dialect::sqlite);
  const auto postgres = embedded_migrations(Dialect::postgres);
  ASSERT_FALSE(sqlite.empty());
  ASSERT_EQ(sqlite.size(), postgres.size());
  for (std::size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, static_cast<int>(i) + 1) << "versions start at 1, no gaps";
    EXPECT_EQ(sqlite[i].name, postgres[i].name);
    EXPECT_FALSE(sqlite[i].sql.empty());
    EXPECT_FALSE(postgres[i].sql.empty());
  }
}

TEST(EmbeddedMigrations, EveryShippedSqlFileIsAMigration) {
  for (const char* dir : {"migrations/sqlite/", "migrations/postgres/"}) {
    std::size_t files = 0;
    for (const auto& r : resources::all())
      if (r.path.starts_with(dir)) ++files;
    const auto d = std::string_view(dir).find("sqlite") != std::string_view::npos
                       ? Dialect::sqlite
                       : Dialect::postgres;
    EXPECT_EQ(embedded_migrations(d).size(), files) << dir << " holds a misnamed file";
  }
}

}  // namespace
}  // namespace griha::storage
