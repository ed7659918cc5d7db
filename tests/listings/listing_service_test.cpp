#include "listing_service_contract.hpp"

namespace griha::listings {
INSTANTIATE_TEST_SUITE_P(Sqlite, ListingServiceContract,
                         ::testing::Values("sqlite", "sqlite/pool=1"));
}  // namespace griha::listings
