#include "app/seed.hpp"

#include <spdlog/spdlog.h>

#include "core/time.hpp"
#include "listings/demo_data.hpp"

namespace griha::app {
namespace {

constexpr storage::Query k_seeded_at{"seed.seeded_at",
                                     "SELECT value FROM app_meta WHERE key = 'demo_seeded_at'"};
constexpr storage::Query k_mark_seeded{
    "seed.mark_seeded",
    "INSERT INTO app_meta (key, value) VALUES ('demo_seeded_at', $1) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"};

}  // namespace

Result<bool> seed_demo(storage::Database& db, const listings::Gazetteer& gazetteer,
                       const SeedOptions& options) {
  if (options.only_if_empty) {
    auto seeded = db.exec(k_seeded_at);
    if (!seeded) return seeded.error();
    if (!seeded->empty()) return false;
  }
  auto report = listings::seed_demo_listings(db, gazetteer, options.listings, options.seed);
  if (!report) return report.error();
  // The marker makes `serve` seed only once.
  if (auto r = db.exec(k_mark_seeded, storage::params(now_utc_iso())); !r) return r.error();
  spdlog::info("seeded {} demo listings by {} listers (seed {})", report->listings, report->listers,
               options.seed);
  return true;
}

}  // namespace griha::app
