#include "listing_service_contract.hpp"

namespace griha::listings {
INSTANTIATE_TEST_SUITE_P(Postgres, ListingServiceContract,
                         ::testing::Values("postgres", "postgres/pool=1"));
}  // namespace griha::listings
