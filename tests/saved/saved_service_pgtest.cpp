#include "saved_service_contract.hpp"

namespace griha::saved {
INSTANTIATE_TEST_SUITE_P(Postgres, SavedServiceContract, ::testing::Values("postgres"));
}  // namespace griha::saved
