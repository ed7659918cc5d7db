#include "leads/visit_link.hpp"

#include <array>
#include <string>

#include "leads/lead_repository.hpp"

namespace griha::leads {
namespace {

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
  auto found = repo::newest_lead_for_update(tx, listing_id, seeker_user_id);
  if (!found) return found.error();
  if (!*found) return false;
  const auto id = (*found)->id;
  const auto from = (*found)->stage;
  const int current = rank(from);
  if (current < 0 || current >= rank(to_stage)) return false;
  auto moved = repo::move_stage(tx, id, from, to_stage, now);
  if (!moved) return moved.error();
  if (!*moved) return false;
  if (auto e = repo::insert_event(tx, id, std::nullopt, now, "stage", from, std::string(to_stage),
                                  "site visit");
      !e)
    return e.error();
  return true;
}

}  // namespace griha::leads
