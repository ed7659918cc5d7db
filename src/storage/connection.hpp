// Internal to storage/: one open database connection, the pool that shares a few of them
// between worker threads, and the pieces both back ends build their Database from.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace griha::storage {

// Used by one thread at a time (the pool sees to that), so implementations need no locks.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Result<Rows> exec(const Query& q, std::span<const Value> params) = 0;
  virtual Result<void> exec_script(std::string_view sql) = 0;
  virtual Result<void> begin() = 0;
  virtual Result<void> commit() = 0;
  virtual Result<void> rollback() = 0;
  // False when the connection is broken or was left inside a transaction: the pool then
  // closes it instead of handing it to the next caller.
  virtual bool reusable() = 0;
};

// "Try again shortly": no connection, or the database is locked by another writer.
Error database_busy(std::string detail);
// A unique or primary key violation, reported alike by both back ends.
Error unique_violation(std::string detail);

class ConnectionPool;

// A connection checked out of a pool; going out of scope gives it back.
class PooledConnection {
 public:
  PooledConnection(std::shared_ptr<ConnectionPool> pool, std::unique_ptr<Connection> conn);
  PooledConnection(PooledConnection&&) noexcept = default;
  PooledConnection& operator=(PooledConnection&&) = delete;  // would drop a held connection
  ~PooledConnection();
  Connection* operator->() const { return conn_.get(); }

 private:
  std::shared_ptr<ConnectionPool> pool_;
  std::unique_ptr<Connection> conn_;
};

// Opens connections lazily up to `max`; a caller that finds them all in use waits up to the
// acquire timeout, then gets database_busy rather than queueing without bound.
// Handles keep the pool alive, so a Transaction that outlives its Database is still safe.
class ConnectionPool : public std::enable_shared_from_this<ConnectionPool> {
 public:
  using Factory = std::function<Result<std::unique_ptr<Connection>>()>;
  ConnectionPool(Factory factory, int max, std::chrono::milliseconds acquire_timeout);

  Result<PooledConnection> acquire();
  PoolStats stats() const;

 private:
  friend class PooledConnection;
  void release(std::unique_ptr<Connection> conn);

  Factory factory_;
  const int max_;
  const std::chrono::milliseconds acquire_timeout_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int size_ = 0;
  int in_use_ = 0;
  std::int64_t waits_ = 0;
  std::int64_t timeouts_ = 0;
};

// Some back ends add a lock of their own around a write transaction (see sqlite_database.cpp).
// Unlike std::mutex it may be left from another thread than the one that entered it, as a
// Transaction may end on a different worker than the one that began it.
class WriteGate {
 public:
  Result<void> enter(std::chrono::milliseconds timeout);
  void leave();

 private:
  std::mutex mutex_;
  std::condition_variable open_;
  bool held_ = false;
};

// Having entered a WriteGate; leaves it on destruction.
class GatePass {
 public:
  explicit GatePass(std::shared_ptr<WriteGate> gate = nullptr) : gate_(std::move(gate)) {}
  GatePass(GatePass&& o) noexcept : gate_(std::move(o.gate_)) {}
  GatePass& operator=(GatePass&&) = delete;
  ~GatePass() {
    if (gate_) gate_->leave();
  }

 private:
  std::shared_ptr<WriteGate> gate_;
};

struct Transaction::Lease {
  // Declared before conn so that the gate opens only once the connection is back in the pool.
  GatePass pass;
  PooledConnection conn;
  bool failed = false;
};

// The Database both back ends share: they differ only in how a connection is made, and in
// whether write transactions pass through a WriteGate first.
class PooledDatabase : public Database {
 public:
  PooledDatabase(Dialect dialect, std::shared_ptr<ConnectionPool> pool,
                 std::shared_ptr<WriteGate> write_gate, std::chrono::milliseconds gate_timeout);

  Dialect dialect() const override { return dialect_; }
  Result<Rows> exec(const Query& q, std::span<const Value> params) override;
  Result<Transaction> begin() override;
  Result<void> exec_script(std::string_view sql) override;
  Result<void> ping() override;
  PoolStats stats() const override { return pool_->stats(); }

 private:
  Dialect dialect_;
  std::shared_ptr<ConnectionPool> pool_;
  std::shared_ptr<WriteGate> write_gate_;
  std::chrono::milliseconds gate_timeout_;
};

}  // namespace griha::storage
