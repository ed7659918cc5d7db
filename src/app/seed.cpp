#include "app/seed.hpp"

#include <spdlog/spdlog.h>

#include "core/time.hpp"

namespace griha::app {
namespace {

constexpr storage::Query k_seeded_at{
    "seed.seeded_at", "SELECT value FROM app_meta WHERE key = 'demo_seeded_at'"};
constexpr storage::Query k_mark_seeded{
    "seed.mark_seeded",
    "INSERT INTO app_meta (key, value) VALUES ('demo_seeded_at', $1) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"};

}  // namespace

Result<bool> seed_demo(storage::Database& db, const SeedOptions& options) {
  if (options.only_if_empty) {
    auto seeded = db.exec(k_seeded_at);
    if (!seeded) return seeded.error();
    if (!seeded->empty()) return false;
  }
  auto tx = db.begin();
  if (!tx) return tx.error();
  // The domain seeders (listings, users, leads) write here, in the same transaction, as
  // their issues land; the marker makes `serve` seed only once.
  if (auto r = tx->exec(k_mark_seeded, storage::params(now_utc_iso())); !r) return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  spdlog::info("seeded demo data (seed {})", options.seed);
  return true;
}

}  // namespace griha::app
