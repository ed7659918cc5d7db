#include "storage/sqlite/sqlite_database.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <unordered_map>

#include "storage/connection.hpp"

namespace griha::storage {

namespace {

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

// SQLite reads "$1" as a *named* parameter and numbers named parameters in order of first
// appearance, so "$2 ... $1" would bind the wrong values; "?1" is positional. Text in quotes
// and comments is copied untouched: '$1' there is data, not a placeholder.
std::string positional_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  auto copy_until = [&](std::size_t end) {
    end = std::min(end, sql.size());
    out.append(sql.substr(i, end - i));
    i = end;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '\'' || c == '"' || c == '`') {
      // A doubled quote inside a literal reads as close-then-reopen, which copies the same.
      const std::size_t close = sql.find(c, i + 1);
      copy_until(close == std::string_view::npos ? sql.size() : close + 1);
    } else if (c == '-' && next == '-') {
      copy_until(sql.find('\n', i));
    } else if (c == '/' && next == '*') {
      const std::size_t close = sql.find("*/", i + 2);
      copy_until(close == std::string_view::npos ? sql.size() : close + 2);
    } else if (c == '$' && next >= '0' && next <= '9' &&
               (i == 0 || !is_identifier_char(sql[i - 1]))) {
      out += '?';
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

Error sqlite_error(int rc, sqlite3* db, std::string_view what) {
  std::string detail = "sqlite: " + std::string(what) + ": " + sqlite3_errstr(rc);
  if (db) detail += std::string(" (") + sqlite3_errmsg(db) + ")";
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return unique_violation(std::move(detail));
  const int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return database_busy(std::move(detail));
  return Error::internal(std::move(detail));
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(Db db) : db_(std::move(db)) {}

  Result<Rows> exec(const Query& q, std::span<const Value> params) override {
    Result<sqlite3_stmt*> prepared = prepare(q);
    if (!prepared) return prepared.error();
    sqlite3_stmt* stmt = *prepared;
    // The statement stays cached: unbind and rewind it however this call ends.
    struct Rewind {
      sqlite3_stmt* s;
      ~Rewind() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } rewind{stmt};

    if (static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt)) != params.size())
      return Error::internal("query " + std::string(q.name) + " takes " +
                             std::to_string(sqlite3_bind_parameter_count(stmt)) +
                             " parameters, got " + std::to_string(params.size()));
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      // SQLITE_STATIC: the caller's values outlive the statement's run.
      const int rc = std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>)
              return sqlite3_bind_null(stmt, index);
            else if constexpr (std::is_same_v<T, std::int64_t>)
              return sqlite3_bind_int64(stmt, index, v);
            else if constexpr (std::is_same_v<T, double>)
              return sqlite3_bind_double(stmt, index, v);
            else
              return sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_STATIC,
                                         SQLITE_UTF8);
          },
          params[i]);
      if (rc != SQLITE_OK) return sqlite_error(rc, db_.get(), q.name);
    }

    Rows out;
    const int ncols = sqlite3_column_count(stmt);
    out.columns.reserve(ncols);
    for (int c = 0; c < ncols; ++c) out.columns.emplace_back(sqlite3_column_name(stmt, c));
    const auto names = std::make_shared<const Columns>(out.columns);

    const sqlite3_int64 changes_before = sqlite3_total_changes64(db_.get());
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value> cells;
      cells.reserve(ncols);
      for (int c = 0; c < ncols; ++c) cells.push_back(column(stmt, c));
      out.rows.emplace_back(names, std::move(cells));
    }
    if (rc != SQLITE_DONE) return sqlite_error(rc, db_.get(), q.name);
    // sqlite3_changes64() still reports the last INSERT/UPDATE/DELETE after a statement
    // that changed nothing (a SELECT, DDL), so only trust it when the total moved.
    if (sqlite3_total_changes64(db_.get()) != changes_before)
      out.affected = sqlite3_changes64(db_.get());
    return out;
  }

  Result<void> exec_script(std::string_view sql) override {
    const std::string text(sql);
    const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(rc, db_.get(), "script");
    return {};
  }

  // IMMEDIATE takes the write lock up front; a deferred transaction that reads first and then
  // writes can fail with SQLITE_BUSY at its first write, where waiting no longer helps.
  Result<void> begin() override { return exec_script("BEGIN IMMEDIATE"); }
  Result<void> commit() override { return exec_script("COMMIT"); }
  Result<void> rollback() override { return exec_script("ROLLBACK"); }
  bool reusable() override { return sqlite3_get_autocommit(db_.get()) != 0; }

 private:
  Result<sqlite3_stmt*> prepare(const Query& q) {
    if (auto it = statements_.find(q.sql); it != statements_.end()) return it->second.get();
    const std::string sql = positional_placeholders(q.sql);
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(db_.get(), sql.c_str(), static_cast<int>(sql.size() + 1),
                                      SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    Stmt stmt(raw);
    if (rc != SQLITE_OK) return sqlite_error(rc, db_.get(), q.name);
    if (!stmt) return Error::internal("query " + std::string(q.name) + " is empty");
    // PostgreSQL refuses several statements in one prepared query; refuse them here too so
    // that the mistake shows up in SQLite tests instead of silently running only the first.
    sqlite3_stmt* rest = nullptr;
    sqlite3_prepare_v2(db_.get(), tail, -1, &rest, nullptr);
    if (rest) {
      sqlite3_finalize(rest);
      return Error::internal("query " + std::string(q.name) + " holds more than one statement");
    }
    return statements_.emplace(std::string(q.sql), std::move(stmt)).first->second.get();
  }

  static Value column(sqlite3_stmt* stmt, int c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        return std::int64_t{sqlite3_column_int64(stmt, c)};
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, c);
      case SQLITE_NULL:
        return std::monostate{};
      default: {
        // Text and blobs alike come back as bytes; call text() before bytes(), as documented.
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
      }
    }
  }

  Db db_;  // declared first: the cached statements must be finalised before it closes
  std::unordered_map<std::string, Stmt, TextHash, std::equal_to<>> statements_;
};

