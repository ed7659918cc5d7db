// The database layer: one interface, two implementations (embedded SQLite, PostgreSQL via
// libpq). Domain code talks only to this header; dialect differences stay in storage/.
// Every call blocks: callers run it on the worker pool, never on an I/O thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace griha::storage {

enum class Dialect { sqlite, postgres };

// A bound parameter or a column value. monostate is SQL NULL.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

// A named statement. `sql` uses $1..$N placeholders in both dialects (SQLite's ?N is
// substituted); `postgres_sql`, when set, replaces `sql` on PostgreSQL for the rare query
// whose syntax differs. Define them as constants beside the repository that uses them.
struct Query {
  std::string_view name;
  std::string_view sql;
  std::string_view postgres_sql = {};
};

// The names of a result's columns, shared by its rows.
class Columns {
 public:
  explicit Columns(std::vector<std::string> names);
  Columns(const Columns&) = delete;  // the index points into names_
  Columns& operator=(const Columns&) = delete;
  const std::vector<std::string>& names() const { return names_; }
  // The position of the column called `name`. No such column, or two of them (a join that
  // selects `a.id` and `b.id` without aliases), is a bug in the query: ErrorException.
  std::size_t index(std::string_view name) const;

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string_view, std::size_t> positions_;  // npos: ambiguous
};

// One result row. Repositories read it by column name (`row.i64("owner_id")`,
// `row.get<std::optional<std::string>>("email")`), so that a SELECT may list its columns in
// any order; an expression needs an alias (`COUNT(*) AS n`), as the dialects name it apart.
class Row {
 public:
  explicit Row(std::vector<Value> cells) : cells_(std::move(cells)) {}
  Row(std::shared_ptr<const Columns> columns, std::vector<Value> cells)
      : columns_(std::move(columns)), cells_(std::move(cells)) {}
  std::size_t size() const { return cells_.size(); }
  // Numbers and text convert into each other where exact; anything else (reading "abc" or
  // 2.5 as an integer) is a bug in the query, so it throws ErrorException, as does a column
  // the row does not have.
  bool is_null(std::string_view column) const { return is_null(index(column)); }
  std::int64_t i64(std::string_view column) const { return i64(index(column)); }   // NULL -> 0
  double f64(std::string_view column) const { return f64(index(column)); }         // NULL -> 0
  std::string text(std::string_view column) const { return text(index(column)); }  // NULL -> ""
  bool flag(std::string_view column) const { return i64(column) != 0; }  // booleans are 0/1
  std::optional<std::int64_t> opt_i64(std::string_view column) const {
    return opt_i64(index(column));
  }
  std::optional<std::string> opt_text(std::string_view column) const {
    return opt_text(index(column));
  }
  // The column as T: std::int64_t, int, double, bool, std::string, or std::optional of one
  // (NULL -> nullopt; the plain types read NULL as 0, false or "").
  template <class T>
  T get(std::string_view column) const;

  // By position: for storage's own code and for a statement whose columns are not named
  // (PRAGMA). Repositories read by name.
  bool is_null(std::size_t i) const;
  std::int64_t i64(std::size_t i) const;
  double f64(std::size_t i) const;
  std::string text(std::size_t i) const;
  std::optional<std::int64_t> opt_i64(std::size_t i) const;
  std::optional<std::string> opt_text(std::size_t i) const;
  const Value& operator[](std::size_t i) const { return cells_.at(i); }

 private:
  std::size_t index(std::string_view column) const;
  template <class T>
  T at(std::size_t i) const;

  std::shared_ptr<const Columns> columns_;
  std::vector<Value> cells_;
};

template <class T>
T Row::get(std::string_view column) const {
  return at<T>(index(column));
}

