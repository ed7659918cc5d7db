#include "lead_service_contract.hpp"

namespace griha::leads {
INSTANTIATE_TEST_SUITE_P(Postgres, LeadServiceContract, ::testing::Values("postgres"));
}  // namespace griha::leads
