#include "leads/visit_link.hpp"

#include <array>
#include <string>

namespace griha::leads {
namespace {

using storage::params;
using storage::Query;

// The seeker's newest lead on the listing; PostgreSQL locks it against a concurrent PATCH.
constexpr Query k_lead{"leads.visit_link.lead", R"(
SELECT id, stage FROM leads WHERE listing_id = $1 AND seeker_user_id = $2
ORDER BY id DESC LIMIT 1)",
                       R"(
SELECT id, stage FROM leads WHERE listing_id = $1 AND seeker_user_id = $2
ORDER BY id DESC LIMIT 1 FOR UPDATE)"};
constexpr Query k_move{"leads.visit_link.move", R"(
UPDATE leads SET stage = $2, updated_at = $3 WHERE id = $1 AND stage = $4)"};
constexpr Query k_event{"leads.visit_link.event", R"(
INSERT INTO lead_events (lead_id, actor_id, at, kind, from_stage, to_stage, detail)
VALUES ($1, NULL, $2, 'stage', $3, $4, 'site visit'))"};

// The open stages in pipeline order; won and lost are not in it, so never move.
constexpr std::array<std::string_view, 5> k_order{"new", "contacted", "visit_scheduled", "visited",
                                                  "negotiating"};

int rank(std::string_view stage) {
  for (std::size_t i = 0; i < k_order.size(); ++i)
    if (k_order[i] == stage) return static_cast<int>(i);
  return -1;
}

}  // namespace

Result<bool> advance_for_visit(storage::Transaction& tx, std::int64_t listing_id,
                               std::int64_t seeker_user_id, std::string_view to_stage,
                               const std::string& now) {
  if (rank(to_stage) < 0) return Error::internal("not a pipeline stage: " + std::string(to_stage));
  auto found = tx.exec(k_lead, params(listing_id, seeker_user_id));
  if (!found) return found.error();
  if (found->empty()) return false;
  const auto id = found->rows[0].i64(0);
  const auto from = found->rows[0].text(1);
  const int current = rank(from);
  if (current < 0 || current >= rank(to_stage)) return false;
  auto moved = tx.exec(k_move, params(id, to_stage, now, from));
  if (!moved) return moved.error();
  if (moved->affected == 0) return false;
  if (auto e = tx.exec(k_event, params(id, now, from, to_stage)); !e) return e.error();
  return true;
}

}  // namespace griha::leads
