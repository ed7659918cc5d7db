#include "storage/database.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

#include "storage/connection.hpp"
#include "storage/postgres/pg_database.hpp"
#include "storage/sqlite/sqlite_database.hpp"

namespace griha::storage {

namespace {

[[noreturn]] void bad_cell(std::size_t i, std::string_view wanted) {
  throw ErrorException(
      Error::internal("column " + std::to_string(i) + " cannot be read as " + std::string(wanted)));
}

template <class T>
T parse_number(const std::string& s, std::size_t i, std::string_view wanted) {
  T out{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc{} || end != s.data() + s.size()) bad_cell(i, wanted);
  return out;
}

}  // namespace

Columns::Columns(std::vector<std::string> names) : names_(std::move(names)) {
  positions_.reserve(names_.size());
  for (std::size_t i = 0; i < names_.size(); ++i) {
    auto [it, fresh] = positions_.emplace(names_[i], i);
    if (!fresh) it->second = std::string_view::npos;
  }
}

std::size_t Columns::index(std::string_view name) const {
  const auto it = positions_.find(name);
  if (it == positions_.end())
    throw ErrorException(Error::internal("the result has no column \"" + std::string(name) + "\""));
  if (it->second == std::string_view::npos)
    throw ErrorException(
        Error::internal("the result has two columns called \"" + std::string(name) + "\""));
  return it->second;
}

std::size_t Row::index(std::string_view column) const {
  if (!columns_)
    throw ErrorException(
        Error::internal("the row has no column names (reading \"" + std::string(column) + "\")"));
  return columns_->index(column);
}

bool Row::is_null(std::size_t i) const {
  return std::holds_alternative<std::monostate>(cells_.at(i));
}

std::int64_t Row::i64(std::size_t i) const {
  const Value& v = cells_.at(i);
  if (auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (auto* d = std::get_if<double>(&v)) {
    // Only whole numbers in range: silently truncating 2.5 would hide a schema mistake.
    constexpr double k_limit = 9223372036854775808.0;  // 2^63
    if (!(*d >= -k_limit && *d < k_limit) || *d != std::trunc(*d)) bad_cell(i, "an integer");
    return static_cast<std::int64_t>(*d);
  }
  if (auto* s = std::get_if<std::string>(&v))
    return parse_number<std::int64_t>(*s, i, "an integer");
  return 0;
}

double Row::f64(std::size_t i) const {
  const Value& v = cells_.at(i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  if (auto* s = std::get_if<std::string>(&v)) return parse_number<double>(*s, i, "a number");
  return 0;
}

std::string Row::text(std::size_t i) const {
  const Value& v = cells_.at(i);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  if (auto* d = std::get_if<double>(&v)) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
    return std::string(buf, end);
  }
  return {};
}

std::optional<std::int64_t> Row::opt_i64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return i64(i);
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

Error database_busy(std::string detail) {
  Error e = Error::unavailable(std::move(detail));
  e.code = "database_busy";
  e.retry_after_seconds = 1;
  return e;
}

Error unique_violation(std::string detail) {
  return Error::make(ErrorKind::conflict, "conflict", "That conflicts with data already stored.",
                     std::move(detail));
}

// --- pool -------------------------------------------------------------------------------

PooledConnection::PooledConnection(std::shared_ptr<ConnectionPool> pool,
                                   std::unique_ptr<Connection> conn)
    : pool_(std::move(pool)), conn_(std::move(conn)) {}

PooledConnection::~PooledConnection() {
  if (conn_) pool_->release(std::move(conn_));
}

ConnectionPool::ConnectionPool(Factory factory, int max, std::chrono::milliseconds acquire_timeout)
    : factory_(std::move(factory)), max_(max), acquire_timeout_(acquire_timeout) {}

Result<PooledConnection> ConnectionPool::acquire() {
  const auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
  std::unique_lock lock(mutex_);
  bool waited = false;
  for (;;) {
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      ++in_use_;
      lock.unlock();
      // An idle connection can die unseen (server restart, idle timeout on a proxy):
      // checking here means the caller's query does not fail for it. Outside the lock, as
      // for PostgreSQL the check reads from the socket.
      if (conn->reusable()) return PooledConnection(shared_from_this(), std::move(conn));
      conn.reset();
      lock.lock();
      --in_use_;
      --size_;
      continue;
    }
    if (size_ < max_) {
      // Reserve the slot, then connect without the lock: connecting may take a while.
      ++size_;
      ++in_use_;
      lock.unlock();
      Result<std::unique_ptr<Connection>> conn = factory_();
      if (conn) return PooledConnection(shared_from_this(), std::move(*conn));
      lock.lock();
      --size_;
      --in_use_;
      available_.notify_one();
      return conn.error();
    }
    if (!waited) {
      waited = true;
      ++waits_;
    }
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        size_ >= max_) {
      ++timeouts_;
      return database_busy("no free database connection within " +
                           std::to_string(acquire_timeout_.count()) + " ms");
    }
  }
}

void ConnectionPool::release(std::unique_ptr<Connection> conn) {
  const bool keep = conn->reusable();
  if (!keep) conn.reset();
  std::lock_guard lock(mutex_);
  --in_use_;
  if (keep)
    idle_.push_back(std::move(conn));
  else
    --size_;
  available_.notify_one();
}

PoolStats ConnectionPool::stats() const {
  std::lock_guard lock(mutex_);
  return PoolStats{size_, in_use_, max_, waits_, timeouts_};
}

Result<void> WriteGate::enter(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!open_.wait_for(lock, timeout, [&] { return !held_; }))
    return database_busy("another write transaction held the database for " +
                         std::to_string(timeout.count()) + " ms");
  held_ = true;
  return {};
}

