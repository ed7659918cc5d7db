#include "storage/postgres/pg_database.hpp"

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <unordered_map>

#include "storage/connection.hpp"

namespace griha::storage {

namespace {

struct ConnCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using Conn = std::unique_ptr<PGconn, ConnCloser>;

struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultClearer>;

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Type OIDs from pg_type.h, which is a server header.
constexpr Oid k_bool = 16, k_int8 = 20, k_int2 = 21, k_int4 = 23, k_oid = 26, k_float4 = 700,
              k_float8 = 701, k_numeric = 1700;

std::string trimmed(const char* s) {
  std::string out = s ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

Error pg_error(PGconn* conn, const PGresult* res, std::string_view what) {
  std::string detail = "postgres: " + std::string(what) + ": " +
                       trimmed(res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  if (PQstatus(conn) != CONNECTION_OK) return Error::unavailable(std::move(detail));
  const char* field = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view state = field ? field : "";
  if (state == "23505") return unique_violation(std::move(detail));
  // serialization_failure, deadlock_detected, lock_not_available: retrying can succeed.
  if (state == "40001" || state == "40P01" || state == "55P03")
    return database_busy(std::move(detail));
  // Operator intervention (shutdown), too_many_connections. Class 08 is not here: a lost
  // connection already shows in PQstatus, and 08P01 is a bad call on a healthy one.
  if (state.starts_with("57P") || state == "53300") return Error::unavailable(std::move(detail));
  return Error::internal(std::move(detail));
}

template <class T>
bool parse(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

Value cell(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return std::monostate{};
  const std::string_view text(PQgetvalue(res, row, col),
                              static_cast<std::size_t>(PQgetlength(res, row, col)));
  switch (PQftype(res, col)) {
    case k_int2:
    case k_int4:
    case k_int8:
    case k_oid:
      if (std::int64_t n; parse(text, n)) return n;
      break;
    case k_float4:
    case k_float8:
    case k_numeric:
      if (double d; parse(text, d)) return d;
      break;
    case k_bool:
      return std::int64_t{text == "t" ? 1 : 0};
    default:
      break;
  }
  return std::string(text);
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(Conn conn) : conn_(std::move(conn)) {
    PQsetNoticeReceiver(conn_.get(), &PgConnection::on_notice, this);
  }

  Result<Rows> exec(const Query& q, std::span<const Value> params) override {
    Result<const std::string*> name = prepare(q);
    if (!name) return name.error();

    // Text format for every parameter: the server converts to the type it inferred for
    // each placeholder, so "$1" can be an int8 column or a text one alike.
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (const auto* s = std::get_if<std::string>(&params[i])) {
        // libpq reads text parameters up to the first NUL: refuse rather than truncate.
        if (s->find('\0') != std::string::npos)
          return Error::make(ErrorKind::invalid, "invalid_text",
                             "Text must not contain NUL characters.");
        values[i] = s->c_str();
      } else if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
        texts[i] = std::to_string(*n);
        values[i] = texts[i].c_str();
      } else if (const auto* d = std::get_if<double>(&params[i])) {
        // Shortest text that reads back as the same double.
        char buf[32];
        texts[i].assign(buf, std::to_chars(buf, buf + sizeof buf, *d).ptr);
        values[i] = texts[i].c_str();
      }  // NULL stays nullptr
    }

    PgResult res(PQexecPrepared(conn_.get(), (*name)->c_str(), static_cast<int>(values.size()),
                                values.data(), nullptr, nullptr, 0));
    const ExecStatusType status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      return pg_error(conn_.get(), res.get(), q.name);

    Rows out;
    const int ncols = PQnfields(res.get());
    const int nrows = PQntuples(res.get());
    out.columns.reserve(ncols);
    for (int c = 0; c < ncols; ++c) out.columns.emplace_back(PQfname(res.get(), c));
    const auto names = std::make_shared<const Columns>(out.columns);
    out.rows.reserve(nrows);
    for (int r = 0; r < nrows; ++r) {
      std::vector<Value> cells;
      cells.reserve(ncols);
      for (int c = 0; c < ncols; ++c) cells.push_back(cell(res.get(), r, c));
      out.rows.emplace_back(names, std::move(cells));
    }
    // PQcmdTuples also counts the rows a SELECT returned; `affected` means rows changed.
    if (!std::string_view(PQcmdStatus(res.get())).starts_with("SELECT"))
      parse(std::string_view(PQcmdTuples(res.get())), out.affected);
    return out;
  }

  Result<void> exec_script(std::string_view sql) override {
    PgResult res(PQexec(conn_.get(), std::string(sql).c_str()));
    const ExecStatusType status = PQresultStatus(res.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
      return pg_error(conn_.get(), res.get(), "script");
    return {};
  }

  Result<void> begin() override { return exec_script("BEGIN"); }

  Result<void> commit() override {
    PgResult res(PQexec(conn_.get(), "COMMIT"));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK)
      return pg_error(conn_.get(), res.get(), "commit");
    // COMMIT of a transaction that already failed "succeeds" by rolling back.
    if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK")
      return Error::internal("postgres: commit: the transaction had failed and was rolled back");
    return {};
  }

  Result<void> rollback() override { return exec_script("ROLLBACK"); }

  bool reusable() override {
    // Reads and parses what the server sent while the connection sat idle (the socket is
    // non-blocking, so this never waits). A backend being shut down or terminated sends a
    // FATAL error and then closes; the close may not have arrived yet, the error has.
    if (!PQconsumeInput(conn_.get())) return false;
    (void)PQisBusy(conn_.get());
    return !doomed_ && PQstatus(conn_.get()) == CONNECTION_OK &&
           PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
  }

 private:
  // Each distinct statement text is prepared once per connection, under a generated name:
  // keying by text rather than by Query::name means two queries that happen to share a name
  // can never run each other's SQL.
  Result<const std::string*> prepare(const Query& q) {
    const std::string_view sql = q.postgres_sql.empty() ? q.sql : q.postgres_sql;
    if (auto it = statements_.find(sql); it != statements_.end()) return &it->second;
    std::string name = "griha_" + std::to_string(statements_.size() + 1);
    PgResult res(PQprepare(conn_.get(), name.c_str(), std::string(sql).c_str(), 0, nullptr));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK)
      return pg_error(conn_.get(), res.get(), q.name);
    return &statements_.emplace(std::string(sql), std::move(name)).first->second;
  }

  // libpq hands errors that arrive outside a query to the notice receiver.
  static void on_notice(void* self, const PGresult* res) {
    const char* field = PQresultErrorField(res, PG_DIAG_SEVERITY_NONLOCALIZED);
    const std::string_view severity = field ? field : "";
    if (severity == "FATAL" || severity == "PANIC")
      static_cast<PgConnection*>(self)->doomed_ = true;
    // Plain notices ("relation already exists, skipping") would otherwise go to stderr.
    spdlog::debug("postgres: {}", trimmed(PQresultErrorMessage(res)));
  }

  Conn conn_;
  bool doomed_ = false;
  std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> statements_;
};

Result<std::unique_ptr<Connection>> connect(const std::string& url) {
  // Keywords before dbname are defaults that the URL may override (libpq applies them in
  // order); UTF-8 keeps text byte-for-byte what SQLite stores.
  const char* const keys[] = {"connect_timeout", "fallback_application_name", "client_encoding",
                              "dbname", nullptr};
  const char* const values[] = {"10", "griha", "UTF8", url.c_str(), nullptr};
  Conn conn(PQconnectdbParams(keys, values, 1));
  if (!conn) return Error::unavailable("postgres: connect: out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK)
    return Error::unavailable("postgres: connect: " + trimmed(PQerrorMessage(conn.get())));
  return std::unique_ptr<Connection>(std::make_unique<PgConnection>(std::move(conn)));
}

}  // namespace

Result<std::unique_ptr<Database>> open_postgres(const DatabaseOptions& options) {
  auto pool = std::make_shared<ConnectionPool>([url = options.url] { return connect(url); },
                                               options.pool_size, options.acquire_timeout);
  // The server serialises writers itself (row locks), so no write gate.
  auto db = std::make_unique<PooledDatabase>(Dialect::postgres, std::move(pool), nullptr,
                                             std::chrono::milliseconds{0});
  // Connect now, so that a wrong URL or a down server fails at start-up.
  if (Result<void> r = db->ping(); !r) return r.error();
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace griha::storage