Result<std::unique_ptr<Connection>> connect(const std::string& path,
                                            std::chrono::milliseconds busy_timeout) {
  sqlite3* raw = nullptr;
  // NOMUTEX: the pool gives a connection to one thread at a time, so SQLite's own
  // per-connection mutex would only cost time.
  const int rc = sqlite3_open_v2(
      path.c_str(), &raw,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
      nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return sqlite_error(rc, db.get(), "open " + path);
  sqlite3_busy_timeout(db.get(), static_cast<int>(busy_timeout.count()));
  auto conn = std::make_unique<SqliteConnection>(std::move(db));
  // WAL lets readers run alongside the writer; synchronous=FULL syncs the WAL at every commit
  // so that a write acknowledged to a client survives a power cut; foreign keys are off by
  // default in SQLite and must be turned on for each connection. The 64 MiB page cache (a cap,
  // taken only as used) keeps a large write transaction's dirty index pages in memory: with
  // the default 2 MiB they spill to the WAL and are written again and again, which doubled
  // the time of a 1M-listing seed.
  if (Result<void> r = conn->exec_script(
          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
          "PRAGMA cache_size=-65536;");
      !r)
    return r.error();
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const DatabaseOptions& options,
                                              const std::string& path) {
  const bool in_memory = path == ":memory:";
  if (!in_memory) {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
      return Error::unavailable("cannot create database directory " + parent.string() + ": " +
                                ec.message());
  }
  const auto busy_timeout = options.busy_timeout;
  auto pool =
      std::make_shared<ConnectionPool>([path, busy_timeout] { return connect(path, busy_timeout); },
                                       in_memory ? 1 : options.pool_size, options.acquire_timeout);
  // SQLite has one writer at a time. Queueing this process's writers on a condition variable
  // wakes each as soon as the previous one ends; left to SQLite's busy handler they would
  // poll with sleeps of up to 100 ms. BEGIN IMMEDIATE still guards against other processes.
  auto db = std::make_unique<PooledDatabase>(Dialect::sqlite, std::move(pool),
                                             std::make_shared<WriteGate>(), options.busy_timeout);
  // Connect now, so that a bad path fails at start-up rather than at the first request.
  if (Result<void> r = db->ping(); !r) return r.error();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace griha::storage
