#include "support/storage_support.hpp"

#include <stdlib.h>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "storage/database.hpp"
#include "storage/migrations.hpp"

namespace griha::test {

namespace {

constexpr std::string_view k_db_prefix = "griha_t_";

std::unique_ptr<storage::Database> connect_admin(const std::string& admin_url) {
  auto db = storage::Database::open({.url = admin_url, .pool_size = 1});
  if (!db)
    throw std::runtime_error("cannot connect to the PostgreSQL test server: " + db.error().detail);
  return std::move(*db);
}

boost::urls::url parse_pg_url(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) throw std::runtime_error("not a PostgreSQL URL: " + url);
  return boost::urls::url(*parsed);
}

}  // namespace

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "griha-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string pg_admin_url() {
  const char* url = std::getenv("GRIHA_TEST_PG_URL");
  if (!url || !*url)
    throw std::runtime_error(
        "GRIHA_TEST_PG_URL is not set. These tests need a PostgreSQL server where they may "
        "create databases; run them as `scripts/with-postgres.sh <test binary>`, which starts "
        "a throwaway server and sets it.");
  return url;
}

std::string fresh_pg_database(const std::string& admin_url) {
  std::random_device rd;
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%08x%08x", rd(), rd());
  const std::string name = std::string(k_db_prefix) + suffix;
  // Identifiers cannot be bound parameters; the name is ours and needs no quoting.
  if (auto r = connect_admin(admin_url)->exec_script("CREATE DATABASE " + name); !r)
    throw std::runtime_error("CREATE DATABASE failed: " + r.error().detail);
  boost::urls::url url = parse_pg_url(admin_url);
  url.set_path("/" + name);
  return std::string(url.buffer());
}

void drop_pg_database(const std::string& admin_url, const std::string& url) {
  const std::string name = parse_pg_url(url).path().substr(1);
  // Only ever drop what fresh_pg_database made: a typo must not drop a real database.
  if (!name.starts_with(k_db_prefix) ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
    throw std::runtime_error("refusing to drop " + name + ": not a test database");
  if (auto r = connect_admin(admin_url)->exec_script("DROP DATABASE IF EXISTS " + name +
                                                     " WITH (FORCE)");
      !r)
    throw std::runtime_error("DROP DATABASE failed: " + r.error().detail);
}

namespace {

class SqliteScratch final : public ScratchDatabase {
 public:
  SqliteScratch() : url_("sqlite://" + (dir_.path() / "griha.db").string()) {}
  const std::string& url() const override { return url_; }

 private:
  TempDir dir_;
  std::string url_;
};

class PgScratch final : public ScratchDatabase {
 public:
  PgScratch() : admin_url_(pg_admin_url()), url_(fresh_pg_database(admin_url_)) {}
  ~PgScratch() override {
    try {
      drop_pg_database(admin_url_, url_);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "warning: %s\n", e.what());
    }
  }
  const std::string& url() const override { return url_; }

 private:
  std::string admin_url_;
  std::string url_;
};

}  // namespace

std::unique_ptr<ScratchDatabase> scratch_sqlite() {
  return std::make_unique<SqliteScratch>();
}
std::unique_ptr<ScratchDatabase> scratch_postgres() {
  return std::make_unique<PgScratch>();
}
std::unique_ptr<ScratchDatabase> scratch_database(const std::string& backend) {
  return backend == "postgres" ? scratch_postgres() : scratch_sqlite();
}

std::unique_ptr<storage::Database> open_migrated(const ScratchDatabase& scratch, int pool_size,
                                                 std::chrono::milliseconds acquire_timeout) {
  storage::DatabaseOptions o;
  o.url = scratch.url();
  o.pool_size = pool_size;
  o.acquire_timeout = acquire_timeout;
  auto db = storage::Database::open(o);
  if (!db) throw std::runtime_error("cannot open " + scratch.url() + ": " + db.error().detail);
  if (auto m = storage::migrate(**db); !m)
    throw std::runtime_error("migrations failed: " + m.error().detail);
  return std::move(*db);
}

}  // namespace griha::test
