// Site visits move the seeker's lead along the pipeline: a booking takes it to
// visit_scheduled, a visit marked done to visited. Only forward, and never out of won/lost;
// a seeker who booked without inquiring has no lead and nothing happens. Runs inside the
// visit's transaction, so the lead moves if and only if the visit change commits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "storage/database.hpp"

namespace griha::leads {

// Returns whether a lead moved. `to_stage` is "visit_scheduled" or "visited".
Result<bool> advance_for_visit(storage::Transaction& tx, std::int64_t listing_id,
                               std::int64_t seeker_user_id, std::string_view to_stage,
                               const std::string& now);

}  // namespace griha::leads
