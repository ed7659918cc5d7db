#include "verification_codes_contract.hpp"

namespace griha {
INSTANTIATE_TEST_SUITE_P(Postgres, VerificationCodesContract, ::testing::Values("postgres"));
}  // namespace griha
