// Realistic, deterministic demo listings over the gazetteer, for `make run`, `griha seed` and
// the benchmarks: price levels by city and locality, the market's BHK mix, sale/rent split.
#pragma once

#include <cstdint>

#include "listings/gazetteer.hpp"
#include "storage/database.hpp"

namespace griha::listings {

struct DemoReport {
  std::int64_t listings = 0;
  std::int64_t listers = 0;
};

// Adds `count` listings (and the demo listers who own them) with random choices drawn from
// `seed`: the same seed gives the same data. Writes in batches, each its own transaction.
Result<DemoReport> seed_demo_listings(storage::Database& db, const Gazetteer& gazetteer,
                                      std::int64_t count, std::uint64_t seed);

}  // namespace griha::listings