template <class T>
T Row::at(std::size_t i) const {
  if constexpr (std::is_same_v<T, std::int64_t>) {
    return i64(i);
  } else if constexpr (std::is_same_v<T, int>) {
    return static_cast<int>(i64(i));
  } else if constexpr (std::is_same_v<T, bool>) {
    return i64(i) != 0;
  } else if constexpr (std::is_same_v<T, double>) {
    return f64(i);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return text(i);
  } else {
    static_assert(std::is_same_v<T, std::optional<typename T::value_type>>,
                  "Row::get reads integers, doubles, booleans, text, or optionals of them");
    if (is_null(i)) return std::nullopt;
    return at<typename T::value_type>(i);
  }
}

struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const { return rows.empty(); }
};

struct PoolStats {
  int size = 0;               // connections open
  int in_use = 0;             // checked out now
  int max = 0;                // the pool's limit
  std::int64_t waits = 0;     // acquisitions that had to wait
  std::int64_t timeouts = 0;  // acquisitions that gave up
};

class Connection;

// RAII unit of work: rolls back unless commit() succeeded. Holds its pooled connection.
// After a failed statement only rollback is possible, on both back ends (PostgreSQL aborts
// the transaction; SQLite is made to behave the same so that tests on it catch the bug).
// SQLite has one writer at a time: a thread must not hold two Transactions at once.
class Transaction {
 public:
  Transaction(Transaction&&) noexcept;
  Transaction& operator=(Transaction&&) noexcept;
  ~Transaction();
  Result<Rows> exec(const Query& q, std::span<const Value> params = {});
  // Several statements with no parameters (a migration).
  Result<void> exec_script(std::string_view sql);
  Result<void> commit();

  struct Lease;  // implementation detail: the connection and how to return it
  explicit Transaction(std::unique_ptr<Lease> lease);

 private:
  std::unique_ptr<Lease> lease_;
};

struct DatabaseOptions {
  // "sqlite:///path/griha.db", "sqlite://relative.db", a bare path, "sqlite::memory:"
  // (one connection, gone on close), or "postgres://..." / "postgresql://...".
  std::string url;
  int pool_size = 8;
  std::chrono::milliseconds acquire_timeout{5000};
  std::chrono::milliseconds busy_timeout{5000};  // SQLite only
};

class Database {
 public:
  virtual ~Database() = default;
  static Result<std::unique_ptr<Database>> open(const DatabaseOptions& options);

  virtual Dialect dialect() const = 0;
  // One statement in its own transaction.
  virtual Result<Rows> exec(const Query& q, std::span<const Value> params = {}) = 0;
  // A write transaction (SQLite: BEGIN IMMEDIATE, so writers queue instead of deadlocking).
  virtual Result<Transaction> begin() = 0;
  // Runs several statements with no parameters (migrations).
  virtual Result<void> exec_script(std::string_view sql) = 0;
  virtual Result<void> ping() = 0;
  virtual PoolStats stats() const = 0;
};

namespace detail {
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

template <class T>
Value to_value(T&& v) {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<U, Value>) {
    return std::forward<T>(v);
  } else if constexpr (std::is_same_v<U, std::nullopt_t> || std::is_same_v<U, std::nullptr_t> ||
                       std::is_same_v<U, std::monostate>) {
    return std::monostate{};
  } else if constexpr (is_optional<U>::value) {
    return v ? to_value(*std::forward<T>(v)) : Value{};
  } else if constexpr (std::is_same_v<U, bool>) {
    // Neither dialect agrees on a boolean type, so booleans are stored as 0/1.
    return std::int64_t{v ? 1 : 0};
  } else if constexpr (std::is_integral_v<U>) {
    return static_cast<std::int64_t>(v);
  } else if constexpr (std::is_floating_point_v<U>) {
    return static_cast<double>(v);
  } else {
    static_assert(std::is_convertible_v<T, std::string_view>, "no SQL value for this type");
    return std::string(std::string_view(v));
  }
}
}  // namespace detail

// Convenience for building parameter lists: params(1, "x", std::nullopt).
template <class... Ts>
std::vector<Value> params(Ts&&... ts) {
  std::vector<Value> out;
  out.reserve(sizeof...(Ts));
  (out.push_back(detail::to_value(std::forward<Ts>(ts))), ...);
  return out;
}

}  // namespace griha::storage
