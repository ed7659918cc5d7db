// What every storage back end must do, written once against storage::Database:
// storage_test.cpp runs these tests on SQLite and storage_pgtest.cpp on PostgreSQL.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "storage/executor.hpp"
#include "storage/migrations.hpp"
#include "support/storage_support.hpp"

namespace griha::storage {

struct Backend {
  std::string name;
  Dialect dialect;
  std::function<std::unique_ptr<test::ScratchDatabase>()> make;
};

inline void PrintTo(const Backend& backend, std::ostream* os) {
  *os << backend.name;
}

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

class StorageContract : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    try {
      scratch_ = GetParam().make();
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    db_ = open();
    ASSERT_NE(db_, nullptr);
  }

  std::unique_ptr<Database> open(
      int pool_size = 8, std::chrono::milliseconds acquire_timeout = std::chrono::seconds(10)) {
    auto db = Database::open(
        {.url = scratch_->url(), .pool_size = pool_size, .acquire_timeout = acquire_timeout});
    if (!db) {
      ADD_FAILURE() << "open " << scratch_->url() << ": " << db.error().detail;
      return nullptr;
    }
    return std::move(*db);
  }

  Database& db() { return *db_; }

  // Runs q and fails the test on an error.
  static Rows must(Result<Rows> r) {
    EXPECT_TRUE(r) << (r ? "" : r.error().code + ": " + r.error().detail);
    return r ? std::move(*r) : Rows{};
  }
  Rows must(const Query& q, std::span<const Value> p = {}) { return must(db().exec(q, p)); }

  std::int64_t count(std::string_view table_query) {
    Rows r = must(Query{"count", table_query});
    return r.rows.empty() ? -1 : r.rows[0].i64(0);
  }

  void make_items_table() {
    must(Query{"create_items", "CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)"});
  }

  std::unique_ptr<test::ScratchDatabase> scratch_;  // declared first: outlives the database
  std::unique_ptr<Database> db_;
};

inline constexpr Query k_insert_item{"insert_item",
                                     "INSERT INTO items (id, label) VALUES ($1, $2)"};
inline constexpr std::string_view k_count_items = "SELECT count(*) FROM items";

TEST_P(StorageContract, ReportsItsDialectAndAnswersPing) {
  EXPECT_EQ(db().dialect(), GetParam().dialect);
  EXPECT_TRUE(db().ping());
}

TEST_P(StorageContract, RoundTripsEveryValueKind) {
  // BIGINT and DOUBLE PRECISION mean the same to SQLite's type affinity rules.
  must(Query{"create",
             "CREATE TABLE vals (id INTEGER PRIMARY KEY, i BIGINT, f DOUBLE PRECISION, "
             "s TEXT)"});
  const Query insert{"insert_val", "INSERT INTO vals (id, i, f, s) VALUES ($1, $2, $3, $4)"};
  const std::vector<std::vector<Value>> rows = {
      {std::int64_t{1}, std::numeric_limits<std::int64_t>::max(), 0.1,
       std::string("नमस्ते, घर 🏠 — Grüße")},
      {std::int64_t{2}, std::numeric_limits<std::int64_t>::min(), -1.5e300, std::string()},
      {std::int64_t{3}, Value{}, Value{}, Value{}},
      {std::int64_t{4}, std::int64_t{0}, 3.141592653589793,
       std::string("tab\t 'single' \"double\" back\\slash\nnewline")},
  };
  for (const auto& r : rows) must(insert, r);

  Rows got = must(Query{"select_vals", "SELECT id, i, f, s FROM vals ORDER BY id"});
  ASSERT_EQ(got.rows.size(), rows.size());
  EXPECT_EQ(got.columns, (std::vector<std::string>{"id", "i", "f", "s"}));
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < rows[r].size(); ++c)
      EXPECT_EQ(got.rows[r][c], rows[r][c]) << "row " << r << " column " << c;

  const Row& nulls = got.rows[2];
  EXPECT_TRUE(nulls.is_null(1));
  EXPECT_EQ(nulls.i64(1), 0);
  EXPECT_EQ(nulls.f64(2), 0.0);
  EXPECT_EQ(nulls.text(3), "");
  EXPECT_EQ(nulls.opt_i64(1), std::nullopt);
  EXPECT_EQ(nulls.opt_text(3), std::nullopt);
  EXPECT_EQ(got.rows[1].opt_text(3), std::string());  // empty text is not NULL
}

