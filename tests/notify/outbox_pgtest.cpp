#include "outbox_contract.hpp"

namespace griha::notify {
INSTANTIATE_TEST_SUITE_P(Postgres, OutboxContract, ::testing::Values("postgres"));
}  // namespace griha::notify
