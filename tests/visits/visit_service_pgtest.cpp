#include "visit_service_contract.hpp"

namespace griha::visits {
INSTANTIATE_TEST_SUITE_P(Postgres, VisitServiceContract, ::testing::Values("postgres"));
}  // namespace griha::visits