TEST_P(StorageContract, ParamsHelperConvertsCommonTypes) {
  std::optional<std::string> none;
  must(Query{"create", "CREATE TABLE p (b BIGINT, n TEXT, s TEXT, d DOUBLE PRECISION)"});
  must(Query{"insert", "INSERT INTO p VALUES ($1, $2, $3, $4)"},
       params(true, none, std::string_view("view"), 2.5f));
  Rows got = must(Query{"select", "SELECT b, n, s, d FROM p"});
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0][0], Value(std::int64_t{1}));
  EXPECT_TRUE(got.rows[0].is_null(1));
  EXPECT_EQ(got.rows[0].text(2), "view");
  EXPECT_EQ(got.rows[0].f64(3), 2.5);
}

TEST_P(StorageContract, BindsParametersAndNeverSplicesThem) {
  make_items_table();
  const std::string hostile = "x'); DROP TABLE items;--";
  must(k_insert_item, params(1, hostile));
  must(k_insert_item, params(2, "$1"));
  Rows got = must(Query{"labels", "SELECT label FROM items ORDER BY id"});
  ASSERT_EQ(got.rows.size(), 2u);
  EXPECT_EQ(got.rows[0].text(0), hostile);
  EXPECT_EQ(got.rows[1].text(0), "$1");
  EXPECT_EQ(count(k_count_items), 2);
}

TEST_P(StorageContract, PlaceholdersArePositionalAndIgnoredInsideLiterals) {
  Rows got = must(Query{"order", "SELECT $2, '$1', $1"}, params("a", "b"));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].text(0), "b");
  EXPECT_EQ(got.rows[0].text(1), "$1");
  EXPECT_EQ(got.rows[0].text(2), "a");
}

