// Where a repository's statement runs: inside the caller's transaction, or on its own through
// the pool. Every repository function takes one as its first argument and runs all its SQL
// through it, so the caller decides the unit of work: a read that decides a write passes its
// transaction and never takes a second connection while holding one.
#pragma once

#include <optional>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "storage/database.hpp"

namespace griha::storage {

class Executor {
 public:
  // Implicit on purpose: `repo::find(*tx, id)` runs in the transaction, `repo::find(db, id)`
  // on its own.
  Executor(Transaction& tx) noexcept : tx_(&tx) {}  // NOLINT(google-explicit-constructor)
  Executor(Database& db) noexcept : db_(&db) {}     // NOLINT(google-explicit-constructor)

  bool in_transaction() const { return tx_ != nullptr; }

  // The statement's rows as they come.
  Result<Rows> exec(const Query& q, std::span<const Value> params = {}) const {
    return tx_ ? tx_->exec(q, params) : db_->exec(q, params);
  }

  // A write: how many rows it changed.
  Result<std::int64_t> execute(const Query& q, std::span<const Value> params = {}) const {
    auto r = exec(q, params);
    if (!r) return r.error();
    return r->affected;
  }

  // Every row, mapped by `map(const Row&)`.
  template <class F>
  auto all(const Query& q, std::span<const Value> params, F&& map) const
      -> Result<std::vector<std::invoke_result_t<F&, const Row&>>> {
    using T = std::invoke_result_t<F&, const Row&>;
    auto r = exec(q, params);
    if (!r) return r.error();
    std::vector<T> out;
    out.reserve(r->rows.size());
    for (const Row& row : r->rows) out.push_back(map(row));
    return out;
  }

  // The first row mapped, or nullopt when there is none.
  template <class F>
  auto maybe(const Query& q, std::span<const Value> params, F&& map) const
      -> Result<std::optional<std::invoke_result_t<F&, const Row&>>> {
    using T = std::invoke_result_t<F&, const Row&>;
    auto r = exec(q, params);
    if (!r) return r.error();
    if (r->rows.empty()) return std::optional<T>();
    return std::optional<T>(map(r->rows.front()));
  }

  // The one row a statement always returns (an aggregate, `INSERT … RETURNING`) mapped; none
  // is a bug in the query, reported as an internal error.
  template <class F>
  auto one(const Query& q, std::span<const Value> params, F&& map) const
      -> Result<std::invoke_result_t<F&, const Row&>> {
    auto r = exec(q, params);
    if (!r) return r.error();
    if (r->rows.empty())
      return Error::internal("query " + std::string(q.name) + " returned no row");
    return map(r->rows.front());
  }

  // Shorthands for one column of the first row, read by name.
  template <class T>
  Result<std::optional<T>> maybe_value(const Query& q, std::span<const Value> params,
                                       std::string_view column) const {
    return maybe(q, params, [&](const Row& r) { return r.get<T>(column); });
  }
  template <class T>
  Result<T> one_value(const Query& q, std::span<const Value> params,
                      std::string_view column) const {
    return one(q, params, [&](const Row& r) { return r.get<T>(column); });
  }

 private:
  Transaction* tx_ = nullptr;
  Database* db_ = nullptr;
};

// Drops the value of a successful result: `return done(ex.exec(...))`.
template <class T>
Result<void> done(const Result<T>& r) {
  if (!r) return r.error();
  return {};
}

}  // namespace griha::storage
