#include "lead_service_contract.hpp"

namespace griha::leads {
INSTANTIATE_TEST_SUITE_P(Sqlite, LeadServiceContract, ::testing::Values("sqlite"));
}  // namespace griha::leads
