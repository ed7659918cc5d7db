// Numbered schema migrations per dialect (migrations/sqlite/NNNN_name.sql and
// migrations/postgres/NNNN_name.sql), compiled into the binary and recorded in the
// schema_migrations table. Applied by `griha migrate` and at `serve` start.
#pragma once

#include <string>
#include <vector>

#include "storage/database.hpp"

namespace griha::storage {

struct Migration {
  int version = 0;
  std::string name;  // "0001_init"
  std::string_view sql;
};

struct MigrationStatus {
  int current = 0;  // highest applied version
  int latest = 0;   // highest shipped version
  bool up_to_date() const { return current == latest; }
};

// The embedded migrations for a dialect, in version order.
std::vector<Migration> embedded_migrations(Dialect d);

// Applies every pending migration, each in its own transaction. Returns how many ran.
// Safe to run concurrently from several processes (PostgreSQL: advisory lock).
Result<int> migrate(Database& db);

Result<MigrationStatus> migration_status(Database& db);

}  // namespace griha::storage
