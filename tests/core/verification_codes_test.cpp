#include "verification_codes_contract.hpp"

namespace griha {
INSTANTIATE_TEST_SUITE_P(Sqlite, VerificationCodesContract, ::testing::Values("sqlite"));
}  // namespace griha
