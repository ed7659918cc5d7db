#include "visit_service_contract.hpp"

namespace griha::visits {
INSTANTIATE_TEST_SUITE_P(Sqlite, VisitServiceContract, ::testing::Values("sqlite"));
}  // namespace griha::visits
