// The embedded back end: one SQLite file in WAL mode, shared by a small pool of connections,
// so that a laptop or small server needs no database server at all.
#pragma once

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace griha::storage {

// `path` is a file (its directory is created if missing) or ":memory:", which is private to
// one connection and so always gets a pool of one.
Result<std::unique_ptr<Database>> open_sqlite(const DatabaseOptions& options,
                                              const std::string& path);

}  // namespace griha::storage
