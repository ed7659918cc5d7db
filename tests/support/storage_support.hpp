// Throwaway databases for tests: a SQLite file in a temporary directory or a fresh database on
// the PostgreSQL server named by GRIHA_TEST_PG_URL, each removed when the test is done.
// Setup failures throw std::runtime_error with a message that says what to fix.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "storage/database.hpp"

namespace griha::test {

// A new directory under the system temporary directory, removed with its contents.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// $GRIHA_TEST_PG_URL, a server where tests may create databases; throws if it is not set.
std::string pg_admin_url();

// Creates an empty database (griha_t_<random>) on admin_url's server; returns its URL.
std::string fresh_pg_database(const std::string& admin_url);
// Drops a database made by fresh_pg_database, even if connections to it remain.
void drop_pg_database(const std::string& admin_url, const std::string& url);

// An empty database for one test, on either back end; gone when this is destroyed.
class ScratchDatabase {
 public:
  virtual ~ScratchDatabase() = default;
  virtual const std::string& url() const = 0;
};

std::unique_ptr<ScratchDatabase> scratch_sqlite();
std::unique_ptr<ScratchDatabase> scratch_postgres();  // needs GRIHA_TEST_PG_URL
// "sqlite" or "postgres" (the parameter of the contract tests).
std::unique_ptr<ScratchDatabase> scratch_database(const std::string& backend);
// Opens the scratch database with every migration applied; throws if it cannot. A pool of one
// connection shows code that takes a second connection while holding a transaction: it
// waits `acquire_timeout` and fails busy.
std::unique_ptr<storage::Database> open_migrated(
    const ScratchDatabase& scratch, int pool_size = 8,
    std::chrono::milliseconds acquire_timeout = std::chrono::milliseconds(5000));

}  // namespace griha::test
