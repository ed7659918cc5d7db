#include "saved_service_contract.hpp"

namespace griha::saved {
INSTANTIATE_TEST_SUITE_P(Sqlite, SavedServiceContract, ::testing::Values("sqlite"));
}  // namespace griha::saved
