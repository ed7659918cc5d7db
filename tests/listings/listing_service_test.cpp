#include "listing_service_contract.hpp"

namespace griha::listings {
INSTANTIATE_TEST_SUITE_P(Sqlite, ListingServiceContract, ::testing::Values("sqlite"));
}  // namespace griha::listings
