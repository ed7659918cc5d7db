// Demo data for `make run` and `griha seed`: deterministic for a given seed.
#pragma once

#include <cstdint>

#include "listings/gazetteer.hpp"
#include "storage/database.hpp"

namespace griha::app {

struct SeedOptions {
  std::int64_t listings = 2000;
  std::uint64_t seed = 42;
  bool only_if_empty = true;  // `serve` seeds once, on the first run
};

// Returns true when it seeded, false when the database already had demo data.
Result<bool> seed_demo(storage::Database& db, const listings::Gazetteer& gazetteer,
                       const SeedOptions& options);

}  // namespace griha::app