void WriteGate::leave() {
  {
    std::lock_guard lock(mutex_);
    held_ = false;
  }
  open_.notify_one();
}

// --- transaction ------------------------------------------------------------------------

Transaction::Transaction(std::unique_ptr<Lease> lease) : lease_(std::move(lease)) {}
Transaction::Transaction(Transaction&&) noexcept = default;

Transaction& Transaction::operator=(Transaction&& other) noexcept {
  if (this != &other) {
    Transaction old(std::move(*this));
    lease_ = std::move(other.lease_);
  }
  return *this;
}

Transaction::~Transaction() {
  // A failed rollback leaves the connection inside a transaction; the pool sees that and
  // closes it, so there is nothing more to do here.
  if (lease_) (void)lease_->conn->rollback();
}

namespace {
Error finished_transaction() {
  return Error::internal("statement on a transaction that was committed, moved from or failed");
}
}  // namespace

Result<Rows> Transaction::exec(const Query& q, std::span<const Value> params) {
  if (!lease_ || lease_->failed) return finished_transaction();
  Result<Rows> r = lease_->conn->exec(q, params);
  if (!r) lease_->failed = true;
  return r;
}

Result<void> Transaction::exec_script(std::string_view sql) {
  if (!lease_ || lease_->failed) return finished_transaction();
  Result<void> r = lease_->conn->exec_script(sql);
  if (!r) lease_->failed = true;
  return r;
}

Result<void> Transaction::commit() {
  if (!lease_ || lease_->failed) return finished_transaction();
  if (Result<void> r = lease_->conn->commit(); !r) {
    lease_->failed = true;
    return r;
  }
  lease_.reset();
  return {};
}

// --- database ---------------------------------------------------------------------------

PooledDatabase::PooledDatabase(Dialect dialect, std::shared_ptr<ConnectionPool> pool,
                               std::shared_ptr<WriteGate> write_gate,
                               std::chrono::milliseconds gate_timeout)
    : dialect_(dialect),
      pool_(std::move(pool)),
      write_gate_(std::move(write_gate)),
      gate_timeout_(gate_timeout) {}

namespace {

// Whether a statement writes rows: it starts with INSERT, UPDATE, DELETE or REPLACE.
bool writes_rows(const Query& q) {
  std::string_view sql = q.sql;
  while (!sql.empty() && std::isspace(static_cast<unsigned char>(sql.front())))
    sql.remove_prefix(1);
  std::string word;
  for (char c : sql.substr(0, 8)) {
    if (!std::isalpha(static_cast<unsigned char>(c))) break;
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return word == "INSERT" || word == "UPDATE" || word == "DELETE" || word == "REPLACE";
}

}  // namespace

Result<Rows> PooledDatabase::exec(const Query& q, std::span<const Value> params) {
  // A write on its own still queues at the write gate like a transaction does; otherwise it
  // would meet the gated writers in SQLite's busy handler, which sleeps and retries.
  if (write_gate_ && writes_rows(q)) {
    Result<Transaction> tx = begin();
    if (!tx) return tx.error();
    Result<Rows> r = tx->exec(q, params);
    if (!r) return r;
    if (Result<void> c = tx->commit(); !c) return c.error();
    return r;
  }
  Result<PooledConnection> conn = pool_->acquire();
  if (!conn) return conn.error();
  return (*conn)->exec(q, params);
}

Result<void> PooledDatabase::exec_script(std::string_view sql) {
  Result<PooledConnection> conn = pool_->acquire();
  if (!conn) return conn.error();
  return (*conn)->exec_script(sql);
}

Result<Transaction> PooledDatabase::begin() {
  // Gate first, then connection: a writer waiting its turn does not sit on a connection
  // that a reader could use.
  if (write_gate_)
    if (Result<void> r = write_gate_->enter(gate_timeout_); !r) return r.error();
  GatePass pass(write_gate_);
  Result<PooledConnection> conn = pool_->acquire();
  if (!conn) return conn.error();
  if (Result<void> r = (*conn)->begin(); !r) return r.error();
  return Transaction(std::make_unique<Transaction::Lease>(
      Transaction::Lease{std::move(pass), std::move(*conn), false}));
}

Result<void> PooledDatabase::ping() {
  static constexpr Query k_ping{"ping", "SELECT 1"};
  Result<Rows> r = exec(k_ping, {});
  if (!r) return r.error();
  return {};
}

namespace {

Error bad_url(std::string why) {
  return Error::make(ErrorKind::invalid, "invalid_database_url",
                     "The database URL is not valid: " + why);
}

}  // namespace

Result<std::unique_ptr<Database>> Database::open(const DatabaseOptions& options) {
  const std::string_view url = options.url;
  if (options.pool_size < 1) return bad_url("the pool needs at least one connection");
  if (url.empty()) return bad_url("it is empty");
  if (url.starts_with("postgres://") || url.starts_with("postgresql://"))
    return open_postgres(options);
  if (url == "sqlite::memory:" || url == ":memory:" || url == "sqlite://:memory:")
    return open_sqlite(options, ":memory:");
  if (url.starts_with("sqlite://")) {
    std::string_view path = url.substr(std::string_view("sqlite://").size());
    if (path.empty()) return bad_url("\"sqlite://\" names no file");
    return open_sqlite(options, std::string(path));
  }
  if (url.find("://") != std::string_view::npos)
    return bad_url("use sqlite://PATH, a file path, or postgres://...");
  return open_sqlite(options, std::string(url));
}

}  // namespace griha::storage
