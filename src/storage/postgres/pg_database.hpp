// The scale-out back end: PostgreSQL through libpq, a pool of connections per process, so
// that several griha processes can share one database.
#pragma once

#include <memory>

#include "storage/database.hpp"

namespace griha::storage {

// options.url is a libpq URI (postgres://user:pass@host:port/db?sslmode=...).
Result<std::unique_ptr<Database>> open_postgres(const DatabaseOptions& options);

}  // namespace griha::storage
