#include "outbox_contract.hpp"

namespace griha::notify {
INSTANTIATE_TEST_SUITE_P(Sqlite, OutboxContract, ::testing::Values("sqlite"));
}  // namespace griha::notify