TEST_P(StorageContract, RejectsWrongParameterCountAndSeveralStatements) {
  auto missing = db().exec(Query{"one_param", "SELECT $1"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::internal);
  auto two = db().exec(Query{"two", "SELECT 1; SELECT 2"});
  ASSERT_FALSE(two);
  EXPECT_EQ(two.error().kind, ErrorKind::internal);
  // Nothing of the failure reaches the client message.
  EXPECT_EQ(two.error().message.find("SELECT"), std::string::npos);
}

TEST_P(StorageContract, CountsAffectedRowsOfWritesOnly) {
  make_items_table();
  for (int i = 1; i <= 3; ++i) must(k_insert_item, params(i, "x"));
  EXPECT_EQ(must(Query{"update", "UPDATE items SET label = 'y'"}).affected, 3);
  EXPECT_EQ(must(Query{"update_none", "UPDATE items SET label = 'z' WHERE id > 100"}).affected, 0);
  EXPECT_EQ(must(Query{"select", "SELECT * FROM items"}).affected, 0);
  EXPECT_EQ(must(Query{"ddl", "CREATE TABLE other (x INTEGER)"}).affected, 0);
  EXPECT_EQ(must(Query{"delete", "DELETE FROM items WHERE id = 1"}).affected, 1);
}

TEST_P(StorageContract, UniqueViolationIsAConflict) {
  make_items_table();
  must(k_insert_item, params(1, "a"));
  auto dup = db().exec(k_insert_item, params(1, "b"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().kind, ErrorKind::conflict);
  EXPECT_EQ(dup.error().code, "conflict");
  EXPECT_FALSE(dup.error().detail.empty());
}

TEST_P(StorageContract, TransactionRollsBackWhenDroppedWithoutCommit) {
  make_items_table();
  {
    auto tx = db().begin();
    ASSERT_TRUE(tx);
    must(tx->exec(k_insert_item, params(1, "a")));
  }
  EXPECT_EQ(count(k_count_items), 0);
  EXPECT_EQ(db().stats().in_use, 0);
}

TEST_P(StorageContract, CommitPersistsAndIsInvisibleUntilThen) {
  make_items_table();
  auto tx = db().begin();
  ASSERT_TRUE(tx);
  must(tx->exec(k_insert_item, params(1, "a")));
  must(tx->exec(k_insert_item, params(2, "b")));
  EXPECT_EQ(must(tx->exec(Query{"count", k_count_items})).rows.at(0).i64(0), 2);
  EXPECT_EQ(count(k_count_items), 0);  // another connection does not see it yet
  ASSERT_TRUE(tx->commit());
  EXPECT_EQ(count(k_count_items), 2);
  EXPECT_FALSE(tx->exec(k_insert_item, params(3, "c")));  // committed means finished

  db_.reset();
  db_ = open();
  ASSERT_NE(db_, nullptr);
  EXPECT_EQ(count(k_count_items), 2);
}

TEST_P(StorageContract, FailedStatementLeavesOnlyRollback) {
  make_items_table();
  {
    auto tx = db().begin();
    ASSERT_TRUE(tx);
    must(tx->exec(k_insert_item, params(1, "a")));
    auto dup = tx->exec(k_insert_item, params(1, "again"));
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().kind, ErrorKind::conflict);
    EXPECT_FALSE(tx->exec(k_insert_item, params(2, "b")));
    EXPECT_FALSE(tx->commit());
  }
  EXPECT_EQ(count(k_count_items), 0);
}

TEST_P(StorageContract, MovedTransactionCarriesTheWork) {
  make_items_table();
  auto begun = db().begin();
  ASSERT_TRUE(begun);
  Transaction first = std::move(*begun);
  must(first.exec(k_insert_item, params(1, "a")));
  Transaction second = std::move(first);
  EXPECT_FALSE(first.exec(k_insert_item, params(2, "b")));  // NOLINT(bugprone-use-after-move)
  must(second.exec(k_insert_item, params(3, "c")));
  ASSERT_TRUE(second.commit());
  EXPECT_EQ(count(k_count_items), 2);
}

TEST_P(StorageContract, MigrationsApplyOnceAndReportStatus) {
  const auto shipped = embedded_migrations(db().dialect());
  ASSERT_FALSE(shipped.empty());
  auto before = migration_status(db());
  ASSERT_TRUE(before);
  EXPECT_EQ(before->current, 0);
  EXPECT_EQ(before->latest, shipped.back().version);
  EXPECT_FALSE(before->up_to_date());

  auto first = migrate(db());
  ASSERT_TRUE(first) << first.error().detail;
  EXPECT_EQ(*first, static_cast<int>(shipped.size()));
  auto second = migrate(db());
  ASSERT_TRUE(second) << second.error().detail;
  EXPECT_EQ(*second, 0);

  auto after = migration_status(db());
  ASSERT_TRUE(after);
  EXPECT_TRUE(after->up_to_date());
  EXPECT_EQ(after->current, shipped.back().version);
  EXPECT_EQ(count("SELECT count(*) FROM schema_migrations"), static_cast<int>(shipped.size()));

  must(Query{"meta", "INSERT INTO app_meta (key, value) VALUES ($1, $2)"}, params("seeded", "1"));
  EXPECT_EQ(must(Query{"meta_get", "SELECT value FROM app_meta WHERE key = $1"}, params("seeded"))
                .rows.at(0)
                .text(0),
            "1");
}

TEST_P(StorageContract, ConcurrentMigratorsApplyEachMigrationOnce) {
  constexpr int k_migrators = 4;
  std::vector<std::unique_ptr<Database>> dbs;
  for (int i = 0; i < k_migrators; ++i) {
    dbs.push_back(open(2));
    ASSERT_NE(dbs.back(), nullptr);
  }
  std::atomic<int> applied{0}, failures{0};
  std::vector<std::thread> threads;
  for (auto& d : dbs)
    threads.emplace_back([&, db = d.get()] {
      auto r = migrate(*db);
      if (r)
        applied += *r;
      else
        ++failures;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(applied, static_cast<int>(embedded_migrations(db().dialect()).size()));
  auto status = migration_status(db());
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->up_to_date());
}

TEST_P(StorageContract, ConcurrentWriteTransactionsLoseNoUpdate) {
  must(Query{"create", "CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)"});
  must(Query{"seed", "INSERT INTO counter (id, n) VALUES (1, 0)"});
  // Read, then write what was read: the pattern that loses updates unless writers are
  // serialised. PostgreSQL's READ COMMITTED needs the row lock to do that.
  const Query read{"read_counter", "SELECT n FROM counter WHERE id = 1",
                   "SELECT n FROM counter WHERE id = 1 FOR UPDATE"};
  const Query write{"write_counter", "UPDATE counter SET n = $1 WHERE id = 1"};
  constexpr int k_threads = 8, k_increments = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < k_increments; ++i) {
        auto tx = db().begin();
        if (!tx) {
          ++failures;
          continue;
        }
        auto n = tx->exec(read);
        if (!n || !tx->exec(write, params(n->rows.at(0).i64(0) + 1)) || !tx->commit()) ++failures;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(count("SELECT n FROM counter WHERE id = 1"), k_threads * k_increments);
}

TEST_P(StorageContract, PoolStatsTrackConnections) {
  db_ = open(2);
  ASSERT_NE(db_, nullptr);
  PoolStats s = db().stats();
  EXPECT_EQ(s.max, 2);
  EXPECT_EQ(s.size, 1);  // open() connects once to fail fast on a bad URL
  EXPECT_EQ(s.in_use, 0);
  {
    auto tx = db().begin();
    ASSERT_TRUE(tx);
    EXPECT_EQ(db().stats().in_use, 1);
    EXPECT_TRUE(db().ping());  // needs a second connection
    s = db().stats();
    EXPECT_EQ(s.size, 2);
    EXPECT_EQ(s.in_use, 1);
  }
  s = db().stats();
  EXPECT_EQ(s.in_use, 0);
  EXPECT_EQ(s.size, 2);
  EXPECT_EQ(s.waits, 0);
  EXPECT_EQ(s.timeouts, 0);
}

TEST_P(StorageContract, ExhaustedPoolTimesOutAsBusy) {
  db_ = open(1, std::chrono::milliseconds(50));
  ASSERT_NE(db_, nullptr);
  auto tx = db().begin();
  ASSERT_TRUE(tx);
  auto r = db().exec(Query{"one", "SELECT 1"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(r.error().code, "database_busy");
  EXPECT_EQ(db().stats().timeouts, 1);
  EXPECT_EQ(db().stats().waits, 1);
}

TEST_P(StorageContract, WaitingCallerGetsTheReleasedConnection) {
  db_ = open(1);
  ASSERT_NE(db_, nullptr);
  auto tx = db().begin();
  ASSERT_TRUE(tx);
  Result<Rows> waited = Error::internal("not run");
  std::thread waiter([&] { waited = db().exec(Query{"one", "SELECT 1"}); });
  while (db().stats().waits == 0) std::this_thread::yield();
  ASSERT_TRUE(tx->commit());
  waiter.join();
  ASSERT_TRUE(waited) << waited.error().detail;
  EXPECT_EQ(waited->rows.at(0).i64(0), 1);
  EXPECT_EQ(db().stats().timeouts, 0);
}

// --- reading rows by name, and the Executor ---------------------------------------------

TEST_P(StorageContract, RowsReadByColumnNameInAnyOrder) {
  must(Query{"create",
             "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age BIGINT, "
             "score DOUBLE PRECISION, nick TEXT)"});
  must(Query{"insert", "INSERT INTO people VALUES ($1, $2, $3, $4, $5)"},
       params(7, "Asha", 31, 2.5, std::nullopt));
  // The SELECT lists its columns in an order unlike the reads below: names, not positions.
  Rows got = must(Query{"select", "SELECT nick, score, age, name, id FROM people"});
  ASSERT_EQ(got.rows.size(), 1u);
  const Row& r = got.rows[0];
  EXPECT_EQ(r.i64("id"), 7);
  EXPECT_EQ(r.text("name"), "Asha");
  EXPECT_EQ(r.get<int>("age"), 31);
  EXPECT_EQ(r.f64("score"), 2.5);
  EXPECT_TRUE(r.is_null("nick"));
  EXPECT_EQ(r.opt_text("nick"), std::nullopt);
  EXPECT_EQ(r.get<std::optional<std::string>>("nick"), std::nullopt);
  EXPECT_EQ(r.get<std::optional<std::int64_t>>("age"), 31);
  EXPECT_EQ(r.get<std::string>("name"), "Asha");
  EXPECT_TRUE(r.flag("id"));
}

TEST_P(StorageContract, QualifiedColumnsAndAliasesReadByTheirNames) {
  must(Query{"create_a", "CREATE TABLE owners (id INTEGER PRIMARY KEY, name TEXT)"});
  must(Query{"create_b", "CREATE TABLE pets (id INTEGER PRIMARY KEY, owner_id BIGINT, name TEXT)"});
  must(Query{"insert_a", "INSERT INTO owners VALUES (1, 'Ravi')"});
  must(Query{"insert_b", "INSERT INTO pets VALUES (5, 1, 'Moti')"});
  Rows got = must(Query{"join",
                        "SELECT p.id, p.name, o.name AS owner_name, COUNT(*) AS n FROM pets p "
                        "JOIN owners o ON o.id = p.owner_id GROUP BY p.id, p.name, o.name"});
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].i64("id"), 5);  // "p.id" is read as "id" on both back ends
  EXPECT_EQ(got.rows[0].text("name"), "Moti");
  EXPECT_EQ(got.rows[0].text("owner_name"), "Ravi");
  EXPECT_EQ(got.rows[0].i64("n"), 1);
}

TEST_P(StorageContract, MissingOrAmbiguousColumnIsAnErrorNotAGuess) {
  Rows got = must(Query{"two_ids", "SELECT 1 AS id, 2 AS id, 3 AS other"});
  ASSERT_EQ(got.rows.size(), 1u);
  const Row& r = got.rows[0];
  try {
    (void)r.i64("nope");
    ADD_FAILURE() << "reading a column the row does not have must throw";
  } catch (const ErrorException& e) {
    EXPECT_EQ(e.error().kind, ErrorKind::internal);
    EXPECT_NE(e.error().detail.find("nope"), std::string::npos);
  }
  EXPECT_THROW((void)r.text("ID "), ErrorException);  // names are exact
  EXPECT_THROW((void)r.i64("id"), ErrorException);    // two columns called id
  EXPECT_THROW((void)r.get<std::optional<std::int64_t>>("missing"), ErrorException);
  EXPECT_EQ(r.i64("other"), 3);
  // A row built without names (storage's own positional use) refuses names too.
  EXPECT_THROW((void)Row(std::vector<Value>{std::int64_t{1}}).i64("id"), ErrorException);
  // A failed read in a mapper surfaces as the exception, not as a default value.
  Executor ex(db());
  EXPECT_THROW(
      (void)ex.all(Query{"one", "SELECT 1 AS a"}, {}, [](const Row& row) { return row.i64("b"); }),
      ErrorException);
}

TEST_P(StorageContract, ExecutorMapsRowsAndCountsWrites) {
  make_items_table();
  Executor ex(db());
  EXPECT_FALSE(ex.in_transaction());
  const Query insert{"insert", "INSERT INTO items (id, label) VALUES ($1, $2)"};
  for (int i = 1; i <= 3; ++i)
    ASSERT_EQ(ex.execute(insert, params(i, "item" + std::to_string(i))).value(), 1);
  const Query relabel{"relabel", "UPDATE items SET label = 'x' WHERE id >= $1"};
  EXPECT_EQ(ex.execute(relabel, params(2)).value(), 2);

  const Query by_id{"by_id", "SELECT id, label FROM items WHERE id >= $1 ORDER BY id"};
  auto labels = ex.all(by_id, params(1), [](const Row& r) { return r.text("label"); });
  ASSERT_TRUE(labels);
  EXPECT_EQ(*labels, (std::vector<std::string>{"item1", "x", "x"}));
  auto none = ex.maybe(by_id, params(9), [](const Row& r) { return r.i64("id"); });
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, std::nullopt);
  EXPECT_EQ(ex.maybe_value<std::int64_t>(by_id, params(3), "id").value(), 3);
  EXPECT_EQ(
      ex.one_value<std::int64_t>(Query{"n", "SELECT COUNT(*) AS n FROM items"}, {}, "n").value(),
      3);
  // one() promises a row: none is an error, not a default.
  auto missing = ex.one(by_id, params(9), [](const Row& r) { return r.i64("id"); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::internal);
  // A failing statement comes back as the error it was.
  auto bad = ex.execute(insert, params(1, "again"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::conflict);
}

TEST_P(StorageContract, ExecutorOnATransactionRunsInsideIt) {
  make_items_table();
  auto tx = db().begin();
  ASSERT_TRUE(tx);
  Executor in_tx(*tx);
  Executor on_pool(db());
  EXPECT_TRUE(in_tx.in_transaction());
  ASSERT_TRUE(in_tx.execute(Query{"insert", "INSERT INTO items (id, label) VALUES (1, 'a')"}));
  const Query n{"n", "SELECT COUNT(*) AS n FROM items"};
  // The transaction sees its own write; the pool, on another connection, does not yet.
  EXPECT_EQ(in_tx.one_value<std::int64_t>(n, {}, "n").value(), 1);
  EXPECT_EQ(on_pool.one_value<std::int64_t>(n, {}, "n").value(), 0);
  ASSERT_TRUE(tx->commit());
  EXPECT_EQ(on_pool.one_value<std::int64_t>(n, {}, "n").value(), 1);
}

TEST_P(StorageContract, ExecutorOnTheTransactionNeedsNoSecondConnection) {
  // A read that goes to the pool while the caller holds a transaction needs a second
  // connection: with one, it waits and fails busy. On the transaction it just runs.
  db_ = open(1, std::chrono::milliseconds(50));
  ASSERT_NE(db_, nullptr);
  make_items_table();
  auto tx = db().begin();
  ASSERT_TRUE(tx);
  const Query n{"n", "SELECT COUNT(*) AS n FROM items"};
  EXPECT_EQ(Executor(*tx).one_value<std::int64_t>(n, {}, "n").value(), 0);
  auto from_pool = Executor(db()).one_value<std::int64_t>(n, {}, "n");
  ASSERT_FALSE(from_pool);
  EXPECT_EQ(from_pool.error().code, "database_busy");
  ASSERT_TRUE(tx->commit());
  EXPECT_EQ(Executor(db()).one_value<std::int64_t>(n, {}, "n").value(), 0);
}

}  // namespace griha::storage
