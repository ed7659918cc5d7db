// POST /api/v1/listings/import: thin HTTP glue for the bulk CSV import (csv_import.hpp,
// ListingService::import).
#pragma once

#include "core/worker_pool.hpp"
#include "http/types.hpp"
#include "listings/listing_service.hpp"

namespace griha::listings {

// The most a CSV upload may weigh; the route declares it so the server refuses more (413)
// before reading it. 5,000 full rows fit with room to spare.
inline constexpr std::size_t k_import_body_bytes = 5 * 1024 * 1024;

// Body text/csv. ?mode=partial (default) | all_or_nothing, ?submit=true|false. Answers the
// report: 200 when written, 422 when all_or_nothing refused it; as CSV (row,column,code,message)
// when the client sends Accept: text/csv.
http::Handler import_listings(ListingService& service, WorkerPool& workers);

}  // namespace griha::listings
