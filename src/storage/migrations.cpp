#include "storage/migrations.hpp"

#include <algorithm>
#include <charconv>

#include "core/resources.hpp"

namespace griha::storage {

namespace {

constexpr Query k_create_table{
    "create_schema_migrations",
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"};

constexpr Query k_table_exists{
    "schema_migrations_exists",
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
    "SELECT count(*) FROM pg_catalog.pg_tables "
    "WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"};

constexpr Query k_current{"schema_migrations_current",
                          "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};

constexpr Query k_is_applied{"schema_migration_applied",
                             "SELECT count(*) FROM schema_migrations WHERE version = $1"};

constexpr Query k_record{"schema_migration_record",
                         "INSERT INTO schema_migrations (version, name, applied_at) "
                         "VALUES ($1, $2, CURRENT_TIMESTAMP)"};

// PostgreSQL only. Held until the transaction ends, so a second migrator waits and then
// finds the work done. The key only has to be the same in every griha process ("grih").
constexpr Query k_lock{"schema_migrations_lock", "SELECT pg_advisory_xact_lock(1735551336)"};

std::string_view dialect_dir(Dialect d) {
  return d == Dialect::sqlite ? "sqlite" : "postgres";
}

// One step under the migration lock: PostgreSQL needs the advisory lock; SQLite's
// BEGIN IMMEDIATE already admits one writer at a time, across processes too.
Result<Transaction> begin_locked(Database& db) {
  Result<Transaction> tx = db.begin();
  if (!tx || db.dialect() != Dialect::postgres) return tx;
  if (Result<Rows> r = tx->exec(k_lock); !r) return r.error();
  return tx;
}

Error migration_failed(const Migration& m, const Error& cause) {
  Error e = cause;
  e.detail = "migration " + m.name + ": " + cause.detail;
  return e;
}

}  // namespace

std::vector<Migration> embedded_migrations(Dialect d) {
  const std::string prefix = "migrations/" + std::string(dialect_dir(d)) + "/";
  std::vector<Migration> out;
  for (const resources::Resource& r : resources::all()) {
    if (!r.path.starts_with(prefix) || !r.path.ends_with(".sql")) continue;
    const std::string_view file = r.path.substr(prefix.size());
    Migration m;
    auto [end, ec] = std::from_chars(file.data(), file.data() + file.size(), m.version);
    // Files not named NNNN_name.sql are not migrations; tests check that none are shipped.
    if (ec != std::errc{} || end == file.data() || *end != '_') continue;
    m.name = std::string(file.substr(0, file.size() - std::string_view(".sql").size()));
    m.sql = r.data;
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

Result<int> migrate(Database& db) {
  {
    // Under the lock too: two PostgreSQL sessions racing through CREATE TABLE IF NOT EXISTS
    // can both see no table and one then fails on a duplicate catalog row.
    Result<Transaction> tx = begin_locked(db);
    if (!tx) return tx.error();
    if (Result<Rows> r = tx->exec(k_create_table); !r) return r.error();
    if (Result<void> r = tx->commit(); !r) return r.error();
  }
  int applied = 0;
  for (const Migration& m : embedded_migrations(db.dialect())) {
    Result<Transaction> tx = begin_locked(db);
    if (!tx) return tx.error();
    // Asked again under the lock: another process may have applied it meanwhile.
    Result<Rows> done = tx->exec(k_is_applied, params(m.version));
    if (!done) return done.error();
    if (done->rows.at(0).i64(0) > 0) continue;
    if (Result<void> r = tx->exec_script(m.sql); !r) return migration_failed(m, r.error());
    if (Result<Rows> r = tx->exec(k_record, params(m.version, m.name)); !r)
      return migration_failed(m, r.error());
    if (Result<void> r = tx->commit(); !r) return migration_failed(m, r.error());
    ++applied;
  }
  return applied;
}

Result<MigrationStatus> migration_status(Database& db) {
  MigrationStatus status;
  const std::vector<Migration> shipped = embedded_migrations(db.dialect());
  if (!shipped.empty()) status.latest = shipped.back().version;
  Result<Rows> exists = db.exec(k_table_exists);
  if (!exists) return exists.error();
  if (exists->rows.at(0).i64(0) == 0) return status;
  Result<Rows> current = db.exec(k_current);
  if (!current) return current.error();
  status.current = static_cast<int>(current->rows.at(0).i64(0));
  return status;
}

}  // namespace griha::storage
